import { describe, expect, it } from 'vitest';
import { menuItemsOf, studioMenuTemplate } from './menu.ts';

const RELOAD_OR_DEVTOOLS = new Set(['reload', 'forceReload', 'forcereload', 'toggleDevTools', 'toggledevtools', 'viewMenu', 'viewmenu']);

describe("Tally's application menu (template checked without the Electron binary)", () => {
  for (const platform of ['darwin', 'win32', 'linux'] as const) {
    it(`a packaged build on ${platform} has no reload, force-reload or devtools, and no Ctrl/Cmd+R`, () => {
      const items = menuItemsOf(studioMenuTemplate({ platform, development: false, showLogs: () => {} }));
      expect(items.filter((item) => item.role && RELOAD_OR_DEVTOOLS.has(item.role))).toEqual([]);
      expect(items.filter((item) => /R$/i.test(String(item.accelerator ?? '')))).toEqual([]);
      // Text fields still get copy and paste (the Edit role), and the window its usual menu.
      expect(items.map((item) => item.role)).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'togglefullscreen']));
      expect(items.some((item) => item.role === 'appMenu')).toBe(platform === 'darwin');
    });
  }

  it('a development run keeps devtools and reload', () => {
    const roles = menuItemsOf(studioMenuTemplate({ platform: 'linux', development: true, showLogs: () => {} })).map((item) => item.role);
    expect(roles).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('Help > Show Logs Folder opens the logs folder for a tester', () => {
    let opened = 0;
    const item = menuItemsOf(studioMenuTemplate({ platform: 'linux', development: false, showLogs: () => opened++ })).find(
      (candidate) => candidate.label === 'Show Logs Folder',
    );
    (item?.click as () => void)();
    expect(opened).toBe(1);
  });
});
