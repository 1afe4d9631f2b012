/**
 * One destination while it streams: its own RTMP(S) connection, state machine, bounded
 * queue, stats, reconnects and bitrate request. Destinations share nothing but the packets
 * they are handed, so a slow, refused or dead one never stalls the others: a packet is
 * queued here in O(1) and the socket drains at its own pace.
 *
 * States: connecting → live; a lost connection → reconnecting (OBS's backoff, `backoff.ts`)
 * → live again, resuming on a keyframe with fresh metadata and sequence headers. A refusal on
 * a start's first connection (the server's `onStatus`/`_error`, an untrusted certificate, an
 * unknown host) → failed, with the reason; once it has been live, every failure is retried (a
 * server that missed a network blip refuses the reconnect while it holds the old stream). A
 * bad URL or a missing key → failed at once. Under congestion the queue drops whole GOPs
 * (everything older than its newest keyframe, or all video until the next one), never the
 * middle of one.
 */
import type { DestinationState, DestinationStatus } from '../../../common/host/outputs-contract.ts';
import { RtmpClient, parseRtmpServerUrl, type RtmpConnectOptions, type RtmpUrl } from '../../../net/rtmp/client.ts';
import type { Logger } from '../logger.ts';
import { nextReconnectDelayMs } from './backoff.ts';
import { BitrateAdapter } from './bitrate-adapter.ts';
import { explainConnectionFailure } from './connection-failure.ts';
import { metadataBody, sequenceHeaders, type ProgramConfig, type ProgramOutput, type ProgramPacket } from './program.ts';

/** Where to publish. The key never appears in a log line or an error message. */
export interface PublishTarget {
  serverUrl: string;
  streamKey: string;
  /** Extra certificate authorities for rtmps://. */
  caPem: string | null;
  /** Why the stored key cannot be used (it fails at once with this). */
  keyProblem?: string;
}

/** The RTMP connection a publisher needs (the real client, or a test's). */
export type ConnectRtmp = (url: RtmpUrl, options: RtmpConnectOptions) => Promise<RtmpClient>;

export interface DestinationPublisherOptions {
  id: string;
  target: PublishTarget;
  log: Logger;
  adaptive: boolean;
  /** The configured video bitrate and the audio bitrate, kbps. */
  videoKbps: number;
  audioKbps: number;
  /**
   * Something in the status changed: its state, a drop, a new bitrate request. The per-second
   * figures (bitrate sent, queue) change without a call: the owner reads `status()` on its own tick.
   */
  onChange(): void;
  connect?: ConnectRtmp;
  /** Queue drop threshold, ms of media. Default 2000. */
  maxQueueMs?: number;
  random?: () => number;
}

interface Queued {
  kind: 'audio' | 'video' | 'data';
  timestampMs: number;
  mediaUs: number;
  keyframe: boolean;
  body: Uint8Array;
}

/** Bytes in the socket's own buffer before we hold packets in our queue instead (where they can be dropped whole). */
const SOCKET_HIGH_WATER_BYTES = 64 * 1024;
/** Hard cap on the queue, whatever its duration. */
const MAX_QUEUE_BYTES = 32 * 1024 * 1024;
export class DestinationPublisher implements ProgramOutput {
  readonly id: string;
  private readonly options: DestinationPublisherOptions;
  private readonly log: Logger;
  private readonly adapter: BitrateAdapter;
  private stateValue: DestinationState = 'idle';
  private reason: string | null = null;
  private client: RtmpClient | null = null;
  private config: ProgramConfig = { video: null, audio: null };
  private queue: Queued[] = [];
  private queueHead = 0;
  private queueBytes = 0;
  /** Program time of the first keyframe sent on this connection; packets are stamped from it. */
  private baseUs: number | null = null;
  private waitingForKeyframe = true;
  private dropUntilKeyframe = false;
  private framesDropped = 0;
  private droppedSinceTick = false;
  private reconnects = 0;
  private retryDelayMs: number | null = null;
  private retryAtMs: number | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  private liveSinceMs: number | null = null;
  /** Whether this start has been live: from then on every failure is retried (a refusal on reconnect is the server still holding the old stream). */
  private wasLive = false;
  /** The server's URL, parsed at the first connection (a URL that does not parse fails the start). */
  private url: RtmpUrl | null = null;
  private flushedAtLastTick = 0;
  /** Kbps flushed to the socket each second, newest last (the last 2 for stats, the last 5 for adaptation). */
  private readonly sentKbpsWindow: number[] = [];
  private running = false;
  private corked = false;

