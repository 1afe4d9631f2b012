/**
 * One recording: the program (the same encode the destinations get) into a file of the
 * chosen format (`recording-writer.ts`: hybrid MP4, fragmented MP4 or FLV) in fragments of
 * at most one second. It starts on a keyframe once it knows both tracks, stamps samples
 * from the program clock (90 kHz video, 48 kHz audio), watches the disk's free space, and on
 * a full disk stops by itself leaving a playable file. A new decoder configuration mid-recording ends the file (`onStopped` with
 * `split`), and the service starts the next one.
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_RECORDING_FORMAT, type RecordingFormat } from '../../../common/host/recording-format.ts';
import type { Fmp4Sample, Fmp4Track } from '../../../common/media/fmp4.ts';
import type { Logger } from '../logger.ts';
import { openRecordingWriter, type RecordingWriter } from './recording-writer.ts';
import type { ProgramConfig, ProgramOutput, ProgramPacket } from './program.ts';

/** How a recording ended. */
export interface RecordingResult {
  path: string;
  /** complete: finalised; truncated: a write failed (a full disk) and the file ends at its last whole fragment, unfinalised. */
  status: 'complete' | 'truncated';
  /** Why it stopped by itself, for the user. */
  error: string | null;
  startedAtMs: number;
  endedAtMs: number;
  durationMs: number;
  sizeBytes: number;
  videoCodec: string | null;
  audioCodec: string | null;
  width: number | null;
  height: number | null;
}

export interface RecorderOptions {
  path: string;
  /** The file's format; default hybrid MP4. */
  format?: RecordingFormat;
  log: Logger;
  /** Wait for AAC before writing (false when there is no audio encoder). */
  audioExpected: boolean;
  /** It stopped by itself: the disk filled, a write failed, or the configuration changed (`split`). */
  onStopped(result: RecordingResult | null, split: boolean): void;
  /** Stop when the disk has less free than this. Default 256 MiB. */
  minFreeBytes?: number;
  /** Longest fragment, µs. Default 1 s. */
  fragmentUs?: number;
  /** Free bytes on the disk holding `dir` (injected by tests). */
  freeBytes?: (dir: string) => number;
}

const VIDEO_TRACK = 1;
const AUDIO_TRACK = 2;
const VIDEO_TIMESCALE = 90_000;
/** How long to wait for the first AAC frame before recording video alone, µs of media. */
const AUDIO_WAIT_US = 2_000_000;
const DISK_CHECK_MS = 2000;

interface Pending {
  tick: number;
  keyframe: boolean;
  data: Uint8Array;
}

/** One track's samples between fragments; the newest is held until the next gives its duration. */
class TrackBuffer {
  readonly samples: Fmp4Sample[] = [];
  firstTick: number | null = null;
  held: Pending | null = null;
  /** Where the last written sample ends, ticks. */
  endTick = 0;

  readonly trackId: number;
  readonly timescale: number;
  readonly nominalDurationTicks: number;

  constructor(trackId: number, timescale: number, nominalDurationTicks: number) {
    this.trackId = trackId;
    this.timescale = timescale;
    this.nominalDurationTicks = nominalDurationTicks;
  }

  add(sample: Pending): void {
    const held = this.held;
    if (held) {
      if (sample.tick <= held.tick) return; // overlapping or out of order: the earlier one stands
      this.release(held, sample.tick - held.tick);
    }
    this.held = sample;
  }

  /** Moves the held sample out with its nominal duration (end of recording). */
  releaseHeld(): void {
    if (this.held) this.release(this.held, this.nominalDurationTicks);
    this.held = null;
  }

  private release(sample: Pending, durationTicks: number): void {
    this.firstTick ??= sample.tick;
    this.samples.push({ durationTicks, data: sample.data, keyframe: sample.keyframe, compositionOffsetTicks: 0 });
    this.endTick = sample.tick + durationTicks;
  }

  spanTicks(): number {
    return this.firstTick === null ? 0 : this.endTick - this.firstTick;
  }

