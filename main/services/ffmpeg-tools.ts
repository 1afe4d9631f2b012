/**
 * The ffmpeg and ffprobe the host runs, and the path the user set for them in Settings
 * (stored as `host.ffmpegPath`). Resolution (native/ffmpeg.ts): the stored path first, then
 * `TALLY_FFMPEG`, a bundled copy, PATH and the usual install folders. ffprobe is looked for
 * beside a configured ffmpeg first. A new path is checked (`-version`) before it is stored,
 * and everything that runs ffmpeg hears of it at once (`onChange`).
 */
import { dirname, join } from 'node:path';
import type { FfmpegInfo } from '../../common/host/contract.ts';
import { checkFfmpegBinary, resolveFfmpeg, type ResolveFfmpegOptions } from '../../native/ffmpeg.ts';
import type { Logger } from './logger.ts';
import type { Store } from './store.ts';

const PATH_KEY = 'host.ffmpegPath';

export class FfmpegTools {
  private ffmpegInfo: FfmpegInfo = { found: false, error: 'not looked for yet' };
  private ffprobeInfo: FfmpegInfo = { found: false, error: 'not looked for yet' };
  private readonly listeners = new Set<(ffmpeg: FfmpegInfo) => void>();
  private readonly store: Store;
  private readonly options: ResolveFfmpegOptions;
  private readonly log: Logger;

  private constructor(store: Store, options: ResolveFfmpegOptions, log: Logger) {
    this.store = store;
    this.options = options;
    this.log = log;
  }

  /** Finds both tools, starting from the stored path. */
  static async start(store: Store, options: ResolveFfmpegOptions | undefined, log: Logger): Promise<FfmpegTools> {
    const tools = new FfmpegTools(store, options ?? {}, log);
    await tools.resolve(tools.storedPath());
    return tools;
  }

  /** The ffmpeg in use, or why there is none. */
  get ffmpeg(): FfmpegInfo {
    return this.ffmpegInfo;
  }

  /** The ffprobe in use, or why there is none. */
  get ffprobe(): FfmpegInfo {
    return this.ffprobeInfo;
  }

  /** Hears each change of the ffmpeg in use. */
  onChange(listener: (ffmpeg: FfmpegInfo) => void): void {
    this.listeners.add(listener);
  }

  /**
   * Uses `path` from now on (null: find one again) and stores it. Throws, storing nothing, when
   * `path` does not run as ffmpeg; the message says why.
   */
  async setPath(path: string | null): Promise<FfmpegInfo> {
    if (path !== null) await checkFfmpegBinary(path);
    this.store.setSetting(PATH_KEY, path);
    await this.resolve(path);
    for (const listener of this.listeners) listener(this.ffmpegInfo);
    return this.ffmpegInfo;
  }

  private storedPath(): string | null {
    const stored = this.store.getSetting(PATH_KEY);
    return typeof stored === 'string' && stored.length > 0 ? stored : null;
  }

  private async resolve(configuredPath: string | null): Promise<void> {
    this.ffmpegInfo = await this.find({ ...this.options, configuredPath });
    const beside = configuredPath ? join(dirname(configuredPath), configuredPath.endsWith('.exe') ? 'ffprobe.exe' : 'ffprobe') : null;
    const ffprobe = beside ? await this.find({ ...this.options, tool: 'ffprobe', configuredPath: beside }, true) : null;
    this.ffprobeInfo = ffprobe?.found ? ffprobe : await this.find({ ...this.options, tool: 'ffprobe' });
  }

  private async find(options: ResolveFfmpegOptions, quiet = false): Promise<FfmpegInfo> {
    const tool = options.tool ?? 'ffmpeg';
    try {
      const found = await resolveFfmpeg(options);
      this.log.info({ path: found.path, version: found.version, source: found.source }, `${tool} found`);
      return { found: true, ...found };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!quiet) this.log.warn({ err: message }, `${tool} not found; recording, streaming and the library need it`);
      return { found: false, error: message };
    }
  }
}