  constructor(options: DestinationPublisherOptions) {
    this.id = options.id;
    this.options = options;
    this.log = options.log.child({ destination: options.id });
    this.adapter = new BitrateAdapter({ maxKbps: options.videoKbps, audioKbps: options.audioKbps });
  }

  get state(): DestinationState {
    return this.stateValue;
  }

  /** What this link asks the encoder for (kbps), or null: adaptive bitrate off, or no limit now. */
  get requestedBitrateKbps(): number | null {
    return this.options.adaptive ? this.adapter.requestedKbps : null;
  }

  status(): DestinationStatus {
    const queued = this.queue.length - this.queueHead;
    const queueMs = queued > 0 ? (this.queue[this.queue.length - 1]!.mediaUs - this.queue[this.queueHead]!.mediaUs) / 1000 : 0;
    return {
      state: this.stateValue,
      reason: this.reason,
      bitrateKbps: mean(this.sentKbpsWindow.slice(-2)),
      queueBytes: this.queueBytes + (this.client?.queuedBytes ?? 0),
      queueMs: Math.max(0, queueMs),
      framesDropped: this.framesDropped,
      reconnects: this.reconnects,
      nextRetryInMs: this.retryAtMs === null ? null : Math.max(0, this.retryAtMs - Date.now()),
      requestedBitrateKbps: this.requestedBitrateKbps,
      liveSinceMs: this.liveSinceMs,
    };
  }

  /** Starts connecting with the program's current configuration. */
  start(config: ProgramConfig): void {
    if (this.running) return;
    this.running = true;
    this.config = config;
    this.framesDropped = 0;
    this.reconnects = 0;
    this.wasLive = false;
    this.retryDelayMs = null;
    this.reason = null;
    this.tickTimer = setInterval(() => this.tick(), 1000);
    this.tickTimer.unref?.();
    void this.connect();
  }

  /** Stops streaming (politely unpublishing) and returns to idle. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.clearTimers();
    const client = this.client;
    this.client = null;
    this.resetConnection();
    this.setState('idle', null);
    this.liveSinceMs = null;
    if (client) {
      client.onClose = null;
      await client.close().catch(() => undefined);
    }
  }

  /** The encoder's bitrate settings changed. */
  setBitrates(videoKbps: number): void {
    this.adapter.setMax(videoKbps);
  }

  onConfig(config: ProgramConfig): void {
    const videoChanged = this.config.video?.avcC !== config.video?.avcC;
    const audioChanged = this.config.audio?.asc !== config.audio?.asc;
    this.config = config;
    if (this.stateValue !== 'live' || this.baseUs === null) return;
    // New decoder configuration mid-stream: fresh sequence headers ahead of the next keyframe.
    if (videoChanged) this.waitingForKeyframe = true;
    else if (audioChanged && config.audio) this.enqueueAudioHeader();
  }

  onPacket(packet: ProgramPacket): void {
    if (this.stateValue !== 'live') return;
    if (this.waitingForKeyframe) {
      if (packet.kind !== 'video' || !packet.keyframe) return;
      this.baseUs ??= packet.timestampUs;
      this.waitingForKeyframe = false;
      this.dropUntilKeyframe = false;
      this.enqueueHeaders(packet.timestampUs);
    } else if (packet.kind === 'video' && this.dropUntilKeyframe) {
      if (!packet.keyframe) {
        this.framesDropped++;
        return;
      }
      this.dropUntilKeyframe = false;
    }
    const baseUs = this.baseUs!;
    if (packet.timestampUs < baseUs) return;
    this.push({
      kind: packet.kind,
      timestampMs: Math.round((packet.timestampUs - baseUs) / 1000),
      mediaUs: packet.timestampUs,
      keyframe: packet.kind === 'video' && packet.keyframe,
      body: packet.flvBody,
    });
  }

