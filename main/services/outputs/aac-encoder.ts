/**
 * AAC-LC from the mixer's PCM (48 kHz stereo, s16le as the media channel carries it) through an ffmpeg child: PCM on its
 * stdin, ADTS on its stdout. Chromium has no AAC encoder, so this is the one place Tally
 * encodes audio for RTMP and MP4. Frames are stamped from the PCM timeline (`pcm-timeline.ts`)
 * on the program clock, so audio and video share one clock however the child is scheduled.
 * A child that dies or stalls is restarted with a growing delay while video carries on; the
 * state change says why.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { AdtsReader } from '../../../common/media/adts.ts';
import type { Logger } from '../logger.ts';
import { PcmTimeline } from './pcm-timeline.ts';

/** One encoded AAC frame on the program clock. */
export interface AacFrame {
  /** raw_data_block (no ADTS header). */
  data: Uint8Array;
  /** The AudioSpecificConfig. */
  config: Uint8Array;
  timestampUs: number;
  durationUs: number;
}

export type AacEncoderState = 'running' | 'restarting' | 'stopped';

export interface AacEncoderOptions {
  ffmpegPath: string;
  bitrateKbps: number;
  log: Logger;
  onFrame(frame: AacFrame): void;
  /** The child started, died (with why) or was stopped. */
  onStateChange(state: AacEncoderState, error: string | null): void;
  /** First restart delay, ms (doubles up to 10 s). Default 500. */
  restartDelayMs?: number;
  /**
   * PCM is held and written to the child in one write once this much is waiting, or at
   * `flushPcm()` (the program feed calls it on every video frame, which needs the audio of its
   * time): fewer writes and wake-ups on both sides of the pipe. Default 60 ms.
   */
  batchMs?: number;
}

export const AAC_SAMPLE_RATE_HZ = 48_000;
const CHANNELS = 2;
const BYTES_PER_FRAME = 2 * CHANNELS;
const SAMPLES_PER_AAC_FRAME = 1024;
/** ffmpeg's AAC encoder primes with one frame: output frame k starts at input sample (k − 1) × 1024. */
const PRIMING_FRAMES = 1;
/** PCM waiting in the child's stdin beyond this (about 5 s) means it has stalled. */
const MAX_STDIN_BACKLOG_BYTES = 5 * AAC_SAMPLE_RATE_HZ * BYTES_PER_FRAME;
const MAX_RESTART_DELAY_MS = 10_000;

export class AacEncoder {
  private readonly options: AacEncoderOptions;
  private readonly timeline = new PcmTimeline(AAC_SAMPLE_RATE_HZ);
  private child: ChildProcessWithoutNullStreams | null = null;
  /** The timeline's sample index where the current child's input began. */
  private childBaseSample = 0;
  private childFrames = 0;
  private childStartedAt = 0;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private restartDelayMs: number;
  private stopped = false;
  /** PCM (and silence) placed on the timeline but not yet written to the child. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly batchBytes: number;
  private writes = 0;

  constructor(options: AacEncoderOptions) {
    this.options = options;
    this.restartDelayMs = options.restartDelayMs ?? 500;
    this.batchBytes = Math.round(((options.batchMs ?? 60) * AAC_SAMPLE_RATE_HZ) / 1000) * BYTES_PER_FRAME;
  }

  /** The running child's pid (diagnostics and tests). */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Writes into the children's stdin so far (diagnostics and tests). */
  get stdinWrites(): number {
    return this.writes;
  }

  /** Program time up to which PCM (or silence) has been written, µs; null before any. */
  get writtenUntilUs(): number | null {
    return this.timeline.nextUs;
  }

  start(): void {
    this.stopped = false;
    this.spawnChild();
  }

  /** Feeds interleaved stereo s16 PCM stamped `timestampUs` (program clock). */
  pushPcm(samples: Int16Array, timestampUs: number): void {
    const frames = Math.floor(samples.length / CHANNELS);
    if (frames === 0 || this.stopped) return;
    const { silenceFrames, skipFrames } = this.timeline.place(timestampUs, frames);
    if (silenceFrames > 0) this.hold(Buffer.alloc(silenceFrames * BYTES_PER_FRAME));
    // A view, not a copy: the media frame's payload is ours (the transport copied it out of its socket buffer).
    if (skipFrames < frames)
      this.hold(Buffer.from(samples.buffer, samples.byteOffset + skipFrames * BYTES_PER_FRAME, (frames - skipFrames) * BYTES_PER_FRAME));
  }

