/**
 * Tally's application menu. Electron builds a default menu when an app sets none
 * (docs/api/menu.md: "The default menu will be created automatically if the app does not
 * set one. It contains standard items such as File, Edit, View, and Window"), and its View
 * menu binds Ctrl/Cmd+R to reload: one keystroke would reload the studio mid-broadcast.
 * This menu has no reload, force-reload or devtools in a packaged build; a development run
 * keeps devtools and reload under View.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface StudioMenuOptions {
  platform: NodeJS.Platform;
  /** Development runs (not packaged) get devtools and reload. */
  development: boolean;
  /** Opens the folder holding `main.log` (Help menu), for testers sending a report. */
  showLogs(): void;
}

/** The menu template; `Menu.buildFromTemplate` turns it into the application menu. */
export function studioMenuTemplate(options: StudioMenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (options.development) view.push({ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' });
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Show Logs Folder', click: () => options.showLogs() }] },
  ];
}

/** Every role and accelerator in a template, submenus included (for checks and tests). */
export function menuItemsOf(template: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? menuItemsOf(item.submenu) : [])]);
}