  private enqueueHeaders(atUs: number): void {
    const headers = sequenceHeaders(this.config);
    const timestampMs = Math.round((atUs - this.baseUs!) / 1000);
    this.push({
      kind: 'data',
      timestampMs,
      mediaUs: atUs,
      keyframe: false,
      body: metadataBody(this.config, { videoKbps: this.options.videoKbps, audioKbps: this.options.audioKbps }),
    });
    if (headers.video) this.push({ kind: 'video', timestampMs, mediaUs: atUs, keyframe: false, body: headers.video });
    if (headers.audio) this.push({ kind: 'audio', timestampMs, mediaUs: atUs, keyframe: false, body: headers.audio });
  }

  private enqueueAudioHeader(): void {
    const headers = sequenceHeaders(this.config);
    const last = this.queue[this.queue.length - 1];
    if (headers.audio)
      this.push({ kind: 'audio', timestampMs: last?.timestampMs ?? 0, mediaUs: last?.mediaUs ?? 0, keyframe: false, body: headers.audio });
  }

  private push(item: Queued): void {
    this.queue.push(item);
    this.queueBytes += item.body.length;
    this.pump();
    const head = this.queue[this.queueHead];
    const maxQueueUs = (this.options.maxQueueMs ?? 2000) * 1000;
    if (head && (item.mediaUs - head.mediaUs > maxQueueUs || this.queueBytes > MAX_QUEUE_BYTES)) this.dropGops();
  }

  /** Writes queued packets while the socket's buffer is under its high-water mark. */
  private pump(): void {
    const client = this.client;
    if (!client || this.stateValue !== 'live') return;
    // Packets handed over in one turn (video with the audio interleaved before it) go out in one write.
    if (!this.corked) {
      this.corked = true;
      client.cork();
      process.nextTick(() => {
        this.corked = false;
        client.uncork();
      });
    }
    while (this.queueHead < this.queue.length && client.queuedBytes < SOCKET_HIGH_WATER_BYTES) {
      const item = this.queue[this.queueHead++]!;
      this.queueBytes -= item.body.length;
      client.sendMedia(item.kind, item.timestampMs, item.body);
    }
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
  }

  /**
   * The link cannot keep up: drop everything queued before the newest queued keyframe (the
   * rest of GOPs whose heads may have gone out), or, with no keyframe queued, all queued video
   * and what follows until the next keyframe. Audio after the cut point still goes.
   */
  private dropGops(): void {
    const pending = this.queue.slice(this.queueHead);
    let cut = -1;
    for (let i = pending.length - 1; i >= 0; i--)
      if (pending[i]!.keyframe) {
        cut = i;
        break;
      }
    let kept: Queued[];
    if (cut > 0) {
      const cutUs = pending[cut]!.mediaUs;
      kept = pending.filter((item, index) => index >= cut || (item.kind === 'audio' && item.mediaUs >= cutUs));
    } else {
      kept = pending.filter((item) => item.kind !== 'video');
      this.dropUntilKeyframe = true;
      // Keep the queue bounded even when the link cannot carry the audio alone.
      const newest = kept[kept.length - 1];
      if (newest) kept = kept.filter((item) => newest.mediaUs - item.mediaUs <= 1_000_000);
    }
    const dropped = pending.filter((item) => item.kind === 'video' && !kept.includes(item)).length;
    if (dropped === 0 && kept.length === pending.length) return;
    this.framesDropped += dropped;
    this.droppedSinceTick = true;
    this.queue = kept;
    this.queueHead = 0;
    this.queueBytes = kept.reduce((sum, item) => sum + item.body.length, 0);
    this.log.warn({ framesDropped: dropped, queueBytes: this.queueBytes }, 'destination congested: dropped whole GOPs');
    this.options.onChange();
  }

