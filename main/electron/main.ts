/**
 * The Electron entry: the boot order (data folder, log file, single-instance lock), Tally's
 * menu, the tally:// protocol, permissions and screen capture, the host services mounted on
 * IPC, the updater, and the studio window with crash recovery. Everything with logic lives
 * in the modules it imports, which are tested without Electron; this file only wires them.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  app,
  BrowserWindow,
  desktopCapturer,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron';
import electronUpdater from 'electron-updater';
import { load } from 'js-yaml';
import { bundledFfmpegDir } from '../../native/ffmpeg.ts';
import { startHost, type Host } from '../services/host.ts';
import { createFileLogger, type Logger } from '../services/logger.ts';
import { fileKeyCipher } from '../services/outputs/index.ts';
import { parsePublicKey, PUBLIC_KEY_FILE } from '../services/updates/signed-feed.ts';
import { serveAppRequest } from './app-protocol.ts';
import { bootStudio } from './boot.ts';
import { studioCloseGuard, type CloseGuard } from './close-guard.ts';
import { mountHostIpc } from './ipc.ts';
import { studioMenuTemplate } from './menu.ts';
import { recoverStudioRenderer } from './renderer-recovery.ts';
import { electronLibraryShell, withLibraryFiles } from './library-shell.ts';
import { safeStorageCipher } from './safe-storage-cipher.ts';
import { desktopCapturerProvider, displayMediaHandler } from './screen-sources.ts';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  hardenWebContents,
  permissionCheckHandler,
  permissionRequestHandler,
  secureWebPreferences,
} from './security.ts';
import { electronUpdateController } from './updater.ts';

const bundleDir = import.meta.dirname; // dist/electron
/** Set once the host runs; studio windows made after that are watched as they open. */
let closeGuard: CloseGuard | undefined;
const rendererDir = join(bundleDir, '..', 'renderer');

// Before `ready`, as Electron requires for privileged schemes.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

bootStudio({
  app,
  dialog,
  createLog: (file) => createFileLogger('tally-electron', file),
  start: startStudio,
  focusRunningStudio: () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  },
});

async function startStudio(log: Logger, logFile: string): Promise<void> {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      studioMenuTemplate({
        platform: process.platform,
        development: !app.isPackaged,
        showLogs: () => void shell.openPath(dirname(logFile)),
      }),
    ),
  );
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  // Library files are answered once the host has started; until then the protocol serves the app only.
  let host: Host | undefined = undefined;
  protocol.handle(
    APP_SCHEME,
    withLibraryFiles(
      () => host?.library ?? null,
      (request) => serveAppRequest(rendererDir, request),
    ),
  );
  session.defaultSession.setPermissionRequestHandler(permissionRequestHandler);
  session.defaultSession.setPermissionCheckHandler(permissionCheckHandler);

  const updates = createUpdates(log);
  const started = await startHost({
    version: app.getVersion(),
    runtime: 'electron',
    dataDir: app.getPath('userData'),
    log,
    screenSources: desktopCapturerProvider(desktopCapturer),
    secrets: safeStorageCipher(safeStorage, process.platform, fileKeyCipher(app.getPath('userData')), log),
    recordingsDir: join(app.getPath('videos'), 'Tally'),
    libraryShell: electronLibraryShell({
      shell,
      dialog,
      window: () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? null,
    }),
    ffmpeg: { bundledDirs: [bundledFfmpegDir(process.resourcesPath), bundledFfmpegDir(join(app.getAppPath(), 'resources'))] },
    ...(updates ? { updates } : {}),
  });
  host = started;
  session.defaultSession.setDisplayMediaRequestHandler(
    displayMediaHandler({ capturer: desktopCapturer, choose: (sources) => started.screenChoice.ask(sources), log }),
  );

  const ipc = mountHostIpc({
    ipcMain,
    router: started.router,
    events: started.events,
    media: started.media,
    createChannel: () => new MessageChannelMain(),
    studioContents: () => BrowserWindow.getAllWindows().map((window) => window.webContents),
    log,
  });
  // Closing the window or quitting while live or recording asks first (OBS does too).
  closeGuard = studioCloseGuard({
    log,
    active: () => {
      const state = started.outputs.state();
      return state.streaming.active || state.recording.active;
    },
    confirm: ({ message, detail, buttons }) => {
      const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const options = { type: 'question' as const, message, detail, buttons, defaultId: 1, cancelId: 1, noLink: true };
      return (window ? dialog.showMessageBoxSync(window, options) : dialog.showMessageBoxSync(options)) === 0;
    },
  });
  // A recording is finalised and streams end before the app quits (one deferred quit).
  let shutDown = false;
  app.on('before-quit', (event) => {
    if (shutDown) return;
    event.preventDefault();
    if (closeGuard && !closeGuard.mayClose()) return;
    shutDown = true;
    void started.shutdown().finally(() => app.quit());
  });
  app.on('will-quit', () => {
    ipc.dispose();
    updates?.dispose();
  });
  // One studio window: closing it quits, on macOS too (as OBS does), so streams and recordings
  // never carry on with no window to show or end them.
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createStudioWindow(log);
  });
  createStudioWindow(log);
  if (updates) setTimeout(() => void updates.check(), 10_000).unref();
}

/** The updater of a packaged app (or of any run given TALLY_UPDATE_URL), or undefined with the reason logged. */
function createUpdates(log: Logger) {
  const resources = app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources');
  try {
    const configured = app.isPackaged
      ? (load(readFileSync(join(process.resourcesPath, 'app-update.yml'), 'utf8')) as { url?: string } | undefined)?.url
      : undefined;
    const feedBaseUrl = process.env.TALLY_UPDATE_URL ?? configured;
    if (!feedBaseUrl) return undefined;
    return electronUpdateController({
      updater: electronUpdater.autoUpdater,
      publicKey: parsePublicKey(readFileSync(join(resources, PUBLIC_KEY_FILE), 'utf8')),
      feedBaseUrl,
      currentVersion: app.getVersion(),
      log: log.child({ service: 'updates' }),
    });
  } catch (error) {
    log.error({ err: error }, 'updates are off: the feed address or the update-signing key could not be read');
    return undefined;
  }
}

function createStudioWindow(log: Logger): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Tally Studio',
    backgroundColor: '#15171c',
    show: false,
    webPreferences: secureWebPreferences(join(bundleDir, 'preload.cjs')),
  });
  recoverStudioRenderer(window.webContents, {
    log,
    reload: () => void window.loadURL(APP_ENTRY_URL),
    notify: ({ title, detail }) => void dialog.showMessageBox(window, { type: 'warning', message: title, detail }),
  });
  closeGuard?.watch(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
