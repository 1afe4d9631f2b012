/**
 * The library's desktop services in Electron: deleted files go to the OS trash
 * (`shell.trashItem`) and come back from it (main/services/library/os-trash.ts), "Reveal in
 * folder" is `shell.showItemInFolder`, imports may start from the native open dialog, and
 * library files are served on the app's own `tally://app/library/...` URLs.
 */
import type { BaseWindow, Dialog, Shell } from 'electron';
import { isLibraryPath, libraryFetchResponse, type LibraryFiles } from '../services/library/http.ts';
import { MEDIA_EXTENSIONS } from '../services/library/media-files.ts';
import { currentOsTrashEnvironment, restoreFromOsTrash, type OsTrashEnvironment } from '../services/library/os-trash.ts';
import type { LibraryShell } from '../services/library/shell.ts';
import { isAppUrl } from './security.ts';

export interface ElectronLibraryShellOptions {
  shell: Pick<Shell, 'trashItem' | 'showItemInFolder'>;
  dialog: Pick<Dialog, 'showOpenDialog'>;
  /** The window a dialog belongs to. */
  window: () => BaseWindow | null;
  /** Where the OS keeps its trash (tests point it at a folder of their own). */
  osTrash?: OsTrashEnvironment;
}

/** The library's shell backed by Electron's `shell` and `dialog`. */
export function electronLibraryShell(options: ElectronLibraryShellOptions): LibraryShell {
  const environment = options.osTrash ?? currentOsTrashEnvironment();
  return {
    trash: {
      where: 'os',
      async moveToTrash(path) {
        await options.shell.trashItem(path);
        return null;
      },
      restore: (originalPath) => restoreFromOsTrash(originalPath, environment),
      // The OS trash is emptied by its owner, from the desktop.
      purge: async () => {},
    },
    async reveal(path) {
      options.shell.showItemInFolder(path);
      return true;
    },
    async pickPaths({ folders }) {
      const dialogOptions = {
        title: folders ? 'Import folders into the library' : 'Import files into the library',
        buttonLabel: 'Import',
        properties: folders ? (['openDirectory', 'multiSelections'] as const) : (['openFile', 'multiSelections'] as const),
        filters: folders ? [] : [{ name: 'Media', extensions: Object.keys(MEDIA_EXTENSIONS).map((ext) => ext.slice(1)) }],
      };
      const window = options.window();
      const result = window
        ? await options.dialog.showOpenDialog(window, { ...dialogOptions, properties: [...dialogOptions.properties] })
        : await options.dialog.showOpenDialog({ ...dialogOptions, properties: [...dialogOptions.properties] });
      return result.canceled ? null : result.filePaths;
    },
  };
}

/**
 * The `tally://` handler: library files on `tally://app/library/...`, everything else from
 * the app's own handler. `library` is null until the host has started.
 */
export function withLibraryFiles(
  library: () => LibraryFiles | null,
  app: (request: Request) => Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const files = library();
    if (files && isAppUrl(request.url) && isLibraryPath(new URL(request.url).pathname)) return libraryFetchResponse(files, request);
    return app(request);
  };
}
