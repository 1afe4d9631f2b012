/**
 * The host's end of the studio's encode: it takes the renderer's H.264 chunks and mixed PCM (s16le)
 * from the media hub, encodes the PCM to AAC (`aac-encoder.ts`), puts both on one
 * continuous program clock, interleaves them by time (as OBS does before sending), and hands
 * every packet to each output. One encode, any number of outputs.
 *
 * Clock: the renderer stamps video and PCM on its shared clock; the media frame's track is
 * the encoding session. A new session (a reloaded page, a restarted encoder) gets an offset
 * that continues the program clock where the last video frame ended, so outputs never see
 * time go backwards.
 *
 * Start: while the AAC child starts (its first frame comes some 100 ms to a second after video),
 * video is held until the audio configuration is known, so every output starts with both
 * sequence headers before media, as OBS sends them (a receiver that learns of audio later
 * sees a new decoder configuration: a new HLS init segment, a discontinuity). The wait is
 * bounded (`audioStartWaitUs`): when audio does not come, video goes out alone.
 */
import type { Disposable } from '../../../common/host/contract-kit.ts';
import { MediaFlags, MediaKind, type MediaFrame } from '../../../common/host/media-frame.ts';
import { parseAacConfig } from '../../../common/media/aac.ts';
import { avcCodecString, parseAvcDecoderConfig, parseAvcSps } from '../../../common/media/avc.ts';
import type { Logger } from '../logger.ts';
import type { MediaHub } from '../media-hub.ts';
import { AacEncoder, type AacEncoderState, type AacFrame } from './aac-encoder.ts';
import { audioFlvBody, videoFlvBody, type ProgramConfig, type ProgramOutput, type ProgramPacket } from './program.ts';

export interface ProgramFeedOptions {
  media: MediaHub;
  log: Logger;
  /** The ffmpeg for AAC, or null where none was found (video only, with `audioUnavailable` as the reason). */
  ffmpegPath: string | null;
  audioUnavailable?: string;
  /** Hears the AAC encoder's state (for the UI). */
  onAudioState(state: 'idle' | 'running' | 'restarting' | 'unavailable', error: string | null): void;
  /** How long video may wait for audio of the same time before it goes alone, µs. Default 300 ms. */
  interleaveUs?: number;
  /** How long video may wait, at the start, for the AAC encoder's first frame (its configuration), µs. Default 3 s. */
  audioStartWaitUs?: number;
  /** Creates the AAC encoder (tests inject ffmpeg paths that fail). */
  createAacEncoder?: (options: ConstructorParameters<typeof AacEncoder>[0]) => AacEncoder;
}

/** No PCM for this long behind the video means a silent mixer: fill with silence. */
const SILENCE_AFTER_US = 250_000;
/** ...up to this far behind the video, leaving room for PCM still in flight. */
const SILENCE_LAG_US = 100_000;

export class ProgramFeed implements Disposable {
  private readonly options: ProgramFeedOptions;
  private readonly outputs = new Set<ProgramOutput>();
  private readonly subscriptions: Disposable[];
  private aac: AacEncoder | null = null;
  private ffmpeg: { path: string | null; unavailable: string | undefined };
  private audioBitrateKbps = 0;
  private active = false;
  private configValue: ProgramConfig = { video: null, audio: null };
  /** Session (media frame track) → offset from the renderer's clock to the program clock, µs. */
  private readonly sessionOffsets = new Map<number, number>();
  private currentSession: number | null = null;
  private lastVideoEndUs: number | null = null;
  private readonly videoQueue: ProgramPacket[] = [];
  private readonly audioQueue: ProgramPacket[] = [];
  private readonly interleaveUs: number;
  private readonly audioStartWaitUs: number;
  /** From start() until the AAC encoder's first frames catch up with the video (or `audioStartWaitUs` passes). */
  private awaitingAudio = false;
  /** Figures for stats and tests. */
  readonly counters = { videoFrames: 0, audioFrames: 0, droppedBeforeSession: 0 };

  constructor(options: ProgramFeedOptions) {
    this.options = options;
    this.ffmpeg = { path: options.ffmpegPath, unavailable: options.audioUnavailable };
    this.interleaveUs = options.interleaveUs ?? 300_000;
    this.audioStartWaitUs = options.audioStartWaitUs ?? 3_000_000;
    this.subscriptions = [
      options.media.handle(MediaKind.video, (frame) => this.onVideoFrame(frame)),
      options.media.handle(MediaKind.audioPcm, (frame) => this.onPcmFrame(frame)),
    ];
  }

