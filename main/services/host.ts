/**
 * The composition root of the host: opens the store, resolves ffmpeg, builds the contract
 * implementation and the event bus, and owns everything that must be disposed. Electron's
 * main process and the web host both start exactly this; only the transport differs.
 */
import { arch, platform } from 'node:os';
import type { Disposable } from '../../common/host/contract-kit.ts';
import { hostContract, type AppInfo, type FfmpegInfo, type HostContract, type ScreenSource } from '../../common/host/contract.ts';
import { HostEventBus, HostRouter } from '../../common/host/router.ts';
import { resolveFfmpeg, type ResolveFfmpegOptions } from '../../native/ffmpeg.ts';
import { sampleHostStats } from './host-stats.ts';
import { Library, type LibraryOptions } from './library/library.ts';
import { webLibraryShell, type LibraryShell } from './library/shell.ts';
import type { Logger } from './logger.ts';
import { MediaHub } from './media-hub.ts';
import { SceneStore } from './scene-store.ts';
import { ScreenChoiceBroker } from './screen-choice.ts';
import { Store, type Migration } from './store.ts';
import { UpdatesService, type UpdateController } from './updates/update-service.ts';

/** Lists capturable screens and windows; Electron supplies desktopCapturer, the web host has none. */
export interface ScreenSourceProvider {
  list(): Promise<ScreenSource[]>;
}

export interface HostOptions {
  version: string;
  runtime: AppInfo['runtime'];
  dataDir: string;
  log: Logger;
  /** Where to look for ffmpeg; see `resolveFfmpeg`. */
  ffmpeg?: ResolveFfmpegOptions;
  migrations?: readonly Migration[];
  /** Interval of `app.onDidUpdateStats`, default 1000 ms. */
  statsIntervalMs?: number;
  /** Screens and windows for `capture.listScreenSources()`; default none (browsers use getDisplayMedia). */
  screenSources?: ScreenSourceProvider;
  /** The desktop app's updater; without one, `updates` answers that updates come with the installed app. */
  updates?: UpdateController;
  /** The library's trash, reveal and file dialog: Electron's shell, or by default the web host's own (a trash folder, no dialog). */
  libraryShell?: LibraryShell;
  /** Watched folders' write-finish detection (tests shorten it). */
  libraryWatch?: LibraryOptions['watch'];
}

/** A running host: what transports mount, and one `dispose()` for all of it. */
export interface Host extends Disposable {
  readonly router: HostRouter<HostContract>;
  readonly events: HostEventBus<HostContract>;
  readonly media: MediaHub;
  readonly store: Store;
  /** Asks the studio's picker which screen or window a getDisplayMedia() call may share. */
  readonly screenChoice: ScreenChoiceBroker;
  /** The content library; `library.addMade()` is how recordings and screenshots join it. */
  readonly library: Library;
}

export async function startHost(options: HostOptions): Promise<Host> {
  const { log } = options;
  const store = new Store({ dataDir: options.dataDir, ...(options.migrations ? { migrations: options.migrations } : {}) });
  const ffmpeg = await findFfmpeg(options.ffmpeg, log);
  const events = new HostEventBus(hostContract);
  const media = new MediaHub(log.child({ service: 'media' }));
  const scenes = new SceneStore(store);
  const screenChoice = new ScreenChoiceBroker({ announce: (request) => events.emit('capture', 'onDidRequestScreenChoice', request) });
  const updates = new UpdatesService({
    store,
    version: options.version,
    ...(options.updates ? { controller: options.updates } : {}),
    onState: (state) => events.emit('updates', 'onDidChangeState', state),
  });
  const ffprobe = await findFfmpeg({ ...options.ffmpeg, tool: 'ffprobe' }, log);
  const library = new Library({
    db: store.db,
    dataDir: options.dataDir,
    tools: () => {
      if (!ffmpeg.found) throw new Error(`the library needs ffmpeg: ${ffmpeg.error}`);
      if (!ffprobe.found) throw new Error(`the library needs ffprobe: ${ffprobe.error}`);
      return { ffmpeg: ffmpeg.path, ffprobe: ffprobe.path };
    },
    shell: options.libraryShell ?? webLibraryShell(options.dataDir),
    events: {
      itemsChanged: (change) => events.emit('library', 'onDidChangeItems', change),
      jobUpdated: (job) => events.emit('library', 'onDidUpdateJob', job),
    },
    log: log.child({ service: 'library' }),
    ...(options.libraryWatch ? { watch: options.libraryWatch } : {}),
  });

  const router = new HostRouter(
    hostContract,
    {
      app: {
        getInfo: async () => ({
          name: 'Tally',
          version: options.version,
          runtime: options.runtime,
          platform: {
            os: platform(),
            arch: arch(),
            nodeVersion: process.versions.node,
            electronVersion: process.versions.electron ?? null,
          },
          dataDir: options.dataDir,
          database: { path: store.path, schemaVersion: store.schemaVersion },
          ffmpeg,
        }),
      },
      scenes: {
        listCollections: async () => scenes.list(),
        loadCollection: async () => scenes.loadActive(),
        saveCollection: async (collection) => {
          const summary = scenes.save(collection);
          events.emit('scenes', 'onDidChangeCollection', summary);
          return summary;
        },
      },
      capture: {
        listScreenSources: async () => (options.screenSources ? options.screenSources.list() : []),
        answerScreenChoice: async (requestId, sourceId) => screenChoice.answer(requestId, sourceId),
      },
      updates: {
        getChannel: async () => updates.channel(),
        setChannel: async (channel) => updates.setChannel(channel),
        check: async () => updates.check(),
        getState: async () => updates.state(),
        installAndRestart: async () => updates.installAndRestart(),
      },
      library: library.service,
    },
    (channel, error) => log.error({ channel, err: error }, 'host call failed'),
  );

  const stats = sampleHostStats((sample) => events.emit('app', 'onDidUpdateStats', sample), options.statsIntervalMs);
  library.start();

  return {
    router,
    events,
    media,
    store,
    screenChoice,
    library,
    dispose() {
      stats.dispose();
      screenChoice.dispose();
      updates.dispose();
      void library.dispose();
      store.dispose();
    },
  };
}

async function findFfmpeg(options: ResolveFfmpegOptions | undefined, log: Logger): Promise<FfmpegInfo> {
  try {
    const found = await resolveFfmpeg(options);
    log.info({ path: found.path, version: found.version, source: found.source }, `${options?.tool ?? 'ffmpeg'} found`);
    return { found: true, ...found };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn({ err: message }, `${options?.tool ?? 'ffmpeg'} not found; recording, streaming and the library need it`);
    return { found: false, error: message };
  }
}