  /** Writes silence up to `untilUs` where no PCM came (a muted or missing microphone). */
  fillSilenceTo(untilUs: number): void {
    if (this.stopped) return;
    const frames = this.timeline.fillTo(untilUs);
    if (frames > 0) this.hold(Buffer.alloc(frames * BYTES_PER_FRAME));
  }

  /** Writes the PCM held so far to the child, in one write. */
  flushPcm(): void {
    if (this.pendingBytes === 0) return;
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.write(bytes);
  }

  private hold(bytes: Buffer): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= this.batchBytes) this.flushPcm();
  }

  /** PCM held for a child that is gone: the timeline counted it, as it counts what a dead child never read. */
  private dropPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }

  stop(): void {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    this.child = null;
    this.dropPending();
    if (child) {
      child.stdin.end();
      child.kill('SIGTERM');
    }
    this.options.onStateChange('stopped', null);
  }

  private write(bytes: Buffer): void {
    const child = this.child;
    if (!child || !child.stdin.writable) return;
    if (child.stdin.writableLength > MAX_STDIN_BACKLOG_BYTES) {
      this.child = null;
      child.kill('SIGKILL');
      this.childFailed(`the audio encoder (ffmpeg) stopped reading (over ${MAX_STDIN_BACKLOG_BYTES} bytes of PCM waiting)`);
      return;
    }
    this.writes++;
    child.stdin.write(bytes);
  }

  private spawnChild(): void {
    const args = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
    // No probing of raw PCM (it would hold the first second back); never +nobuffer, which drops the priming frame.
    args.push('-probesize', '32', '-analyzeduration', '0');
    args.push('-f', 's16le', '-ar', String(AAC_SAMPLE_RATE_HZ), '-ac', String(CHANNELS), '-i', 'pipe:0');
    args.push('-c:a', 'aac', '-b:a', `${this.options.bitrateKbps}k`, '-flush_packets', '1', '-f', 'adts', 'pipe:1');
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(this.options.ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      this.childFailed(`the audio encoder (ffmpeg) could not start: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.child = child;
    // The new child's input starts after everything the timeline counted; what the old one was still owed is dropped.
    this.dropPending();
    this.childBaseSample = this.timeline.samplesWritten;
    this.childFrames = 0;
    this.childStartedAt = Date.now();
    let stderr = '';
    const reader = new AdtsReader((frame) => {
      const index = this.childBaseSample + (this.childFrames++ - PRIMING_FRAMES) * SAMPLES_PER_AAC_FRAME;
      this.options.onFrame({
        data: frame.data,
        config: frame.config,
        timestampUs: this.timeline.timeOfSample(index),
        durationUs: (SAMPLES_PER_AAC_FRAME * 1e6) / frame.sampleRateHz,
      });
    });
    child.stdout.on('data', (bytes: Buffer) => {
      if (this.child !== child) return;
      try {
        reader.feed(bytes);
      } catch (error) {
        this.options.log.error({ err: error instanceof Error ? error.message : String(error) }, 'AAC encoder wrote malformed ADTS');
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (bytes: Buffer) => {
      stderr = (stderr + bytes.toString()).slice(-2000);
    });
    // EPIPE when the child dies mid-write: the exit handler below reports it.
    child.stdin.on('error', () => {});
    child.on('error', (error) => {
      if (this.child !== child) return;
      this.child = null;
      this.childFailed(`the audio encoder (ffmpeg) could not start: ${error.message}`);
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      const why = signal ? `was killed (${signal})` : `exited with code ${code}`;
      this.childFailed(`the audio encoder (ffmpeg) ${why}${stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : ''}`);
    });
    this.options.log.info({ ffmpegPid: child.pid, bitrateKbps: this.options.bitrateKbps }, 'AAC encoder started');
    this.options.onStateChange('running', null);
  }

  private childFailed(message: string): void {
    if (this.stopped) return;
    // A child that ran a while was healthy: start over from the first delay.
    if (Date.now() - this.childStartedAt > 30_000) this.restartDelayMs = this.options.restartDelayMs ?? 500;
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(MAX_RESTART_DELAY_MS, delay * 2);
    this.options.log.warn({ err: message, retryInMs: delay }, 'AAC encoder stopped; restarting');
    this.options.onStateChange('restarting', `${message}; restarting it (video continues)`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.stopped) this.spawnChild();
    }, delay);
    this.restartTimer.unref?.();
  }
}