  /** The current track configuration. */
  get config(): ProgramConfig {
    return this.configValue;
  }

  /** Whether the feed is taking media in (some output is active). */
  get running(): boolean {
    return this.active;
  }

  /** The AAC child's pid (diagnostics, tests). */
  get audioEncoderPid(): number | null {
    return this.aac?.pid ?? null;
  }

  /** Starts taking media in and encoding audio at `audioBitrateKbps`. */
  start(audioBitrateKbps: number): void {
    if (this.active) return;
    this.active = true;
    this.audioBitrateKbps = audioBitrateKbps;
    this.configValue = { video: this.configValue.video, audio: null };
    this.startAudio();
    this.awaitingAudio = this.aac !== null;
  }

  /** Stops taking media in; outputs keep what they have. */
  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.flushQueues(true);
    this.awaitingAudio = false;
    this.stopAudio();
    this.currentSession = null;
  }

  /**
   * Restarts the AAC encoder at a new bitrate; the feed stays active and video flows on
   * (audio resumes with the new child's first frames).
   */
  setAudioBitrate(kbps: number): void {
    this.audioBitrateKbps = kbps;
    if (!this.active) return;
    this.flushQueues(true);
    this.stopAudio();
    this.startAudio();
  }

  /** Starts an AAC encoder; the audio configuration changes only if its first frame's differs. */
  private startAudio(): void {
    if (!this.ffmpeg.path) {
      this.options.onAudioState('unavailable', this.ffmpeg.unavailable ?? 'ffmpeg was not found; streaming video without audio');
      return;
    }
    const create = this.options.createAacEncoder ?? ((options) => new AacEncoder(options));
    this.aac = create({
      ffmpegPath: this.ffmpeg.path,
      bitrateKbps: this.audioBitrateKbps,
      log: this.options.log.child({ encoder: 'aac' }),
      onFrame: (frame) => this.onAacFrame(frame),
      onStateChange: (state: AacEncoderState, error) => this.options.onAudioState(state === 'stopped' ? 'idle' : state, error),
    });
    this.aac.start();
  }

  /**
   * Stops the AAC encoder. It is detached first: its 'stopped' state reaches the owner, which
   * may start the feed again from inside that call, and must find no encoder to replace.
   */
  private stopAudio(): void {
    const aac = this.aac;
    this.aac = null;
    aac?.stop();
  }

  /** Uses another ffmpeg for AAC (null: none, for `unavailable`'s reason); a running encoder restarts on it. */
  setFfmpeg(path: string | null, unavailable?: string): void {
    this.ffmpeg = { path, unavailable };
    if (this.active) this.setAudioBitrate(this.audioBitrateKbps);
  }

  addOutput(output: ProgramOutput): Disposable {
    this.outputs.add(output);
    return { dispose: () => this.outputs.delete(output) };
  }

  private onVideoFrame(frame: MediaFrame): void {
    if (!this.active) return;
    if (frame.flags & MediaFlags.config) {
      this.onVideoConfig(new Uint8Array(frame.payload));
      return;
    }
    if (!this.configValue.video) return; // chunks before any avcC cannot be described
    let offset = this.sessionOffsets.get(frame.track);
    if (offset === undefined || frame.track !== this.currentSession) {
      // A new session continues the program clock where the last frame ended.
      offset = this.lastVideoEndUs === null ? 0 : this.lastVideoEndUs - frame.timestampUs;
      this.sessionOffsets.clear();
      this.sessionOffsets.set(frame.track, offset);
      this.currentSession = frame.track;
    }
    const timestampUs = frame.timestampUs + offset;
    if (this.lastVideoEndUs !== null && timestampUs < this.lastVideoEndUs - 1000) return; // late or duplicate
    const durationUs = this.configValue.video.fps ? 1e6 / this.configValue.video.fps : 33_333;
    this.lastVideoEndUs = timestampUs + durationUs;
    const data = new Uint8Array(frame.payload);
    const keyframe = (frame.flags & MediaFlags.keyframe) !== 0;
    this.counters.videoFrames++;
    this.videoQueue.push({ kind: 'video', timestampUs, durationUs, keyframe, data, flvBody: videoFlvBody(data, keyframe) });
    const aac = this.aac;
    if (aac) {
      const written = aac.writtenUntilUs;
      if (written === null || written < timestampUs - SILENCE_AFTER_US) aac.fillSilenceTo(timestampUs - SILENCE_LAG_US);
      // This frame goes out once AAC past its time is back: PCM held for batching goes to the child now.
      aac.flushPcm();
    }
    this.flushQueues(false);
  }

  private onVideoConfig(avcC: Uint8Array): void {
    const current = this.configValue.video;
    if (current && sameBytes(current.avcC, avcC)) return;
    try {
      const record = parseAvcDecoderConfig(avcC);
      const sps = parseAvcSps(record.sps[0]!);
      this.setConfig({
        ...this.configValue,
        video: { avcC, codec: avcCodecString(record), width: sps.width, height: sps.height, fps: sps.fps ?? null },
      });
    } catch (error) {
      this.options.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'unreadable avcC from the studio ignored');
    }
  }

  private onPcmFrame(frame: MediaFrame): void {
    const offset = this.sessionOffsets.get(frame.track);
    if (!this.active || !this.aac) return;
    if (offset === undefined) {
      this.counters.droppedBeforeSession++;
      return;
    }
    this.aac.pushPcm(new Int16Array(frame.payload, 0, Math.floor(frame.payload.byteLength / 2)), frame.timestampUs + offset);
  }

  private onAacFrame(frame: AacFrame): void {
    if (!this.active) return;
    const audio = this.configValue.audio;
    if (!audio || !sameBytes(audio.asc, frame.config)) {
      const parsed = parseAacConfig(frame.config);
      this.setConfig({ ...this.configValue, audio: { asc: frame.config, sampleRateHz: parsed.sampleRateHz, channels: parsed.channels } });
    }
    this.counters.audioFrames++;
    this.audioQueue.push({
      kind: 'audio',
      timestampUs: frame.timestampUs,
      durationUs: frame.durationUs,
      keyframe: true,
      data: frame.data,
      flvBody: audioFlvBody(frame.data),
    });
    this.flushQueues(false);
  }

  private setConfig(config: ProgramConfig): void {
    // Packets already queued belong to the old configuration: they go out first. Not so for the
    // first audio configuration: the video held for it goes out after it, with its audio.
    const firstAudio = this.configValue.audio === null && config.video === this.configValue.video;
    if (!firstAudio) this.flushQueues(true);
    this.configValue = config;
    for (const output of this.outputs) output.onConfig(config);
  }

  /**
   * Emits queued packets in time order; video waits for audio of its time up to `interleaveUs`.
   * Audio goes out together with the video frame after it (or alone once `interleaveUs` of it
   * waits with no video), so each output gets one turn of packets per video frame rather than
   * one per AAC frame as well: one socket write per destination per frame. Until the AAC
   * encoder's first frame, video waits for it up to `audioStartWaitUs`.
   */
  private flushQueues(all: boolean): void {
    const audioExpected = this.aac !== null;
    for (;;) {
      const video = this.videoQueue[0];
      if (video) {
        const newestVideo = this.videoQueue[this.videoQueue.length - 1]!;
        const newestAudio = this.audioQueue[this.audioQueue.length - 1];
        const heldUs = newestVideo.timestampUs - video.timestampUs;
        const ready =
          all ||
          !audioExpected ||
          (newestAudio !== undefined && newestAudio.timestampUs > video.timestampUs) ||
          heldUs >= this.videoWaitUs(heldUs);
        if (!ready) return;
        while (this.audioQueue.length > 0 && this.audioQueue[0]!.timestampUs <= video.timestampUs) this.emit(this.audioQueue.shift()!);
        this.emit(this.videoQueue.shift()!);
        continue;
      }
      const audio = this.audioQueue[0];
      if (!audio) return;
      const newestAudio = this.audioQueue[this.audioQueue.length - 1]!;
      if (!all && newestAudio.timestampUs - audio.timestampUs < this.interleaveUs) return;
      this.emit(this.audioQueue.shift()!);
    }
  }

  /**
   * How long video may wait for audio of its time, given how much is held: `interleaveUs`, or
   * `audioStartWaitUs` at the start until the AAC encoder's frames have caught up with the
   * video (or have not come in that time: then video goes alone).
   */
  private videoWaitUs(heldUs: number): number {
    if (this.awaitingAudio && heldUs >= this.audioStartWaitUs) {
      this.awaitingAudio = false;
      this.options.log.warn({ waitedMs: Math.round(heldUs / 1000) }, 'no audio from the AAC encoder yet; video goes out alone');
    } else if (this.awaitingAudio && this.configValue.audio && heldUs < this.interleaveUs) this.awaitingAudio = false;
    return this.awaitingAudio ? this.audioStartWaitUs : this.interleaveUs;
  }

  private emit(packet: ProgramPacket): void {
    for (const output of this.outputs) output.onPacket(packet);
  }

  dispose(): void {
    this.stop();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.outputs.clear();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
