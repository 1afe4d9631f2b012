import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/electron-binary.ts';
import { build } from '../../scripts/build-steps.ts';
import { expectViewerPlays } from './support/outputs-panel.ts';
import { projectRoot, tempDataDir } from './support/processes.ts';

const binary = findElectronBinary();

// Runs wherever Electron's binary exists (developer machines, a CI with network); skipped here.
describe.skipIf(!binary.found)('the Electron studio (needs the Electron binary)', () => {
  const data = tempDataDir();
  beforeAll(() => build(['renderer', 'electron']));
  afterAll(() => data.remove());

  /** Starts the studio with this file's data folder, runs `use`, and always closes it. */
  async function withStudio(use: (app: ElectronApplication) => Promise<void>): Promise<void> {
    const app = await electron.launch({
      executablePath: binary.found ? binary.path : '',
      args: [projectRoot, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, TALLY_DATA_DIR: data.dir },
    });
    try {
      await use(app);
    } finally {
      await app.close();
    }
  }

  it('opens a sandboxed window whose page shows app.getInfo() through the preload and passes a media round trip', () =>
    withStudio(async (app) => {
      const page = await app.firstWindow();
      await page.getByRole('dialog', { name: 'Welcome to Tally' }).getByRole('button', { name: 'Skip setup' }).click({ timeout: 20_000 });
      await page.getByRole('region', { name: 'Controls' }).getByRole('button', { name: 'Settings' }).click({ timeout: 20_000 });
      await expect.poll(() => page.getByLabel('Host information').innerText(), { timeout: 20_000 }).toContain('Electron');
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      await page.getByRole('button', { name: 'Test media channel' }).click();
      await expect
        .poll(() => page.getByRole('status', { name: 'Media channel result' }).innerText(), { timeout: 15_000 })
        .toMatch(/round trip intact/);
    }));

  it("boots with the data folder as userData, logs to its logs/ folder, and shows Tally's own menu", () =>
    withStudio(async (app) => {
      await app.firstWindow();
      expect(await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'))).toBe(data.dir);
      const labels = await app.evaluate(({ Menu }) =>
        (Menu.getApplicationMenu()?.items ?? []).flatMap((item) => [item.label, ...(item.submenu?.items ?? []).map((sub) => sub.label)]),
      );
      expect(labels).toContain('Show Logs Folder');
      await expect.poll(() => existsSync(join(data.dir, 'logs', 'main.log'))).toBe(true);
    }));

  it('goes live to the local origin, asks before the window closes while live, and ends the stream ("Go Live" / "End Stream")', () =>
    withStudio(async (app) => {
      const page = await app.firstWindow();
      await page.getByRole('button', { name: 'Go Live', exact: true }).click({ timeout: 30_000 });
      const end = page.getByRole('button', { name: 'End Stream', exact: true });
      await expect.poll(() => end.isVisible(), { timeout: 30_000 }).toBe(true);
      // The Controls dock links to the local origin's player, and a viewer's video plays.
      const link = page.getByRole('region', { name: 'Controls' }).getByRole('link', { name: 'Viewer link' });
      await link.waitFor({ timeout: 30_000 });
      await expectViewerPlays((await link.getAttribute('href'))!);
      // Closing the window while live asks first. No native message box can be clicked from here, so
      // dialog.showMessageBoxSync is stubbed to answer "Keep Going" (button 1); the window stays, still live.
      await app.evaluate(({ dialog }) => {
        const asked: string[] = [];
        (globalThis as { asked?: string[] }).asked = asked;
        dialog.showMessageBoxSync = (...args: unknown[]) => {
          asked.push((args.at(-1) as { message: string }).message);
          return 1;
        };
      });
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close());
      await expect
        .poll(() => app.evaluate(() => (globalThis as { asked?: string[] }).asked), { timeout: 10_000 })
        .toEqual(['Tally is live or recording']);
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      expect(await end.isVisible()).toBe(true);
      await end.click();
      await expect.poll(() => page.getByRole('button', { name: 'Go Live', exact: true }).isVisible(), { timeout: 30_000 }).toBe(true);
    }));
});
