/**
 * The composition root of the host: opens the store, resolves ffmpeg, builds the contract
 * implementation and the event bus, and owns everything that must be disposed. Electron's
 * main process and the web host both start exactly this; only the transport differs.
 */
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import type { Disposable } from '../../common/host/contract-kit.ts';
import { hostContract, type AppInfo, type FfmpegInfo, type HostContract, type ScreenSource } from '../../common/host/contract.ts';
import { HostEventBus, HostRouter } from '../../common/host/router.ts';
import { resolveFfmpeg, type ResolveFfmpegOptions } from '../../native/ffmpeg.ts';
import { sampleHostStats } from './host-stats.ts';
import type { Logger } from './logger.ts';
import { MediaHub } from './media-hub.ts';
import {
  createOutputs,
  fileKeyCipher,
  sceneInfoFrom,
  type OutputFileListener,
  type OutputsService,
  type SecretCipher,
} from './outputs/index.ts';
import { SceneStore } from './scene-store.ts';
import { Store, type Migration } from './store.ts';

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
  /** Also hears every finished recording and screenshot (the content library). */
  outputFiles?: OutputFileListener;
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
}

export async function startHost(options: HostOptions): Promise<Host> {
  const { log } = options;
  const store = new Store({ dataDir: options.dataDir, ...(options.migrations ? { migrations: options.migrations } : {}) });
  const ffmpeg = await findFfmpeg(options.ffmpeg, log);
  const events = new HostEventBus(hostContract);
  const media = new MediaHub(log.child({ service: 'media' }));
  const scenes = new SceneStore(store);
  const outputs = createOutputs({
    store,
    cipher: options.secrets ?? fileKeyCipher(options.dataDir),
    log: log.child({ service: 'outputs' }),
    media,
    dataDir: options.dataDir,
    defaultRecordingsDir: options.recordingsDir ?? join(options.dataDir, 'Recordings'),
    ffmpeg,
    scenes: sceneInfoFrom(scenes),
    files: {
      fileFinished(file) {
        events.emit('recording', 'onDidSaveFile', file);
        options.outputFiles?.fileFinished(file);
      },
    },
    onStateChange: (state) => events.emit('outputs', 'onDidChangeState', state),
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
      },
      outputs: outputs.outputs,
      recording: outputs.recording,
    },
    (channel, error) => log.error({ channel, err: error }, 'host call failed'),
  );

  const stats = sampleHostStats((sample) => events.emit('app', 'onDidUpdateStats', sample), options.statsIntervalMs);

  const dispose = () => {
    outputs.service.dispose();
    stats.dispose();
    store.dispose();
  };
  return {
    router,
    events,
    media,
    store,
    outputs: outputs.service,
    async shutdown() {
      await outputs.service.shutdown().catch((error: unknown) => log.error({ err: error }, 'outputs did not stop cleanly'));
      dispose();
    },
    dispose,
  };
}

async function findFfmpeg(options: ResolveFfmpegOptions | undefined, log: Logger): Promise<FfmpegInfo> {
  try {
    const found = await resolveFfmpeg(options);
    log.info({ path: found.path, version: found.version, source: found.source }, 'ffmpeg found');
    return { found: true, ...found };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn({ err: message }, 'ffmpeg not found; recording and streaming need it');
    return { found: false, error: message };
  }
}
