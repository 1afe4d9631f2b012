/**
 * Going live and recording, as the host offers them (`outputs.*` and `recording.*` in the
 * contract): one program feed (the studio's encode plus AAC), any number of destinations
 * each with its own publisher, the recorder, screenshots, the embedded local origin, and
 * the settings that survive a restart. Plain Node, constructor-injected; the state goes out
 * through `onStateChange` (a few times a second at most) and finished files through the
 * `OutputFileListener`.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { z } from 'zod';
import type { Disposable } from '../../../common/host/contract-kit.ts';
import type { FfmpegInfo } from '../../../common/host/contract.ts';
import { MediaKind } from '../../../common/host/media-frame.ts';
import { UserInputError } from '../../../common/host/user-input-error.ts';
import { DEFAULT_RECORDING_FORMAT, RECORDING_FORMAT_INFO, RecordingFormat } from '../../../common/host/recording-format.ts';
import {
  DEFAULT_ENCODER_SETTINGS,
  EncoderSettings,
  IDLE_DESTINATION_STATUS,
  type Destination,
  type DestinationInput,
  type DestinationStatus,
  type LocalOriginState,
  type OutputFile,
  type OutputsState,
  type RecordingState,
} from '../../../common/host/outputs-contract.ts';
import type { Logger } from '../logger.ts';
import { ensureWritableFolder, FolderUnusableError } from '../user-folder.ts';
import type { MediaHub } from '../media-hub.ts';
import type { Store } from '../store.ts';
import { encoderTargetKbps } from './bitrate-adapter.ts';
import { DestinationPublisher, type ConnectRtmp } from './destination-publisher.ts';
import { DestinationStore, LOCAL_ORIGIN_DESTINATION_ID, type StoredDestination } from './destination-store.ts';
import { DEFAULT_FILENAME_PATTERN, fileNameFromPattern, uniquePath } from './file-naming.ts';
import { startLocalOrigin as startEmbeddedOrigin, type LocalOrigin, type LocalOriginOptions } from './local-origin.ts';
import { OutputFiles, recoveryNotice, type OutputFileListener } from './output-files.ts';
import { ProgramFeed } from './program-feed.ts';
import { Recorder, type RecordingResult } from './recorder.ts';
import { pngSize } from './screenshot.ts';
import { maskSecret, openSecret, sealSecret, type SecretCipher } from './secret-box.ts';

/** What the outputs need to know about the scenes: for file names and for the library's rows. */
export interface SceneInfo {
  activeCollectionId(): string | null;
  programSceneName(): string | null;
}

export interface OutputsServiceOptions {
  store: Store;
  cipher: SecretCipher;
  log: Logger;
  media: MediaHub;
  /** The studio's data directory (the local origin keeps its database inside). */
  dataDir: string;
  /** Where recordings go until the user chooses: `~/Videos/Tally` in Electron, the data directory in the web host. */
  defaultRecordingsDir: string;
  /** The ffmpeg found at start; `setFfmpeg` changes it. */
  ffmpeg: FfmpegInfo;
  scenes: SceneInfo;
  files: OutputFileListener;
  onStateChange(state: OutputsState): void;
  /** Stop recording below this much free disk, bytes. Default 256 MiB. */
  minFreeBytes?: number;
  /** Replaces the embedded origin (tests). */
  startLocalOrigin?: (options: LocalOriginOptions) => Promise<LocalOrigin>;
  /** Replaces the RTMP connection (tests). */
  connect?: ConnectRtmp;
}

const ENCODER_KEY = 'outputs.encoder';
const ORIGIN_KEY = 'outputs.localOrigin';
const FOLDER_KEY = 'recording.folder';
const PATTERN_KEY = 'recording.filenamePattern';
const FORMAT_KEY = 'recording.format';
/** The stream the studio publishes to its local origin. */
const LOCAL_STREAM_NAME = 'studio';
const STATE_THROTTLE_MS = 250;
const SCREENSHOT_WAIT_MS = 10_000;

interface OriginSettings {
  lan: boolean;
  rtmpPort: number;
  httpPort: number;
  streamKey: string;
  adminToken: string;
}

