/**
 * Program frames → WebCodecs H.264. The first configuration the browser accepts wins (High,
 * Main, Baseline; the preferred kind of encoder first); the profile the stream really has is read back from its
 * avcC and reported. A frame is skipped when the encoder's queue is already full, rather
 * than letting latency grow without bound.
 */
import type { Disposable } from '../../../common/host/contract-kit.ts';
import { encoderCandidates, keyframeDue, profileOfAvcC, type H264Profile, type VideoEncoderSettings } from './encoder-config.ts';
import type { MediaSink } from './sink.ts';

/** What the encoder ended up as, for stats. */
export interface EncoderInfo {
  codec: string;
  requestedProfile: H264Profile;
  /** The profile the encoder's SPS declares; null until the first output. */
  profile: H264Profile | null;
  /** The `hardwareAcceleration` of the configuration the browser accepted. */
  hardwareAcceleration: HardwareAcceleration;
  /** What the settings asked for (`hardwareAcceleration` differs when the system had no such encoder). */
  requestedAcceleration: HardwareAcceleration;
  width: number;
  height: number;
  fps: number;
  bitrateKbps: number;
  keyframeIntervalSec: number;
}

/** Frames waiting in the encoder beyond this are a sign it cannot keep up. */
const MAX_QUEUE = 3;

/** A configured WebCodecs H.264 encoder feeding a sink. */
export class H264Encoder implements Disposable {
  readonly info: EncoderInfo;
  private readonly encoder: VideoEncoder;
  private readonly settings: VideoEncoderSettings;
  private config: VideoEncoderConfig;
  private lastKeyframeUs: number | null = null;
  private encodedCount = 0;
  private failure: Error | null = null;

  private constructor(encoder: VideoEncoder, info: EncoderInfo, settings: VideoEncoderSettings, config: VideoEncoderConfig) {
    this.encoder = encoder;
    this.info = info;
    this.settings = settings;
    this.config = config;
  }

  /** Configures the first candidate this browser supports; throws with what was tried when none is. */
  static async open(
    settings: VideoEncoderSettings,
    sink: MediaSink,
    onError: (error: Error) => void,
    options: { softwareOnly?: boolean } = {},
  ): Promise<H264Encoder> {
    const tried: string[] = [];
    const candidates = encoderCandidates(settings).filter(
      (candidate) => !options.softwareOnly || candidate.hardwareAcceleration !== 'prefer-hardware',
    );
    for (const candidate of candidates) {
      const support = await VideoEncoder.isConfigSupported(candidate.config).catch(() => ({ supported: false }));
      tried.push(`${candidate.config.codec}/${candidate.hardwareAcceleration}`);
      if (!support.supported) continue;
      const info: EncoderInfo = {
        codec: candidate.config.codec,
        requestedProfile: candidate.profile,
        profile: null,
        hardwareAcceleration: candidate.hardwareAcceleration,
        requestedAcceleration: settings.hardwareAcceleration ?? 'prefer-hardware',
        width: settings.width,
        height: settings.height,
        fps: settings.fps,
        bitrateKbps: settings.bitrateKbps,
        keyframeIntervalSec: settings.keyframeIntervalSec,
      };
      let self: H264Encoder | null = null;
      const encoder = new VideoEncoder({
        output: (chunk, metadata) => {
          const description = metadata?.decoderConfig?.description;
          if (description) {
            const bytes = ArrayBuffer.isView(description)
              ? new Uint8Array(description.buffer, description.byteOffset, description.byteLength).slice().buffer
              : new Uint8Array(description).slice().buffer;
            info.profile = profileOfAvcC(bytes)?.profile ?? null;
            sink.videoConfig({
              codec: info.codec,
              width: settings.width,
              height: settings.height,
              description: bytes,
              profile: info.profile,
            });
          }
          const data = new ArrayBuffer(chunk.byteLength);
          chunk.copyTo(data);
          if (self) self.encodedCount++;
          sink.video({
            data,
            timestampUs: chunk.timestamp,
            durationUs: chunk.duration ?? Math.round(1e6 / settings.fps),
            keyframe: chunk.type === 'key',
          });
        },
        error: (error) => {
          if (self) self.failure = error;
          onError(error);
        },
      });
      encoder.configure(candidate.config);
      self = new H264Encoder(encoder, info, settings, candidate.config);
      return self;
    }
    throw new Error(`no H.264 encoder configuration is supported here (tried ${tried.join(', ')})`);
  }

  /** Frames queued inside the encoder. */
  get queueSize(): number {
    return this.encoder.state === 'configured' ? this.encoder.encodeQueueSize : 0;
  }

  /** Chunks the encoder has produced. */
  get encoded(): number {
    return this.encodedCount;
  }

  /** Whether a frame offered now would be encoded (false: skip it for encode lag). */
  get accepting(): boolean {
    return this.encoder.state === 'configured' && this.failure === null && this.queueSize < MAX_QUEUE;
  }

  /** Encodes a frame (the caller keeps ownership and closes it). */
  encode(frame: VideoFrame): void {
    const keyFrame = keyframeDue(frame.timestamp, this.lastKeyframeUs, this.settings.keyframeIntervalSec, this.settings.fps);
    if (keyFrame) this.lastKeyframeUs = frame.timestamp;
    this.encoder.encode(frame, { keyFrame });
  }

  /**
   * Changes the bitrate in place: WebCodecs lets a configured encoder be configured again
   * (frames already queued are encoded first; no keyframe is forced).
   */
  setBitrate(bitrateKbps: number): void {
    if (this.encoder.state !== 'configured') return;
    this.config = { ...this.config, bitrate: bitrateKbps * 1000 };
    this.encoder.configure(this.config);
    this.info.bitrateKbps = bitrateKbps;
  }

  /** Waits for every queued frame to come out. */
  async flush(): Promise<void> {
    if (this.encoder.state === 'configured') await this.encoder.flush();
  }

  dispose(): void {
    if (this.encoder.state !== 'closed') this.encoder.close();
  }
}