  take(): { trackId: number; baseDecodeTicks: number; samples: Fmp4Sample[] } | null {
    if (this.firstTick === null) return null;
    const fragment = { trackId: this.trackId, baseDecodeTicks: this.firstTick, samples: this.samples.splice(0) };
    this.firstTick = null;
    return fragment;
  }
}

export class Recorder implements ProgramOutput {
  readonly path: string;
  private readonly options: RecorderOptions;
  private config: ProgramConfig = { video: null, audio: null };
  private writer: RecordingWriter | null = null;
  /** Packets from the first keyframe, while waiting for both tracks' configuration. */
  private waiting: ProgramPacket[] = [];
  private baseUs: number | null = null;
  private video: TrackBuffer | null = null;
  private audio: TrackBuffer | null = null;
  private readonly startedAtMs = Date.now();
  private done = false;
  private diskTimer: ReturnType<typeof setInterval> | null = null;
  private diskFreeBytes: number | null = null;
  private lastMediaUs = 0;
  private recordedConfig: ProgramConfig | null = null;

  constructor(options: RecorderOptions) {
    this.options = options;
    this.path = options.path;
    this.diskTimer = setInterval(() => this.checkDisk(), DISK_CHECK_MS);
    this.diskTimer.unref?.();
  }

  /** Bytes and media time written so far, and the free space the last disk check saw (null before the first). */
  progress(): { bytes: number; durationMs: number; diskFreeBytes: number | null } {
    return {
      bytes: this.writer?.bytes ?? 0,
      durationMs: this.baseUs === null ? 0 : Math.max(0, this.lastMediaUs - this.baseUs) / 1000,
      diskFreeBytes: this.diskFreeBytes,
    };
  }

  onConfig(config: ProgramConfig): void {
    const recorded = this.recordedConfig;
    this.config = config;
    if (!recorded || this.done) return;
    const videoChanged = recorded.video && config.video && recorded.video.avcC !== config.video.avcC;
    const audioChanged = recorded.audio && config.audio && recorded.audio.asc !== config.audio.asc;
    if (videoChanged || audioChanged) {
      this.options.log.info({ path: this.path }, 'decoder configuration changed: the recording continues in a new file');
      this.options.onStopped(this.finish(null), true);
    }
  }

  onPacket(packet: ProgramPacket): void {
    if (this.done) return;
    try {
      if (!this.writer) {
        this.wait(packet);
        return;
      }
      this.write(packet);
    } catch (error) {
      this.failed(error);
    }
  }

  /** Stops and finalises; null when nothing was recorded yet. */
  stop(): RecordingResult | null {
    if (this.done) return null;
    return this.finish(null);
  }

  private wait(packet: ProgramPacket): void {
    if (packet.kind === 'video' && packet.keyframe) this.waiting = [];
    if (this.waiting.length === 0 && !(packet.kind === 'video' && packet.keyframe)) return;
    this.waiting.push(packet);
    const { video, audio } = this.config;
    if (!video) return;
    const waitedUs = packet.timestampUs - this.waiting[0]!.timestampUs;
    if (this.options.audioExpected && !audio && waitedUs < AUDIO_WAIT_US) return;
    this.open(this.config);
    for (const queued of this.waiting.splice(0)) this.write(queued);
  }

  private open(config: ProgramConfig): void {
    const tracks: Fmp4Track[] = [];
    const video = config.video!;
    tracks.push({
      id: VIDEO_TRACK,
      kind: 'video',
      timescale: VIDEO_TIMESCALE,
      codec: 'avc1',
      config: video.avcC,
      width: video.width,
      height: video.height,
    });
    if (config.audio)
      tracks.push({
        id: AUDIO_TRACK,
        kind: 'audio',
        timescale: config.audio.sampleRateHz,
        codec: 'mp4a',
        config: config.audio.asc,
        channels: config.audio.channels,
        sampleRateHz: config.audio.sampleRateHz,
      });
    this.writer = openRecordingWriter(this.options.format ?? DEFAULT_RECORDING_FORMAT, this.path, tracks);
    this.recordedConfig = config;
    this.baseUs = this.waiting[0]!.timestampUs;
    this.video = new TrackBuffer(VIDEO_TRACK, VIDEO_TIMESCALE, Math.round(VIDEO_TIMESCALE / (video.fps ?? 30)));
    this.audio = config.audio ? new TrackBuffer(AUDIO_TRACK, config.audio.sampleRateHz, 1024) : null;
    this.options.log.info(
      { path: this.path, format: this.options.format ?? DEFAULT_RECORDING_FORMAT, audio: Boolean(config.audio) },
      'recording started',
    );
  }