export class OutputsService implements Disposable {
  private readonly options: OutputsServiceOptions;
  private readonly log: Logger;
  private readonly destinations: DestinationStore;
  private readonly files: OutputFiles;
  private readonly feed: ProgramFeed;
  private readonly publishers = new Map<string, { publisher: DestinationPublisher; subscription: Disposable }>();
  private encoder: EncoderSettings;
  private ffmpeg: FfmpegInfo;
  private streamingSinceMs: number | null = null;
  private audio: OutputsState['audio'] = { state: 'idle', error: null };
  private origin: LocalOrigin | null = null;
  private originStarting: Promise<LocalOrigin> | null = null;
  private originState: LocalOriginState = { state: 'stopped', lan: false, viewerUrl: null, playback: null, error: null };
  private recording: {
    recorder: Recorder;
    subscription: Disposable;
    fileId: string;
    destinationIds: Set<string>;
    startedAtMs: number;
  } | null = null;
  private recordingError: string | null = null;
  private readonly images = new Map<number, { bytes: Uint8Array; atMs: number }>();
  private readonly imageWaiters = new Map<number, (bytes: Uint8Array) => void>();
  private readonly imageSubscription: Disposable;
  private stateTimer: ReturnType<typeof setTimeout> | null = null;
  private lastStateJson = '';
  /** While encoding: the figures (recording time and size, each destination's bitrate and queue) go out once a second, when they changed. */
  private readonly ticker: ReturnType<typeof setInterval>;
  private disposed = false;
  /**
   * Settles (never rejects) once the recordings the last run left unfinished are read back,
   * indexed, announced (those with media) and summed up in the recording's `error`.
   */
  readonly recovered: Promise<OutputFile[]>;

  constructor(options: OutputsServiceOptions) {
    this.options = options;
    this.log = options.log;
    this.ffmpeg = options.ffmpeg;
    this.destinations = new DestinationStore(options.store, options.cipher);
    this.files = new OutputFiles(options.store);
    const stored = EncoderSettings.safeParse(options.store.getSetting(ENCODER_KEY));
    this.encoder = stored.success ? stored.data : DEFAULT_ENCODER_SETTINGS;
    this.originState.lan = this.originSettings()?.lan ?? false;
    this.feed = new ProgramFeed({
      media: options.media,
      log: options.log.child({ component: 'program' }),
      ...ffmpegForFeed(options.ffmpeg),
      onAudioState: (state, error) => {
        this.audio = { state, error: error ?? (state === 'running' ? null : this.audio.error) };
        this.changed();
      },
    });
    this.imageSubscription = options.media.handle(MediaKind.image, (frame) => this.onImage(frame.track, new Uint8Array(frame.payload)));
    this.ticker = setInterval(() => {
      if (this.encoderActive() && !this.stateTimer && !this.disposed) this.emitState();
    }, 1000);
    this.ticker.unref?.();
    this.recovered = this.recoverInterrupted();
  }

