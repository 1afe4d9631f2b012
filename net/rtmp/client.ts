/**
 * The one RTMP(S) client of the codebase, over the same codecs as the origin: the studio's
 * destinations publish with it, and the origin's tests, benchmark and relays use it too. It
 * speaks the RTMP handshake and the FMLE command sequence (releaseStream, FCPublish,
 * createStream, publish) that OBS and ffmpeg send, over TCP (`rtmp://`) or TLS (`rtmps://`,
 * certificate verification always on; a venue's own CA can be added).
 */
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls, rootCertificates } from 'node:tls';
import { amfRecord, type AmfValue } from '../../common/media/amf0.ts';
import {
  RtmpChunkParser,
  rtmpMessageChunks,
  serializeRtmpMessage,
  type OutgoingRtmpMessage,
  type RtmpMessage,
} from '../../common/media/rtmp-chunk.ts';
import { RtmpClientHandshake } from '../../common/media/rtmp-handshake.ts';
import {
  acknowledgementMessage,
  amfObject,
  ChunkStream,
  commandMessage,
  decodeCommand,
  parseU32Control,
  parseUserControl,
  RtmpType,
  setChunkSizeMessage,
  userControlMessage,
  UserControlEvent,
} from '../../common/media/rtmp-message.ts';
import { nodeHandshakeCrypto } from './handshake-crypto.ts';

/** An `onStatus` or `_error` the server answered with. */
export class RtmpStatusError extends Error {
  override readonly name = 'RtmpStatusError';
  readonly code: string;
  constructor(code: string, description: string) {
    super(`${code}: ${description}`);
    this.code = code;
  }
}

/** How far a connection got before it failed: the TCP connect, the TLS handshake (`rtmps://`), or RTMP (handshake, `connect`). */
export type RtmpConnectStage = 'tcp' | 'tls' | 'rtmp';

/**
 * A connect that failed on its way (the server's refusal is `RtmpStatusError` instead): the
 * socket's or TLS's error is the `cause`, its message and `code` kept (`ECONNREFUSED`,
 * `DEPTH_ZERO_SELF_SIGNED_CERT`, `ETIMEDOUT` when no answer came in time).
 */
export class RtmpConnectError extends Error {
  override readonly name = 'RtmpConnectError';
  readonly code: string | undefined;
  readonly stage: RtmpConnectStage;
  constructor(cause: Error, stage: RtmpConnectStage) {
    super(cause.message, { cause });
    this.code = (cause as NodeJS.ErrnoException).code;
    this.stage = stage;
  }
}

/** Where to connect: `rtmp://host:port/app/stream` or `rtmps://...`. */
export interface RtmpUrl {
  /** TLS (`rtmps://`, default port 443) or plain TCP (`rtmp://`, default port 1935). */
  secure: boolean;
  host: string;
  port: number;
  app: string;
  /** The stream name or key, after the app. */
  stream: string;
  /** The URL of the application, as the `connect` command carries it (never the stream key). */
  tcUrl: string;
}

