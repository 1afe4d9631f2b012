/**
 * The encoder as a system of the engine (as the compositor and the filter runner are): it
 * owns the WebCodecs H.264 encoder's lifecycle (open, hardware-to-software fallback on a
 * mid-stream failure, bitrate changes from the host's dynamic bitrate, flush and close), the
 * mixer's PCM going to the same sink, and the encode figures. The engine only offers it
 * each rendered frame.
 */
import type { Disposable } from '../../../common/host/contract-kit.ts';
import type { PcmBlock } from '../audio/mixer.ts';
import type { MediaSink, SinkStats } from './sink.ts';
import { H264Encoder, type EncoderInfo } from './video-encoder.ts';

/** Encoding settings; size and rate are the output's. */
export interface EncodingSettings {
  bitrateKbps: number;
  keyframeIntervalSec: number;
  /** Hardware or software encoder (WebCodecs' names); default `prefer-hardware`. */
  hardwareAcceleration?: HardwareAcceleration;
}

/** Where the session gets PCM from (the mixer). */
export interface PcmSource {
  onPcm(listener: (block: PcmBlock) => void): Disposable;
}

/** The encode figures the engine's stats carry. */
export interface EncoderStats {
  framesEncoded: number;
  /** Rendered frames not encoded because the encoder's queue was full. */
  framesSkippedEncodeLag: number;
  /** Frames waiting inside the encoder now. */
  encodeQueue: number;
  encoder: EncoderInfo | null;
  /** The last encoder failure, if any (a hardware failure falls back to software by itself). */
  encoderError: string | null;
  /** What the sink reports (the host's backlog, frames dropped for it), when it reports anything. */
  sink: SinkStats | null;
}

export class EncoderSession implements Disposable {
  private readonly output: { width: number; height: number; fps: number };
  private readonly pcm: PcmSource | null;
  private encoder: H264Encoder | null = null;
  private sink: MediaSink | null = null;
  private settings: EncodingSettings | null = null;
  private pcmSubscription: Disposable | null = null;
  /** Chunks produced by encoders already closed. */
  private encodedBefore = 0;
  private skipped = 0;
  private error: string | null = null;
  private disposed = false;

  constructor(output: { width: number; height: number; fps: number }, pcm: PcmSource | null) {
    this.output = output;
    this.pcm = pcm;
  }

  /** Whether a frame offered now would be encoded. */
  get hasRoom(): boolean {
    return this.encoder?.accepting ?? false;
  }

  /** Counts a frame the engine did not offer because there was no room. */
  countSkip(): void {
    this.skipped++;
  }

  /** Whether an encoder is open. */
  get active(): boolean {
    return this.encoder !== null;
  }

  /** Starts encoding to `sink` (stopping a previous session first). */
  async start(settings: EncodingSettings, sink: MediaSink): Promise<EncoderInfo> {
    await this.stop();
    this.error = null;
    this.settings = settings;
    this.sink = sink;
    this.encoder = await this.open(false);
    this.pcmSubscription = this.pcm?.onPcm((block) => sink.audio(block)) ?? null;
    return this.encoder.info;
  }

  private open(softwareOnly: boolean): Promise<H264Encoder> {
    const sink = this.sink!;
    return H264Encoder.open(
      { ...this.output, ...this.settings! },
      sink,
      (error) => {
        this.error = error.message;
        const failed = this.encoder;
        // A hardware encoder that fails mid-stream (driver reset, GPU lost) falls back to software.
        if (!failed || failed.info.hardwareAcceleration !== 'prefer-hardware') return;
        this.encodedBefore += failed.encoded;
        failed.dispose();
        this.encoder = null;
        this.open(true).then(
          (fallback) => (this.disposed || this.sink !== sink ? fallback.dispose() : (this.encoder = fallback)),
          (fallbackError: unknown) => (this.error = fallbackError instanceof Error ? fallbackError.message : String(fallbackError)),
        );
      },
      { softwareOnly },
    );
  }

  /** Changes the video bitrate of the running encoder (the host's dynamic bitrate). */
  setBitrate(bitrateKbps: number): void {
    if (!this.settings || this.settings.bitrateKbps === bitrateKbps) return;
    this.settings = { ...this.settings, bitrateKbps };
    try {
      this.encoder?.setBitrate(bitrateKbps);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  /**
   * Encodes the frame `makeFrame` returns when the encoder has room; counts a skip when not.
   * The frame is closed here.
   */
  offer(makeFrame: () => VideoFrame): void {
    const encoder = this.encoder;
    if (!encoder) return;
    if (!encoder.accepting) {
      this.skipped++;
      return;
    }
    const frame = makeFrame();
    try {
      encoder.encode(frame);
    } finally {
      frame.close();
    }
  }

  /** Stops after flushing what is queued. */
  async stop(): Promise<void> {
    const encoder = this.encoder;
    this.encoder = null;
    this.sink = null;
    this.pcmSubscription?.dispose();
    this.pcmSubscription = null;
    if (!encoder) return;
    try {
      await encoder.flush();
    } finally {
      this.encodedBefore += encoder.encoded;
      encoder.dispose();
    }
  }

  stats(): EncoderStats {
    return {
      framesEncoded: this.encodedBefore + (this.encoder?.encoded ?? 0),
      framesSkippedEncodeLag: this.skipped,
      encodeQueue: this.encoder?.queueSize ?? 0,
      encoder: this.encoder?.info ?? null,
      encoderError: this.error,
      sink: this.sink?.stats?.() ?? null,
    };
  }

  dispose(): void {
    this.disposed = true;
    this.pcmSubscription?.dispose();
    this.encoder?.dispose();
    this.encoder = null;
    this.sink = null;
  }
}