  private write(packet: ProgramPacket): void {
    const baseUs = this.baseUs!;
    if (packet.timestampUs < baseUs) return;
    const track = packet.kind === 'video' ? this.video! : this.audio;
    if (!track) return;
    track.add({ tick: Math.round(((packet.timestampUs - baseUs) * track.timescale) / 1e6), keyframe: packet.keyframe, data: packet.data });
    this.lastMediaUs = Math.max(this.lastMediaUs, packet.timestampUs + packet.durationUs);
    const fragmentUs = this.options.fragmentUs ?? 1_000_000;
    const spanUs = (buffer: TrackBuffer | null) => (buffer ? (buffer.spanTicks() * 1e6) / buffer.timescale : 0);
    if (spanUs(this.video) >= fragmentUs || spanUs(this.audio) >= fragmentUs) this.cut();
  }

  private cut(): void {
    const fragments = [this.video?.take(), this.audio?.take()].filter((fragment) => fragment !== null && fragment !== undefined);
    this.writer!.writeFragment(fragments);
  }

  private checkDisk(): void {
    if (this.done) return;
    const minFree = this.options.minFreeBytes ?? 256 * 1024 * 1024;
    let free: number;
    try {
      free = this.options.freeBytes ? this.options.freeBytes(dirname(this.path)) : freeBytesOf(dirname(this.path));
    } catch {
      return; // a disk we cannot ask about: the write itself will tell
    }
    this.diskFreeBytes = free;
    if (free >= minFree) return;
    const message = `Recording stopped: the disk holding ${dirname(this.path)} has less than ${formatMiB(minFree)} free`;
    this.options.log.warn({ path: this.path, freeBytes: free }, 'recording stopped: disk almost full');
    this.options.onStopped(this.finish(message), false);
  }

  private failed(error: unknown): void {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOSPC'
        ? `Recording stopped: the disk holding ${dirname(this.path)} is full; the file plays up to its last second`
        : `Recording stopped: ${error instanceof Error ? error.message : String(error)}`;
    this.options.log.error({ path: this.path, err: error instanceof Error ? error.message : String(error) }, 'recording failed');
    this.options.onStopped(this.finish(message, true), false);
  }

  private finish(error: string | null, writeFailed = false): RecordingResult | null {
    if (this.done) return null;
    this.done = true;
    if (this.diskTimer) clearInterval(this.diskTimer);
    this.diskTimer = null;
    const writer = this.writer;
    if (!writer) return null;
    let status: RecordingResult['status'] = 'complete';
    if (writeFailed) {
      // The disk refused a write: try to finish in the space the truncation freed, else leave it fragmented.
      status = 'truncated';
    }
    try {
      this.video?.releaseHeld();
      this.audio?.releaseHeld();
      if (!writeFailed) this.cut();
      writer.finalize();
    } catch (failure) {
      status = 'truncated';
      error ??= `Recording stopped: ${failure instanceof Error ? failure.message : String(failure)}`;
      writer.abandon();
    }
    const config = this.recordedConfig!;
    const durationMs = this.progress().durationMs;
    this.options.log.info({ path: this.path, status, bytes: writer.bytes, durationMs }, 'recording finished');
    return {
      path: this.path,
      status,
      error,
      startedAtMs: this.startedAtMs,
      endedAtMs: Date.now(),
      durationMs,
      sizeBytes: writer.bytes,
      videoCodec: config.video?.codec ?? null,
      audioCodec: config.audio ? 'mp4a.40.2' : null,
      width: config.video?.width ?? null,
      height: config.video?.height ?? null,
    };
  }
}

function freeBytesOf(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

function formatMiB(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
