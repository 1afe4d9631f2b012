/**
 * The composition root of the host: opens the store, resolves ffmpeg, builds the contract
 * implementation and the event bus, and owns everything that must be disposed. Electron's
 * main process and the web host both start exactly this; only the transport differs.
 */
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import type { Disposable } from '../../common/host/contract-kit.ts';
import { hostContract, type AppInfo, type HostContract, type ScreenSource } from '../../common/host/contract.ts';
import { HostEventBus, HostRouter } from '../../common/host/router.ts';
import { UserInputError } from '../../common/host/user-input-error.ts';
import type { ResolveFfmpegOptions } from '../../native/ffmpeg.ts';
import { FfmpegTools } from './ffmpeg-tools.ts';
import { sampleHostStats } from './host-stats.ts';
import { Library, type LibraryOptions } from './library/library.ts';
import { webLibraryShell, type LibraryShell } from './library/shell.ts';
import type { Logger } from './logger.ts';
import { MediaHub } from './media-hub.ts';
import { addMadeFilesTo, createOutputs, fileKeyCipher, sceneInfoFrom, type OutputsService, type SecretCipher } from './outputs/index.ts';
import { SceneStore } from './scene-store.ts';
import { StudioSettingsStore } from './settings-store.ts';
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
  /** Seals stream keys at rest: Electron's safeStorage; default AES-GCM under a key file in the data directory. */
  secrets?: SecretCipher;
  /** Where recordings go until the user chooses (Electron: `~/Videos/Tally`); default `Recordings` in the data directory. */
  recordingsDir?: string;
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
  readonly outputs: OutputsService;
  /** Finalises a recording, ends streams and stops the local origin, then disposes everything. */
  shutdown(): Promise<void>;
  /** Asks the studio's picker which screen or window a getDisplayMedia() call may share. */
  readonly screenChoice: ScreenChoiceBroker;
  /** The content library; `library.addMade()` is how recordings and screenshots join it. */
  readonly library: Library;
}

/**
 * How a failed host call is logged: an entry the host refused (`UserInputError`: a folder it
 * cannot use, a bad server URL) as one warning line with the reason, no stack; anything else
 * is a fault, logged as an error with its stack.
 */
export function logHostCallFailure(log: Logger): (channel: string, error: unknown) => void {
  return (channel, error) => {
    if (error instanceof UserInputError) log.warn({ channel, reason: error.message }, 'host call refused');
    else log.error({ channel, err: error }, 'host call failed');
  };
}

export async function startHost(options: HostOptions): Promise<Host> {
  const { log } = options;
  const store = new Store({ dataDir: options.dataDir, ...(options.migrations ? { migrations: options.migrations } : {}) });
  const tools = await FfmpegTools.start(store, options.ffmpeg, log);
  const events = new HostEventBus(hostContract);
  const media = new MediaHub(log.child({ service: 'media' }));
  const scenes = new SceneStore(store);
  const settings = new StudioSettingsStore(store, log.child({ service: 'settings' }));
  const screenChoice = new ScreenChoiceBroker({ announce: (request) => events.emit('capture', 'onDidRequestScreenChoice', request) });
  const updates = new UpdatesService({
    store,
    version: options.version,
    ...(options.updates ? { controller: options.updates } : {}),
    onState: (state) => events.emit('updates', 'onDidChangeState', state),
  });
  const library = new Library({
    db: store.db,
    dataDir: options.dataDir,
    tools: () => {
      const { ffmpeg, ffprobe } = tools;
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
  // The library resumes its queue before outputs announce a recording cut short by the last shutdown.
  library.start();
  const madeFiles = addMadeFilesTo(library, log.child({ service: 'outputs' }));
  const outputs = createOutputs({
    store,
    cipher: options.secrets ?? fileKeyCipher(options.dataDir),
    log: log.child({ service: 'outputs' }),
    media,
    dataDir: options.dataDir,
    defaultRecordingsDir: options.recordingsDir ?? join(options.dataDir, 'Recordings'),
    ffmpeg: tools.ffmpeg,
    scenes: sceneInfoFrom(scenes),
    files: {
      fileFinished(file) {
        events.emit('recording', 'onDidSaveFile', file);
        madeFiles.fileFinished(file);
      },
    },
    onStateChange: (state) => events.emit('outputs', 'onDidChangeState', state),
  });
  // The library asks `tools` at each job; the AAC encoder restarts on the new binary.
  tools.onChange((ffmpeg) => outputs.service.setFfmpeg(ffmpeg));

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
          ffmpeg: tools.ffmpeg,
        }),
        setFfmpegPath: (path) => tools.setPath(path),
      },
      scenes: {
        listCollections: async () => scenes.list(),
        loadCollection: async () => scenes.loadActive(),
        saveCollection: async (collection) => {
          const summary = scenes.save(collection);
          events.emit('scenes', 'onDidChangeCollection', summary);
          return summary;
        },
        getCollection: async (id) => scenes.load(id),
        removeCollection: async (id) => {
          scenes.remove(id);
          return null;
        },
      },
      settings: {
        get: async () => settings.get(),
        update: async (patch) => {
          const next = settings.update(patch);
          events.emit('settings', 'onDidChange', next);
          return next;
        },
      },
      capture: {
        listScreenSources: async () => (options.screenSources ? options.screenSources.list() : []),
        answerScreenChoice: async (requestId, sourceId) => screenChoice.answer(requestId, sourceId),
      },
      outputs: outputs.outputs,
      recording: outputs.recording,
      updates: {
        getChannel: async () => updates.channel(),
        setChannel: async (channel) => updates.setChannel(channel),
        check: async () => updates.check(),
        getState: async () => updates.state(),
        installAndRestart: async () => updates.installAndRestart(),
      },
      library: library.service,
    },
    logHostCallFailure(log),
  );

  const stats = sampleHostStats((sample) => events.emit('app', 'onDidUpdateStats', sample), options.statsIntervalMs);

  const dispose = () => {
    outputs.service.dispose();
    stats.dispose();
    screenChoice.dispose();
    updates.dispose();
    void library.dispose();
    store.dispose();
  };
  return {
    router,
    events,
    media,
    store,
    outputs: outputs.service,
    screenChoice,
    library,
    async shutdown() {
      await outputs.service.shutdown().catch((error: unknown) => log.error({ err: error }, 'outputs did not stop cleanly'));
      await madeFiles.settled();
      dispose();
    },
    dispose,
  };
}