/** The port written after the host (`:99999` too, which `URL` refuses without saying why), or null. */
const WRITTEN_PORT = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):(\d+)(?:[/?#]|$)/i;

function splitUrl(url: string): { parsed: URL; secure: boolean; host: string; port: number; segments: string[] } {
  const written = WRITTEN_PORT.exec(url.trim())?.[1];
  if (written !== undefined && !(Number(written) >= 1 && Number(written) <= 65535)) throw new Error(`port must be 1-65535, not ${written}`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('not a valid rtmp:// or rtmps:// URL');
  }
  if (parsed.protocol !== 'rtmp:' && parsed.protocol !== 'rtmps:') throw new Error(`not an rtmp:// or rtmps:// URL: ${parsed.protocol}`);
  if (!parsed.hostname) throw new Error('the RTMP URL has no host');
  const secure = parsed.protocol === 'rtmps:';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = parsed.port ? Number(parsed.port) : secure ? 443 : 1935;
  return { parsed, secure, host, port, segments: parsed.pathname.replace(/^\/+|\/+$/g, '').split('/') };
}

/** Splits an RTMP URL whose first path segment is the app and the rest the stream: `rtmp://host/live/KEY`. */
export function parseRtmpUrl(url: string): RtmpUrl {
  const { parsed, secure, host, port, segments } = splitUrl(url);
  const [app = '', ...rest] = segments;
  return { secure, host, port, app, stream: rest.join('/'), tcUrl: `${parsed.protocol}//${parsed.host}/${app}` };
}

/**
 * Parses a server URL as OBS and the platforms give it (`rtmp://a.rtmp.youtube.com/live2`,
 * `rtmps://live-api-s.facebook.com:443/rtmp/`): the whole path is the app; the key is apart.
 */
export function parseRtmpServerUrl(url: string): RtmpUrl {
  const { parsed, secure, host, port, segments } = splitUrl(url);
  if (parsed.search || parsed.hash) throw new Error('the server URL must not carry a query or fragment; put the key in its own field');
  const app = segments.join('/');
  return { secure, host, port, app, stream: '', tcUrl: `${parsed.protocol}//${parsed.host}/${app}` };
}

/** How to connect. */
export interface RtmpConnectOptions {
  /** Handshake plus `connect` must finish within this, ms. Default 10000. */
  timeoutMs?: number;
  /** For `rtmps://`: extra trusted certificate authorities (PEM), added to the system's. Verification is never off. */
  ca?: string;
}

const CLIENT_CHUNK_SIZE = 4096;

const text = (value: AmfValue | undefined): string => (typeof value === 'string' ? value : '');

/** One RTMP client connection. */
export class RtmpClient {
  private readonly socket: Socket;
  private readonly parser: RtmpChunkParser;
  private handshake: RtmpClientHandshake | null;
  private readonly pending = new Map<number, { resolve: (values: AmfValue[]) => void; reject: (error: Error) => void }>();
  private readonly statusWaiters: { resolve: (code: string) => void; reject: (error: Error) => void; codes: string[] }[] = [];
  private nextTransaction = 1;
  private streamId = 0;
  private bytesIn = 0;
  private lastAck = 0;
  private ackWindow = 2_500_000;
  private handshakeDone: () => void = () => {};
  private handshakeFailed: (error: Error) => void = () => {};
  private failed: Error | null = null;
  private connected = false;
  /** Every media or data message the server sends (play). */
  onMedia: ((message: RtmpMessage) => void) | null = null;
  /** Every onStatus code, in order. */
  readonly statusCodes: string[] = [];
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;

  /** Called once when the connection ends, with why (after `connect` resolved). */
  onClose: ((error: Error) => void) | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.handshake = new RtmpClientHandshake(nodeHandshakeCrypto);
    this.parser = new RtmpChunkParser((message) => this.onMessage(message), { maxMessageBytes: 64 * 1024 * 1024 });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (bytes: Buffer) => this.onData(bytes));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  /**
   * Connects, handshakes and sends `connect` for the URL's app. Rejects with `RtmpStatusError`
   * when the server refuses the app, or with the socket's or TLS's error (an untrusted
   * certificate says so in its message).
   */
  static async connect(url: string | RtmpUrl, options: RtmpConnectOptions = {}): Promise<RtmpClient> {
    const target = typeof url === 'string' ? parseRtmpUrl(url) : url;
    const socket = target.secure
      ? connectTls({
          host: target.host,
          port: target.port,
          // SNI carries names only (RFC 6066 section 3), never addresses.
          ...(isIP(target.host) ? {} : { servername: target.host }),
          ...(options.ca ? { ca: [...rootCertificates, options.ca] } : {}),
          rejectUnauthorized: true,
        })
      : connectTcp({ host: target.host, port: target.port });
    socket.setNoDelay(true);
    const client = new RtmpClient(socket);
    let stage: RtmpConnectStage = 'tcp';
    socket.once('connect', () => (stage = target.secure ? 'tls' : 'rtmp'));
    const timer = setTimeout(
      () => client.fail(Object.assign(new Error(`RTMP connect to ${target.host}:${target.port} timed out`), { code: 'ETIMEDOUT' })),
      options.timeoutMs ?? 10_000,
    );
    try {
      await new Promise<void>((resolve, reject) => {
        client.handshakeDone = resolve;
        client.handshakeFailed = reject;
        socket.once(target.secure ? 'secureConnect' : 'connect', () => {
          stage = 'rtmp';
          socket.write(client.handshake!.hello);
        });
      });
      client.send(setChunkSizeMessage(CLIENT_CHUNK_SIZE));
      await client.call(
        0,
        'connect',
        amfObject({ app: target.app, type: 'nonprivate', flashVer: 'FMLE/3.0 (compatible; Tally)', tcUrl: target.tcUrl }),
      );
      client.connected = true;
      return client;
    } catch (error) {
      socket.destroy();
      throw error instanceof RtmpStatusError || !(error instanceof Error) ? error : new RtmpConnectError(error, stage);
    } finally {
      clearTimeout(timer);
    }
  }

  private fail(error: Error): void {
    if (!this.failed && this.connected) queueMicrotask(() => this.onClose?.(error));
    this.failed ??= error;
    this.handshakeFailed(error);
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    for (const waiter of this.statusWaiters.splice(0)) waiter.reject(error);
  }

  private onData(bytes: Buffer): void {
    try {
      let data: Uint8Array = bytes;
      this.bytesIn += bytes.length;
      if (this.handshake) {
        const step = this.handshake.feed(bytes);
        if (step.reply) this.socket.write(step.reply);
        if (!step.done) return;
        this.handshake = null;
        this.handshakeDone();
        data = step.remainder ?? new Uint8Array(0);
      }
      if (data.length) this.parser.feed(data);
      if (this.bytesIn - this.lastAck >= this.ackWindow) {
        this.lastAck = this.bytesIn;
        this.send(acknowledgementMessage(this.bytesIn % 0x1_0000_0000));
      }
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      this.socket.destroy();
    }
  }

  private onMessage(message: RtmpMessage): void {
    switch (message.typeId) {
      case RtmpType.setChunkSize:
        this.parser.setChunkSize(parseU32Control(message.payload));
        return;
      case RtmpType.windowAckSize:
        this.ackWindow = parseU32Control(message.payload) || this.ackWindow;
        return;
      case RtmpType.userControl: {
        const control = parseUserControl(message.payload);
        if (control.event === UserControlEvent.pingRequest) this.send(userControlMessage(UserControlEvent.pingResponse, control.value));
        return;
      }
      case RtmpType.commandAmf0:
      case RtmpType.commandAmf3: {
        const command = decodeCommand(message);
        const args = [command.object, ...command.args];
        if (command.name === '_result' || command.name === '_error') {
          const waiter = this.pending.get(command.transactionId);
          this.pending.delete(command.transactionId);
          if (command.name === '_result') waiter?.resolve(args);
          else {
            const info = amfRecord(command.args[0] ?? null);
            waiter?.reject(new RtmpStatusError(text(info?.code) || '_error', text(info?.description)));
          }
        } else if (command.name === 'onStatus') {
          const info = amfRecord(command.args[0] ?? null);
          const code = text(info?.code);
          this.statusCodes.push(code);
          const waiter = this.statusWaiters.find((candidate) => candidate.codes.includes(code) || info?.level === 'error');
          if (waiter) {
            this.statusWaiters.splice(this.statusWaiters.indexOf(waiter), 1);
            if (info?.level === 'error') waiter.reject(new RtmpStatusError(code, text(info.description)));
            else waiter.resolve(code);
          } else if (info?.level === 'error') {
            // Refused after the start (a key revoked, a stream deleted): the connection is over.
            this.fail(new RtmpStatusError(code, text(info.description)));
            this.socket.destroy();
          }
        }
        return;
      }
      case RtmpType.audio:
      case RtmpType.video:
      case RtmpType.dataAmf0:
        this.onMedia?.(message);
        return;
      default:
    }
  }

  /** Sends a message; false when the socket's buffer is over its high-water mark (wait for `onDrain`). */
  send(message: OutgoingRtmpMessage): boolean {
    if (this.socket.destroyed) return false;
    return this.socket.write(serializeRtmpMessage(message, CLIENT_CHUNK_SIZE));
  }

  private call(streamId: number, name: string, object: AmfValue, ...args: AmfValue[]): Promise<AmfValue[]> {
    if (this.failed) return Promise.reject(this.failed);
    const transactionId = this.nextTransaction++;
    const result = new Promise<AmfValue[]>((resolve, reject) => this.pending.set(transactionId, { resolve, reject }));
    this.send(commandMessage(streamId, name, transactionId, object, ...args));
    return result;
  }

  private waitForStatus(codes: string[]): Promise<string> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => this.statusWaiters.push({ resolve, reject, codes }));
  }

  private async createStream(): Promise<number> {
    const [, id] = await this.call(0, 'createStream', null);
    if (typeof id !== 'number') throw new Error('createStream answered without a stream id');
    this.streamId = id;
    return id;
  }

  /**
   * Publishes to `key`; resolves on NetStream.Publish.Start, rejects with `RtmpStatusError` on a
   * refusal (the server's code and description), or when no answer comes within `timeoutMs`.
   */
  async publish(key: string, timeoutMs = 10_000): Promise<void> {
    const timer = setTimeout(() => {
      this.fail(new Error('the server did not answer publish in time'));
      this.socket.destroy();
    }, timeoutMs);
    try {
      this.send(commandMessage(0, 'releaseStream', this.nextTransaction++, null, key));
      this.send(commandMessage(0, 'FCPublish', this.nextTransaction++, null, key));
      const id = await this.createStream();
      const started = this.waitForStatus(['NetStream.Publish.Start']);
      this.send(commandMessage(id, 'publish', 0, null, key, 'live'));
      await started;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Plays `name`; media arrives through `onMedia`. Resolves on NetStream.Play.Start. */
  async play(name: string): Promise<void> {
    const id = await this.createStream();
    const started = this.waitForStatus(['NetStream.Play.Start']);
    this.send(commandMessage(id, 'play', 0, null, name, -2));
    await started;
  }

  /** Sends an audio, video or data message on the published stream (`payload` is written, not copied: leave it unchanged); false when the socket's buffer is full. */
  sendMedia(kind: 'audio' | 'video' | 'data', timestamp: number, payload: Uint8Array): boolean {
    if (this.socket.destroyed) return false;
    const typeId = kind === 'audio' ? RtmpType.audio : kind === 'video' ? RtmpType.video : RtmpType.dataAmf0;
    const chunkStreamId = kind === 'audio' ? ChunkStream.audio : kind === 'video' ? ChunkStream.video : ChunkStream.data;
    // The payload's chunks as views between small headers, one writev: a media message is not
    // copied per connection (the payload must stay unchanged until written; the program's are).
    const chunks = rtmpMessageChunks({ chunkStreamId, typeId, streamId: this.streamId, timestamp, payload }, CLIENT_CHUNK_SIZE);
    this.socket.cork();
    let below = true;
    for (const chunk of chunks) below = this.socket.write(chunk);
    this.socket.uncork();
    return below;
  }

  /** Bytes waiting in the socket (for pacing). */
  get queuedBytes(): number {
    return this.socket.writableLength;
  }

  /** Bytes handed to the operating system so far (sent, or in the kernel's send buffer). */
  get bytesFlushed(): number {
    return this.socket.bytesWritten - this.socket.writableLength;
  }

  /** Holds writes until `uncork` (Node's writable cork): many messages, one system call. */
  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  /** Calls `listener` each time the socket's buffer has drained. */
  onDrain(listener: () => void): void {
    this.socket.on('drain', listener);
  }

  /** Unpublishes politely (FCUnpublish, deleteStream) and closes. */
  async close(): Promise<void> {
    if (!this.socket.destroyed && this.streamId) {
      this.send(commandMessage(0, 'FCUnpublish', 0, null));
      this.send(commandMessage(0, 'deleteStream', 0, null, this.streamId));
    }
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), 1000);
    await this.closed;
    clearTimeout(timer);
  }

  /** Stops reading from the socket, as a viewer on a slow or stalled network would. */
  pauseReading(): void {
    this.socket.pause();
  }

  /** Drops the connection at once (an abrupt disconnect). */
  destroy(): void {
    this.socket.destroy();
  }
}
