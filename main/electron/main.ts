/**
 * The Electron entry: app lifecycle, the single-instance lock, the tally:// protocol, the
 * studio window, and the host services mounted on IPC. Everything with logic lives in the
 * modules it imports, which are tested without Electron; this file only wires them.
 */
import { app, BrowserWindow, desktopCapturer, ipcMain, MessageChannelMain, protocol, safeStorage, session } from 'electron';
import { join } from 'node:path';
import { bundledFfmpegDir } from '../../native/ffmpeg.ts';
import { resolveDataDir } from '../services/data-dir.ts';
import { startHost, type Host } from '../services/host.ts';
import { createLogger } from '../services/logger.ts';
import { fileKeyCipher } from '../services/outputs/index.ts';
import { serveAppRequest } from './app-protocol.ts';
import { mountHostIpc } from './ipc.ts';
import { safeStorageCipher } from './safe-storage-cipher.ts';
import { desktopCapturerProvider, displayMediaHandler } from './screen-sources.ts';
import { APP_ENTRY_URL, APP_SCHEME, hardenWebContents, isPermissionAllowed, secureWebPreferences } from './security.ts';

const log = createLogger('tally-electron');
const bundleDir = import.meta.dirname; // dist/electron
const rendererDir = join(bundleDir, '..', 'renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.setPath('userData', resolveDataDir());
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  void app.whenReady().then(startStudio, (error: unknown) => {
    log.error({ err: error }, 'Electron failed to start');
    app.exit(1);
  });
}

async function startStudio(): Promise<void> {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) =>
    callback(isPermissionAllowed(permission, contents.getURL())),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin),
  );
  session.defaultSession.setDisplayMediaRequestHandler(displayMediaHandler(desktopCapturer));

  let host: Host;
  try {
    host = await startHost({
      version: app.getVersion(),
      runtime: 'electron',
      dataDir: app.getPath('userData'),
      log,
      screenSources: desktopCapturerProvider(desktopCapturer),
      secrets: safeStorageCipher(safeStorage, process.platform, fileKeyCipher(app.getPath('userData')), log),
      recordingsDir: join(app.getPath('videos'), 'Tally'),
      ffmpeg: { bundledDirs: [bundledFfmpegDir(process.resourcesPath), bundledFfmpegDir(join(app.getAppPath(), 'resources'))] },
    });
  } catch (error) {
    log.error({ err: error }, 'the host could not start');
    app.exit(1);
    return;
  }

  const ipc = mountHostIpc({
    ipcMain,
    router: host.router,
    events: host.events,
    media: host.media,
    createChannel: () => new MessageChannelMain(),
    studioContents: () => BrowserWindow.getAllWindows().map((window) => window.webContents),
    log,
  });
  app.on('will-quit', () => {
    ipc.dispose();
    host.dispose();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createStudioWindow();
  });
  createStudioWindow();
}

function createStudioWindow(): BrowserWindow {
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
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