  private tick(): void {
    const client = this.client;
    const flushed = client?.bytesFlushed ?? 0;
    const sentKbps = client ? (Math.max(0, flushed - this.flushedAtLastTick) * 8) / 1000 : 0;
    this.flushedAtLastTick = flushed;
    this.sentKbpsWindow.push(sentKbps);
    if (this.sentKbpsWindow.length > 5) this.sentKbpsWindow.shift();
    if (this.stateValue === 'live' && this.options.adaptive) {
      // Five seconds of throughput: the kernel's send buffer makes single seconds bursty.
      const changed = this.adapter.tick({
        sentKbps: mean(this.sentKbpsWindow),
        queueMs: this.status().queueMs,
        dropped: this.droppedSinceTick,
        nowMs: Date.now(),
      });
      if (changed) {
        this.log.info({ requestedKbps: this.adapter.requestedKbps, sentKbps: Math.round(sentKbps) }, 'destination bitrate request');
        this.options.onChange();
      }
    }
    this.droppedSinceTick = false;
  }

  private async connect(): Promise<void> {
    this.retryAtMs = null;
    this.setState(this.reconnects > 0 || this.retryDelayMs !== null ? 'reconnecting' : 'connecting', this.reason);
    const { target } = this.options;
    let client: RtmpClient | null = null;
    try {
      if (target.keyProblem) throw new FatalError(target.keyProblem);
      if (!target.streamKey) throw new FatalError('no stream key is set');
      try {
        this.url ??= parseRtmpServerUrl(target.serverUrl);
      } catch (error) {
        throw new FatalError(error instanceof Error ? error.message : String(error));
      }
      const url = this.url;
      const connect = this.options.connect ?? ((to, options) => RtmpClient.connect(to, options));
      client = await connect(url, { timeoutMs: 10_000, ...(target.caPem ? { ca: target.caPem } : {}) });
      if (!this.running) throw new Error('stopped');
      await client.publish(target.streamKey);
      if (!this.running) throw new Error('stopped');
    } catch (error) {
      client?.destroy();
      if (!this.running) return;
      this.connectionFailed(error);
      return;
    }
    this.client = client;
    this.resetConnection();
    this.flushedAtLastTick = client.bytesFlushed;
    client.onDrain(() => this.pump());
    client.onClose = (error) => {
      if (this.client !== client) return;
      this.client = null;
      this.connectionFailed(error);
    };
    if (this.retryDelayMs !== null) this.reconnects++;
    this.retryDelayMs = null;
    this.liveSinceMs = Date.now();
    this.wasLive = true;
    this.log.info({ reconnects: this.reconnects }, 'destination live');
    this.setState('live', null);
  }

  private connectionFailed(error: unknown): void {
    this.resetConnection();
    this.liveSinceMs = null;
    const { reason, refusal } =
      error instanceof FatalError
        ? { reason: error.message, refusal: true }
        : explainConnectionFailure(error, this.url ?? { host: '', port: 0 });
    // Only a start's first connection fails for good on a refusal or an unknown host. Once live,
    // a server that has not noticed the old connection refuses the new one ("Already publishing")
    // until it times the old one out: keep retrying, as OBS does, and show its reason meanwhile.
    if (error instanceof FatalError || (refusal && !this.wasLive)) {
      this.log.warn({ reason }, 'destination failed');
      this.running = false;
      this.clearTimers();
      this.setState('failed', reason);
      return;
    }
    const delay = (this.retryDelayMs = nextReconnectDelayMs(this.retryDelayMs, this.options.random));
    this.retryAtMs = Date.now() + delay;
    this.log.warn({ reason, retryInMs: delay }, 'destination connection lost; reconnecting');
    this.setState('reconnecting', reason);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.running) void this.connect();
    }, delay);
    this.retryTimer.unref?.();
  }

  /** A new connection starts from the next keyframe, with an empty queue. */
  private resetConnection(): void {
    this.queue = [];
    this.queueHead = 0;
    this.queueBytes = 0;
    this.baseUs = null;
    this.waitingForKeyframe = true;
    this.dropUntilKeyframe = false;
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.retryTimer = null;
    this.tickTimer = null;
    this.retryAtMs = null;
  }

  private setState(state: DestinationState, reason: string | null): void {
    if (this.stateValue === state && this.reason === reason) return;
    this.stateValue = state;
    this.reason = reason;
    this.options.onChange();
  }
}

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 0;
}

/** A problem no retry fixes (no key, a bad URL). */
class FatalError extends Error {}