  private async recoverInterrupted(): Promise<OutputFile[]> {
    try {
      const recovered = await this.files.recoverInterrupted();
      for (const { file, problem } of recovered) {
        const { path, durationMs, sizeBytes } = file;
        if (file.status === 'empty') {
          this.log.warn({ path, problem }, 'a recording the last shutdown cut short had recorded nothing; it is not added to the library');
          continue;
        }
        if (problem)
          this.log.warn({ path, sizeBytes, problem }, 'a recording was cut short by the last shutdown, and could not be read back');
        else
          this.log.warn({ path, durationMs, sizeBytes }, 'a recording was cut short by the last shutdown; it plays up to its last second');
        if (!this.disposed) this.options.files.fileFinished(file);
      }
      const notice = recoveryNotice(recovered);
      if (notice && !this.recording && !this.disposed) {
        this.recordingError = notice;
        this.changed();
      }
      return recovered.map(({ file }) => file);
    } catch (error) {
      this.log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'recordings the last shutdown cut short could not be recovered',
      );
      return [];
    }
  }

  // ---- state ----------------------------------------------------------------------------

  state(): OutputsState {
    const running = [...this.publishers.values()]
      .map(({ publisher }) => publisher)
      .filter((publisher) => isRunning(publisher.status().state));
    return {
      streaming: { active: running.length > 0, sinceMs: running.length > 0 ? this.streamingSinceMs : null },
      destinations: this.destinations.list().map((stored) => this.view(stored)),
      encoder: {
        settings: this.encoder,
        active: this.encoderActive(),
        targetVideoBitrateKbps: encoderTargetKbps(
          this.encoder.videoBitrateKbps,
          running.map((publisher) => publisher.requestedBitrateKbps),
        ),
      },
      audio: this.audio,
      localOrigin: this.originState,
      recording: this.recordingState(),
    };
  }

  private view(stored: StoredDestination): Destination {
    const publisher = this.publishers.get(stored.id)?.publisher;
    return {
      id: stored.id,
      name: stored.name,
      service: stored.service,
      serverUrl: stored.serverUrl,
      streamKeyMasked: maskSecret(stored.streamKey),
      enabled: stored.enabled,
      adaptiveBitrate: stored.adaptiveBitrate,
      hasCustomCa: stored.caPem !== null,
      status: publisher
        ? publisher.status()
        : stored.keyError
          ? { ...IDLE_DESTINATION_STATUS, reason: stored.keyError }
          : IDLE_DESTINATION_STATUS,
    };
  }

  private recordingState(): RecordingState {
    const progress = this.recording?.recorder.progress();
    return {
      active: this.recording !== null,
      path: this.recording?.recorder.path ?? null,
      startedAtMs: this.recording?.startedAtMs ?? null,
      durationMs: progress?.durationMs ?? 0,
      bytes: progress?.bytes ?? 0,
      diskFreeBytes: progress?.diskFreeBytes ?? null,
      error: this.recordingError,
      folder: this.recordingsFolder(),
      filenamePattern: this.filenamePattern(),
      format: this.recordingFormat(),
    };
  }

  private encoderActive(): boolean {
    return this.recording !== null || [...this.publishers.values()].some(({ publisher }) => isRunning(publisher.status().state));
  }

  /** Emits the state soon (coalescing bursts), and runs or stops the feed to match. */
  private changed(): void {
    if (this.disposed) return;
    this.syncFeed();
    if (this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      if (!this.disposed) this.emitState();
    }, STATE_THROTTLE_MS);
    this.stateTimer.unref?.();
  }

  /** Sends the state when it differs from the last one sent (the figures of an idle second often do not). */
  private emitState(): void {
    const state = this.state();
    const json = JSON.stringify(state);
    if (json === this.lastStateJson) return;
    this.lastStateJson = json;
    this.options.onStateChange(state);
  }

  private syncFeed(): void {
    const active = this.encoderActive();
    if (active && !this.feed.running) this.feed.start(this.encoder.audioBitrateKbps);
    else if (!active && this.feed.running) {
      this.feed.stop();
      this.audio = { state: 'idle', error: this.audio.error };
    }
  }

  // ---- destinations ---------------------------------------------------------------------

  saveDestination(input: DestinationInput): Destination {
    const stored = this.destinations.save(input);
    this.log.info({ destination: stored.id, platform: stored.service }, 'destination saved');
    // A stopped or failed attempt's reason was about the old settings: the edited destination reads idle until started.
    const last = this.publishers.get(stored.id)?.publisher;
    if (last && !isRunning(last.status().state)) this.dropPublisher(stored.id);
    this.changed();
    return this.view(stored);
  }

  /** Includes a destination in Go Live or leaves it out; any destination, the local origin's too. */
  setDestinationEnabled(id: string, enabled: boolean): Destination {
    const stored = this.destinations.setEnabled(id, enabled);
    this.changed();
    return this.view(stored);
  }

  async removeDestination(id: string): Promise<null> {
    await this.stopDestination(id);
    this.destinations.remove(id);
    this.changed();
    return null;
  }

  /** Starts every enabled destination; on a fresh install, the local origin (started on demand). */
  async goLive(): Promise<OutputsState> {
    let enabled = this.destinations.list().filter((destination) => destination.enabled);
    if (this.destinations.list().length === 0) {
      await this.ensureLocalOrigin();
      enabled = this.destinations.list().filter((destination) => destination.enabled);
    }
    if (enabled.length === 0) throw new UserInputError('no destination is enabled; enable one or add one');
    this.streamingSinceMs = Date.now();
    for (const destination of enabled) await this.startDestination(destination.id);
    return this.state();
  }

  async endStream(): Promise<OutputsState> {
    await Promise.all([...this.publishers.keys()].map((id) => this.stopDestination(id)));
    this.streamingSinceMs = null;
    return this.state();
  }

  /** Starts one destination (the others carry on). */
  async startDestination(id: string): Promise<null> {
    let stored = this.destinations.get(id);
    if (!stored) throw new UserInputError(`no destination ${id}`);
    const current = this.publishers.get(id);
    if (current && isRunning(current.publisher.status().state)) return null;
    if (current) this.dropPublisher(id);
    if (stored.service === 'local-origin') {
      await this.ensureLocalOrigin();
      stored = this.destinations.get(id)!;
    }
    this.streamingSinceMs ??= Date.now();
    const publisher = new DestinationPublisher({
      id,
      target: {
        serverUrl: stored.serverUrl,
        streamKey: stored.streamKey ?? '',
        caPem: stored.caPem,
        ...(stored.keyError ? { keyProblem: stored.keyError } : {}),
      },
      log: this.log.child({ component: 'destination' }),
      adaptive: stored.adaptiveBitrate,
      videoKbps: this.encoder.videoBitrateKbps,
      audioKbps: this.encoder.audioBitrateKbps,
      onChange: () => {
        if (publisher.state === 'live') this.recording?.destinationIds.add(id);
        this.changed();
      },
      ...(this.options.connect ? { connect: this.options.connect } : {}),
    });
    this.publishers.set(id, { publisher, subscription: this.feed.addOutput(publisher) });
    this.syncFeed();
    publisher.start(this.feed.config);
    this.changed();
    return null;
  }

  /** Stops one destination (the others carry on). */
  async stopDestination(id: string): Promise<null> {
    const entry = this.publishers.get(id);
    if (!entry) return null;
    this.dropPublisher(id);
    await entry.publisher.stop();
    this.changed();
    return null;
  }

  private dropPublisher(id: string): void {
    const entry = this.publishers.get(id);
    if (!entry) return;
    entry.subscription.dispose();
    this.publishers.delete(id);
  }

  setEncoderSettings(settings: z.input<typeof EncoderSettings>): EncoderSettings {
    const previous = this.encoder;
    this.encoder = EncoderSettings.parse(settings);
    this.options.store.setSetting(ENCODER_KEY, this.encoder);
    for (const { publisher } of this.publishers.values()) publisher.setBitrates(this.encoder.videoBitrateKbps);
    if (previous.audioBitrateKbps !== this.encoder.audioBitrateKbps) this.feed.setAudioBitrate(this.encoder.audioBitrateKbps);
    this.changed();
    return this.encoder;
  }

  /** Uses another ffmpeg for AAC from now on; a running AAC encoder restarts on it. */
  setFfmpeg(ffmpeg: FfmpegInfo): void {
    this.ffmpeg = ffmpeg;
    const { ffmpegPath, audioUnavailable } = ffmpegForFeed(ffmpeg);
    if (ffmpeg.found) this.audio = { ...this.audio, error: null };
    this.feed.setFfmpeg(ffmpegPath, audioUnavailable);
    this.changed();
  }

  // ---- local origin ---------------------------------------------------------------------

  private originSettings(): OriginSettings | null {
    const raw = this.options.store.getSetting(ORIGIN_KEY) as Partial<Record<keyof OriginSettings, unknown>> | undefined;
    if (!raw || typeof raw.streamKey !== 'string' || typeof raw.adminToken !== 'string') return null;
    try {
      return {
        lan: raw.lan === true,
        rtmpPort: typeof raw.rtmpPort === 'number' ? raw.rtmpPort : 0,
        httpPort: typeof raw.httpPort === 'number' ? raw.httpPort : 0,
        streamKey: openSecret(this.options.cipher, raw.streamKey),
        adminToken: openSecret(this.options.cipher, raw.adminToken),
      };
    } catch (error) {
      this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'local origin secrets unreadable; making new ones');
      return null;
    }
  }

  private saveOriginSettings(settings: OriginSettings): void {
    this.options.store.setSetting(ORIGIN_KEY, {
      lan: settings.lan,
      rtmpPort: settings.rtmpPort,
      httpPort: settings.httpPort,
      streamKey: sealSecret(this.options.cipher, settings.streamKey),
      adminToken: sealSecret(this.options.cipher, settings.adminToken),
    });
  }

  /**
   * Hosts on this computer: starts the embedded origin (if it is not running) and (re)adds its
   * destination. While live, the stream goes there at once (unless it is left out of the
   * stream), so its viewer link plays, also after its destination was removed and hosting is
   * asked for again.
   */
  async startLocalOrigin(options: { lan?: boolean } = {}): Promise<LocalOriginState> {
    await this.ensureLocalOrigin(options);
    const live = this.streamingSinceMs !== null && this.destinations.get(LOCAL_ORIGIN_DESTINATION_ID)?.enabled;
    if (live && !this.publishers.has(LOCAL_ORIGIN_DESTINATION_ID)) await this.startDestination(LOCAL_ORIGIN_DESTINATION_ID);
    return this.originState;
  }

  /** The embedded origin running, with its destination stored. */
  private async ensureLocalOrigin(options: { lan?: boolean } = {}): Promise<LocalOriginState> {
    const settings = this.originSettings() ?? {
      lan: false,
      rtmpPort: 0,
      httpPort: 0,
      streamKey: randomBytes(24).toString('base64url'),
      adminToken: randomBytes(24).toString('base64url'),
    };
    const lan = options.lan ?? settings.lan;
    if (this.origin && this.originState.lan !== lan) await this.stopLocalOrigin();
    if (!this.origin) {
      this.originStarting ??= (async () => {
        this.originState = { state: 'starting', lan, viewerUrl: null, playback: null, error: null };
        this.changed();
        const start = this.options.startLocalOrigin ?? startEmbeddedOrigin;
        try {
          const origin = await start({
            dataDir: this.options.dataDir,
            lan,
            streamName: LOCAL_STREAM_NAME,
            streamKey: settings.streamKey,
            adminToken: settings.adminToken,
            rtmpPort: settings.rtmpPort,
            httpPort: settings.httpPort,
            log: this.log.child({ component: 'local-origin' }),
          });
          this.saveOriginSettings({ ...settings, lan, rtmpPort: origin.ports.rtmp, httpPort: origin.ports.http });
          this.originState = { state: 'running', lan, viewerUrl: origin.viewerUrl, playback: origin.playback, error: null };
          this.log.info({ viewerUrl: origin.viewerUrl, lan }, 'local origin running');
          return origin;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.originState = { state: 'failed', lan, viewerUrl: null, playback: null, error: message };
          throw error;
        } finally {
          this.changed();
        }
      })();
      try {
        this.origin = await this.originStarting;
      } finally {
        this.originStarting = null;
      }
    }
    this.destinations.saveLocalOrigin(this.origin.publishServerUrl, settings.streamKey);
    this.changed();
    return this.originState;
  }

  async stopLocalOrigin(): Promise<null> {
    await this.stopDestination(LOCAL_ORIGIN_DESTINATION_ID);
    const origin = this.origin;
    this.origin = null;
    if (origin) await origin.close();
    this.originState = { ...this.originState, state: 'stopped', viewerUrl: null, playback: null, error: null };
    this.changed();
    return null;
  }

  // ---- recording ------------------------------------------------------------------------

  private recordingsFolder(): string {
    const folder = this.options.store.getSetting(FOLDER_KEY);
    return typeof folder === 'string' ? folder : this.options.defaultRecordingsDir;
  }

  private filenamePattern(): string {
    const pattern = this.options.store.getSetting(PATTERN_KEY);
    return typeof pattern === 'string' ? pattern : DEFAULT_FILENAME_PATTERN;
  }

  /** The format the next recording is written in; a stored value this version does not know falls back to the default. */
  private recordingFormat(): RecordingFormat {
    const stored = RecordingFormat.safeParse(this.options.store.getSetting(FORMAT_KEY));
    return stored.success ? stored.data : DEFAULT_RECORDING_FORMAT;
  }

  /** Chooses the format of the next recording (one running carries on in its own). Throws on a format there is not. */
  setRecordingFormat(format: string): RecordingState {
    const parsed = RecordingFormat.safeParse(format);
    if (!parsed.success) throw new UserInputError(parsed.error.issues.map((issue) => issue.message).join('; '));
    this.options.store.setSetting(FORMAT_KEY, parsed.data);
    this.changed();
    return this.recordingState();
  }

  setRecordingFolder(folder: string): RecordingState {
    if (!isAbsolute(folder)) throw new UserInputError('the recordings folder must be an absolute path');
    let resolved: string;
    try {
      resolved = ensureWritableFolder(folder);
    } catch (failure) {
      if (!(failure instanceof FolderUnusableError)) throw failure;
      throw new UserInputError(`${failure.path} cannot be the recordings folder: ${failure.reason}`, { cause: failure });
    }
    this.options.store.setSetting(FOLDER_KEY, resolved);
    this.changed();
    return this.recordingState();
  }

  startRecording(): RecordingState {
    if (this.recording) return this.recordingState();
    const folder = ensureWritableFolder(this.recordingsFolder());
    const format = this.recordingFormat();
    const name = fileNameFromPattern(this.filenamePattern(), new Date(), this.options.scenes.programSceneName());
    const path = uniquePath(folder, name, RECORDING_FORMAT_INFO[format].extension);
    const startedAtMs = Date.now();
    const fileId = this.files.begin('recording', path, startedAtMs, this.options.scenes.activeCollectionId());
    const recorder = new Recorder({
      path,
      format,
      log: this.log.child({ component: 'recorder' }),
      audioExpected: this.ffmpeg.found,
      onStopped: (result, split) => this.recordingStopped(recorder, result, split),
      ...(this.options.minFreeBytes !== undefined ? { minFreeBytes: this.options.minFreeBytes } : {}),
    });
    const live = [...this.publishers.entries()].filter(([, { publisher }]) => publisher.state === 'live').map(([id]) => id);
    this.recording = { recorder, subscription: this.feed.addOutput(recorder), fileId, destinationIds: new Set(live), startedAtMs };
    this.recordingError = null;
    this.syncFeed();
    recorder.onConfig(this.feed.config);
    this.changed();
    return this.recordingState();
  }

  stopRecording(): OutputFile | null {
    const recording = this.recording;
    if (!recording) return null;
    return this.closeRecording(recording.recorder.stop());
  }

  private recordingStopped(recorder: Recorder, result: RecordingResult | null, split: boolean): void {
    if (this.recording?.recorder !== recorder) return;
    if (result?.error) this.recordingError = result.error;
    this.closeRecording(result);
    if (split) this.startRecording();
  }

  private closeRecording(result: RecordingResult | null): OutputFile | null {
    const recording = this.recording;
    if (!recording) return null;
    this.recording = null;
    recording.subscription.dispose();
    let file: OutputFile | null = null;
    if (result) {
      file = this.files.finish(recording.fileId, {
        kind: 'recording',
        path: result.path,
        startedAtMs: result.startedAtMs,
        endedAtMs: result.endedAtMs,
        durationMs: result.durationMs,
        sizeBytes: result.sizeBytes,
        videoCodec: result.videoCodec,
        audioCodec: result.audioCodec,
        width: result.width,
        height: result.height,
        sceneCollectionId: this.options.scenes.activeCollectionId(),
        destinationIds: [...recording.destinationIds],
        status: result.status,
      });
      this.options.files.fileFinished(file);
    } else {
      this.files.discard(recording.fileId);
    }
    this.changed();
    return file;
  }

  // ---- screenshots ----------------------------------------------------------------------

  private onImage(requestId: number, bytes: Uint8Array): void {
    const waiter = this.imageWaiters.get(requestId);
    if (waiter) {
      this.imageWaiters.delete(requestId);
      waiter(bytes);
      return;
    }
    // The call may come after the picture: keep a few, briefly.
    const now = Date.now();
    for (const [id, image] of this.images) if (now - image.atMs > SCREENSHOT_WAIT_MS) this.images.delete(id);
    if (this.images.size < 8) this.images.set(requestId, { bytes, atMs: now });
  }

  /** Saves the PNG the renderer sent with `requestId` into the screenshots folder. */
  async saveScreenshot(requestId: number): Promise<OutputFile> {
    const bytes = await this.takeImage(requestId);
    const { width, height } = pngSize(bytes);
    const folder = ensureWritableFolder(join(this.recordingsFolder(), 'Screenshots'));
    const now = Date.now();
    const path = uniquePath(
      folder,
      fileNameFromPattern(this.filenamePattern(), new Date(now), this.options.scenes.programSceneName()),
      'png',
    );
    writeFileSync(path, bytes, { flag: 'wx' });
    const file = this.files.finish(null, {
      kind: 'screenshot',
      path,
      startedAtMs: now,
      endedAtMs: now,
      durationMs: null,
      sizeBytes: bytes.length,
      videoCodec: 'png',
      audioCodec: null,
      width,
      height,
      sceneCollectionId: this.options.scenes.activeCollectionId(),
      destinationIds: [...this.publishers.entries()].filter(([, { publisher }]) => publisher.state === 'live').map(([id]) => id),
      status: 'complete',
    });
    this.log.info({ path, width, height }, 'screenshot saved');
    this.options.files.fileFinished(file);
    return file;
  }

  private takeImage(requestId: number): Promise<Uint8Array> {
    const ready = this.images.get(requestId);
    if (ready) {
      this.images.delete(requestId);
      return Promise.resolve(ready.bytes);
    }
    return new Promise((resolvePicture, reject) => {
      const timer = setTimeout(() => {
        this.imageWaiters.delete(requestId);
        reject(new Error('the screenshot picture never arrived from the studio'));
      }, SCREENSHOT_WAIT_MS);
      this.imageWaiters.set(requestId, (bytes) => {
        clearTimeout(timer);
        resolvePicture(bytes);
      });
    });
  }

  listFiles(limit?: number): OutputFile[] {
    return this.files.list(limit);
  }

  // ---- lifecycle ------------------------------------------------------------------------

  /** Finalises a recording, stops every destination and the local origin; waits for all of it. */
  async shutdown(): Promise<void> {
    this.stopRecording();
    await this.recovered;
    await this.endStream();
    await this.stopLocalOrigin();
    this.dispose();
  }

  /** Synchronous teardown: finalises a recording (sync I/O), drops connections, stops timers. */
  dispose(): void {
    if (this.disposed) return;
    this.stopRecording();
    this.disposed = true;
    if (this.stateTimer) clearTimeout(this.stateTimer);
    clearInterval(this.ticker);
    for (const id of [...this.publishers.keys()]) {
      const entry = this.publishers.get(id)!;
      this.dropPublisher(id);
      void entry.publisher.stop();
    }
    this.feed.dispose();
    this.imageSubscription.dispose();
    void this.origin?.close();
    this.origin = null;
  }
}

function ffmpegForFeed(ffmpeg: FfmpegInfo): { ffmpegPath: string | null; audioUnavailable?: string } {
  return ffmpeg.found ? { ffmpegPath: ffmpeg.path } : { ffmpegPath: null, audioUnavailable: `No audio: ${ffmpeg.error}` };
}

function isRunning(state: DestinationStatus['state']): boolean {
  return state === 'connecting' || state === 'live' || state === 'reconnecting';
}
