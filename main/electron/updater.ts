/**
 * Updates for testers: electron-updater with a generic feed per channel
 * (`<base>/<channel>/<channel><-platform>.yml`, e.g. `https://example.org/updates/beta/beta-linux.yml`),
 * read through `SignedFeedProvider`, which refuses the channel file unless its detached
 * ed25519 signature verifies with the key in `resources/` (see `signed-feed.ts`). Every OS's
 * updater (NSIS, macOS, AppImage, deb) asks its provider for the feed, so the check holds on
 * all of them. Staged rollout (`stagingPercentage`) and blockmap differential downloads are
 * electron-updater's own (AppUpdater.isStagingMatch with the per-install `.updaterId`;
 * DifferentialDownloader), and the download's sha512 comes from the signed file.
 *
 * electron-updater (6.8, out/providerFactory.js): `setFeedURL({ provider: 'custom',
 * updateProvider })` constructs `new updateProvider(options, updater, runtimeOptions)`;
 * Provider.getCustomChannelName appends the platform suffix (`-mac`, `-linux`, `-linux-arm64`,
 * none on Windows). ESM import as its docs say: `import pkg from 'electron-updater'`.
 */
import type { KeyObject } from 'node:crypto';
import electronUpdater, { type AppUpdater, type ProgressInfo, type UpdateInfo } from 'electron-updater';
import { resolveFiles, type ProviderRuntimeOptions } from 'electron-updater/out/providers/Provider.js';
import type { ResolvedUpdateFileInfo } from 'electron-updater/out/types.js';
import type { UpdateChannel, UpdateState } from '../../common/host/contract.ts';
import type { Disposable } from '../../common/host/contract-kit.ts';
import type { Logger } from '../services/logger.ts';
import { checkFeed, SIGNATURE_SUFFIX } from '../services/updates/signed-feed.ts';
import type { UpdateController } from '../services/updates/update-service.ts';

const { Provider } = electronUpdater;

/** The error code of a feed Tally refused (signature, downgrade, malformed). */
export const UPDATE_REFUSED = 'ERR_TALLY_UPDATE_REFUSED';

/** The options `setFeedURL` hands to `SignedFeedProvider`. */
export interface SignedFeedOptions {
  provider: 'custom';
  updateProvider: typeof SignedFeedProvider;
  /** This channel's folder, e.g. `https://example.org/updates/beta/`. */
  url: string;
  channel: UpdateChannel;
  publicKey: KeyObject;
  currentVersion: string;
}

/** A generic provider that returns the channel file only after Tally's checks pass. */
export class SignedFeedProvider extends Provider<UpdateInfo> {
  private readonly feed: SignedFeedOptions;
  private readonly baseUrl: URL;

  constructor(options: SignedFeedOptions, _updater: AppUpdater, runtimeOptions: ProviderRuntimeOptions) {
    super(runtimeOptions);
    this.feed = options;
    this.baseUrl = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
  }

  override async getLatestVersion(): Promise<UpdateInfo> {
    const fileName = `${this.getCustomChannelName(this.feed.channel)}.yml`;
    const yml = await this.httpRequest(new URL(fileName, this.baseUrl));
    if (yml === null) throw refused(`Update refused: ${fileName} came back empty.`);
    const signature = await this.httpRequest(new URL(fileName + SIGNATURE_SUFFIX, this.baseUrl)).catch((error: unknown) => {
      if ((error as { statusCode?: number }).statusCode === 404) return null;
      throw error;
    });
    const verdict = checkFeed({
      fileName,
      bytes: Buffer.from(yml, 'utf8'),
      signature,
      publicKey: this.feed.publicKey,
      channel: this.feed.channel,
      currentVersion: this.feed.currentVersion,
    });
    if (!verdict.ok) throw refused(verdict.message);
    return verdict.info as unknown as UpdateInfo;
  }

  override resolveFiles(updateInfo: UpdateInfo): ResolvedUpdateFileInfo[] {
    return resolveFiles(updateInfo, this.baseUrl);
  }
}

function refused(message: string): Error {
  return Object.assign(new Error(message), { code: UPDATE_REFUSED });
}

/** A channel's folder under the feed's base URL. */
export function channelFeedUrl(baseUrl: string, channel: UpdateChannel): string {
  return new URL(`${channel}/`, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}

export interface ElectronUpdatesOptions {
  /** electron-updater's `autoUpdater` (or, in tests, any AppUpdater). */
  updater: AppUpdater;
  publicKey: KeyObject;
  /** The folder holding one folder per channel, e.g. `https://example.org/updates/`. */
  feedBaseUrl: string;
  currentVersion: string;
  log: Logger;
}

/** electron-updater as the host's `UpdateController`: channels, signed feeds, states for Settings. */
export function electronUpdateController(options: ElectronUpdatesOptions): UpdateController & Disposable {
  const { updater, log } = options;
  const listeners = new Set<(state: UpdateState) => void>();
  let state: UpdateState = { kind: 'idle' };
  const set = (next: UpdateState) => {
    state = next;
    for (const listener of listeners) listener(next);
  };
  // electron-updater's own lines (staging decisions, downloads) go to Tally's log.
  updater.logger = {
    info: (message?: unknown) => log.info({}, String(message)),
    warn: (message?: unknown) => log.warn({}, String(message)),
    error: (message?: unknown) => log.error({}, String(message)),
    debug: (message: string) => log.debug({}, message),
  };
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  const handlers = {
    'checking-for-update': () => set({ kind: 'checking' }),
    'update-not-available': (info: UpdateInfo) => set({ kind: 'up-to-date', version: info.version }),
    'update-available': (info: UpdateInfo) => {
      log.info({ version: info.version }, 'update available');
      set({ kind: 'available', version: info.version });
    },
    'download-progress': (progress: ProgressInfo) =>
      set({
        kind: 'downloading',
        version: 'version' in state ? state.version : '',
        percent: Math.min(100, Math.max(0, progress.percent)),
        bytesPerSecond: Math.max(0, progress.bytesPerSecond),
      }),
    'update-downloaded': (info: UpdateInfo) => {
      log.info({ version: info.version }, 'update downloaded; it installs when Tally quits');
      set({ kind: 'downloaded', version: info.version });
    },
    error: (error: Error) => {
      const code = (error as { code?: string }).code;
      log.warn({ err: error.message, code }, code === UPDATE_REFUSED ? 'update refused' : 'update failed');
      set(code === UPDATE_REFUSED ? { kind: 'refused', message: error.message } : { kind: 'error', message: error.message });
    },
  } as const;
  for (const [event, handler] of Object.entries(handlers)) updater.on(event as 'error', handler as (error: Error) => void);

  return {
    setChannel(channel) {
      // Beta and alpha testers may be taken back (a broken build withdrawn); stable never (SignedFeedProvider refuses).
      updater.allowDowngrade = channel !== 'latest';
      updater.allowPrerelease = channel !== 'latest';
      const feed: SignedFeedOptions = {
        provider: 'custom',
        updateProvider: SignedFeedProvider,
        url: channelFeedUrl(options.feedBaseUrl, channel),
        channel,
        publicKey: options.publicKey,
        currentVersion: options.currentVersion,
      };
      updater.setFeedURL(feed);
      log.info({ channel, url: feed.url }, 'update channel set');
    },
    async check() {
      await updater.checkForUpdates().catch(() => {}); // the 'error' event above already set the state
      return state;
    },
    installAndRestart() {
      if (state.kind !== 'downloaded') return false;
      updater.quitAndInstall();
      return true;
    },
    getState: () => state,
    onState(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    dispose() {
      for (const [event, handler] of Object.entries(handlers)) updater.off(event as 'error', handler as (error: Error) => void);
      listeners.clear();
    },
  };
}
