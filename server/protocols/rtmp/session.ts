/**
 * The server side of one RTMP connection as a state machine with no I/O: messages in, events
 * out. It answers the NetConnection/NetStream commands (Adobe RTMP spec 1.0 section 7.2:
 * connect, createStream, publish, play, deleteStream; plus the FMLE/OBS calls releaseStream,
 * FCPublish, FCUnpublish), window acknowledgements (5.4.3-5.4.5) and pings (7.1.7), and asks
 * its connection to admit a publisher or a player. The connection (`conn.ts`) owns the socket,
 * the timers, the admission calls and the close; the stream seams (`ingest.ts`, `playback.ts`)
 * carry media. Protocol violations throw `MediaFormatError`.
 */
import { amfRecord, type AmfValue } from '../../../common/media/amf0.ts';
import { MediaFormatError } from '../../../common/media/errors.ts';
import type { OutgoingRtmpMessage, RtmpMessage } from '../../../common/media/rtmp-chunk.ts';
import {
  acknowledgementMessage,
  amfObject,
  commandMessage,
  dataMessage,
  decodeCommand,
  onStatusMessage,
  parseU32Control,
  parseUserControl,
  RtmpType,
  setChunkSizeMessage,
  setPeerBandwidthMessage,
  splitAggregate,
  userControlMessage,
  UserControlEvent,
  windowAckSizeMessage,
  type RtmpCommand,
} from '../../../common/media/rtmp-message.ts';
import { splitNameAndQuery, type PlayRequest, type Refusal } from '../../stream/admission.ts';
import { OUT_CHUNK_SIZE, type PacketKind } from '../../stream/media-packet.ts';

/** The window we ask peers to acknowledge, and our peer bandwidth (what nginx-rtmp and SRS send). */
export const WINDOW_ACK_SIZE = 2_500_000;

/** What a connection does on its stream. */
export type RtmpRole = 'publisher' | 'player';

/** What the session asks of its connection. */
export interface RtmpSessionEvents {
  /** Sends a message to the peer. */
  send(message: OutgoingRtmpMessage): void;
  /** The peer's Set Chunk Size (5.4.1), for the chunk parser. */
  peerChunkSize(size: number): void;
  /** The peer's Abort Message (5.4.2), for the chunk parser. */
  abortMessage(chunkStreamId: number): void;
  /** The peer wants to publish with `key` on message stream `streamId`: admit, then call `publishAdmitted` or `refused`. */
  publishRequested(streamId: number, key: string): void;
  /** The peer wants to play: admit, then call `playAdmitted` or `refused`. */
  playRequested(streamId: number, request: PlayRequest): void;
  /** An audio, video or data message of the stream being published. */
  media(kind: PacketKind, timestamp: number, payload: Uint8Array): void;
  /** The peer ended its publish or play session (FCUnpublish, deleteStream, closeStream); the connection stays. */
  sessionEnded(role: RtmpRole): void;
  /** The peer was refused at connect: the connection ends once the answer is flushed. */
  connectRefused(reason: string): void;
}

/** Limits the session enforces. */
export interface RtmpSessionOptions {
  /** The application name clients connect to (`live`). */
  app: string;
  /** Message streams one connection may create. */
  maxStreamsPerConnection: number;
}

/** The RTMP status a refusal is answered with (7.2.2.6). */
export function rtmpStatusOf(refusal: Refusal, action: 'publish' | 'play'): { code: string; description: string } {
  if (action === 'publish') {
    switch (refusal.kind) {
      case 'busy':
        return { code: 'NetStream.Publish.BadName', description: 'Stream is already being published' };
      case 'denied':
        return { code: 'NetStream.Publish.BadName', description: 'Publishing denied' };
      default:
        return { code: 'NetStream.Publish.BadName', description: 'Invalid stream key' };
    }
  }
  return refusal.kind === 'not-found'
    ? { code: 'NetStream.Play.StreamNotFound', description: 'No such stream' }
    : { code: 'NetStream.Play.Failed', description: 'Playback denied' };
}

const status = (level: 'status' | 'error', code: string, description: string): AmfValue => amfObject({ level, code, description });

/** One RTMP connection's protocol state. */
export class RtmpServerSession {
  private readonly events: RtmpSessionEvents;
  private readonly options: RtmpSessionOptions;
  private connected = false;
  private readonly messageStreams = new Set<number>();
  private nextStreamId = 1;
  private state: 'idle' | 'admitting' | { role: RtmpRole; streamId: number; name: string } = 'idle';
  private peerAckWindow = WINDOW_ACK_SIZE;
  private bytesIn = 0;
  private lastAckAt = 0;
  /** The application the peer asked for, as logs may show it (the first path segment, cut short). */
  app = '';
  /** The last role and stream this connection had, for its close line (a session may end before the socket). */
  last: { role: RtmpRole; name: string } | undefined;

  constructor(options: RtmpSessionOptions, events: RtmpSessionEvents) {
    this.options = options;
    this.events = events;
  }

  /** The role and stream now, if publishing or playing. */
  get active(): { role: RtmpRole; streamId: number; name: string } | undefined {
    return typeof this.state === 'object' ? this.state : undefined;
  }

  /** Bytes received from the peer so far. */
  get bytesReceived(): number {
    return this.bytesIn;
  }

  /** Counts bytes read from the socket, acknowledging each window the peer asked for (5.4.3). */
  received(byteCount: number): void {
    this.bytesIn += byteCount;
    if (this.bytesIn - this.lastAckAt >= this.peerAckWindow) {
      this.lastAckAt = this.bytesIn;
      this.events.send(acknowledgementMessage(this.bytesIn % 0x1_0000_0000));
    }
  }

  /** Takes one message from the peer. Throws `MediaFormatError` on a protocol violation. */
  receive(message: RtmpMessage): void {
    switch (message.typeId) {
      case RtmpType.setChunkSize:
        this.events.peerChunkSize(parseU32Control(message.payload) & 0x7fffffff);
        return;
      case RtmpType.abort:
        this.events.abortMessage(parseU32Control(message.payload));
        return;
      case RtmpType.windowAckSize: {
        const size = parseU32Control(message.payload);
        if (size > 0) this.peerAckWindow = size;
        return;
      }
      case RtmpType.userControl: {
        const control = parseUserControl(message.payload);
        if (control.event === UserControlEvent.pingRequest)
          this.events.send(userControlMessage(UserControlEvent.pingResponse, control.value));
        return;
      }
      case RtmpType.audio:
      case RtmpType.video:
      case RtmpType.dataAmf0:
      case RtmpType.dataAmf3:
        this.media(message);
        return;
      case RtmpType.aggregate:
        for (const part of splitAggregate(message)) this.media(part);
        return;
      case RtmpType.commandAmf0:
      case RtmpType.commandAmf3:
        this.command(decodeCommand(message), message.streamId);
        return;
      default:
      // Acknowledgement, Set Peer Bandwidth, shared objects: nothing to do.
    }
  }

  private media(message: RtmpMessage): void {
    const active = this.active;
    if (active?.role !== 'publisher' || message.streamId !== active.streamId) return;
    const kind = message.typeId === RtmpType.audio ? 'audio' : message.typeId === RtmpType.video ? 'video' : 'data';
    const payload = message.typeId === RtmpType.dataAmf3 ? message.payload.subarray(1) : message.payload;
    if (payload.length === 0) return; // empty audio/video messages carry nothing (some encoders send them)
    this.events.media(kind, message.timestamp, payload);
  }

  private command(command: RtmpCommand, streamId: number): void {
    const { name, transactionId } = command;
    if (name === 'connect') return this.connect(command);
    if (!this.connected) throw new MediaFormatError(`command ${name} before connect`);
    switch (name) {
      case 'createStream': {
        if (this.messageStreams.size >= this.options.maxStreamsPerConnection) {
          this.events.send(commandMessage(0, '_error', transactionId, null, status('error', 'NetStream.Failed', 'Too many streams')));
          return;
        }
        const id = this.nextStreamId++;
        this.messageStreams.add(id);
        this.events.send(commandMessage(0, '_result', transactionId, null, id));
        return;
      }
      case 'releaseStream':
      case 'FCPublish':
      case 'getStreamLength':
        if (transactionId > 0)
          this.events.send(commandMessage(0, '_result', transactionId, null, name === 'getStreamLength' ? 0 : undefined));
        return;
      case 'publish':
        return this.start('publisher', command, streamId);
      case 'play':
        return this.start('player', command, streamId);
      case 'FCUnpublish':
        this.end('publisher');
        if (transactionId > 0) this.events.send(commandMessage(0, '_result', transactionId, null, undefined));
        return;
      case 'deleteStream':
      case 'closeStream': {
        const target = name === 'deleteStream' && typeof command.args[0] === 'number' ? command.args[0] : streamId;
        if (this.active?.streamId === target) this.end(this.active.role);
        this.messageStreams.delete(target);
        return;
      }
      case '_result':
      case '_error':
      case 'onStatus':
      case 'receiveAudio':
      case 'receiveVideo':
      case 'pause':
      case 'seek':
      case '_checkbw':
        return;
      default:
        if (transactionId > 0)
          this.events.send(
            commandMessage(0, '_error', transactionId, null, status('error', 'NetConnection.Call.Failed', `Method not found (${name})`)),
          );
    }
  }

  private connect(command: RtmpCommand): void {
    if (this.connected) throw new MediaFormatError('a second connect on one connection');
    const object = amfRecord(command.object);
    const app = typeof object?.app === 'string' ? object.app.split('?')[0]!.replace(/\/+$/, '') : '';
    // What is logged and said back never holds more than the configured application's own
    // name: an encoder set up with the key in the server URL sends it here, as rtmp://host/live/KEY
    // ("live/…") or pasted whole, rtmp://host/KEY (only its length). The refusal goes into the
    // client's own log too (OBS users post theirs in public forums).
    const [first = '', ...rest] = app.split('/');
    const ours = first === this.options.app;
    this.app = ours ? `${first}${rest.length ? '/…' : ''}` : `(${app.length} characters, not shown)`;
    const named = ours ? `"${this.app}"` : this.app;
    if (app !== this.options.app) {
      this.events.send(
        commandMessage(
          0,
          '_error',
          command.transactionId,
          null,
          status(
            'error',
            'NetConnection.Connect.Rejected',
            `Unknown application ${named}: the server URL ends in /${this.options.app}; the stream key is entered separately`,
          ),
        ),
      );
      this.events.connectRefused(`connect refused: unknown application ${named}`);
      return;
    }
    this.connected = true;
    this.events.send(windowAckSizeMessage(WINDOW_ACK_SIZE));
    this.events.send(setPeerBandwidthMessage(WINDOW_ACK_SIZE, 2));
    this.events.send(setChunkSizeMessage(OUT_CHUNK_SIZE));
    this.events.send(
      commandMessage(
        0,
        '_result',
        command.transactionId,
        amfObject({ fmsVer: 'FMS/3,0,1,123', capabilities: 31, mode: 1 }),
        amfObject({ level: 'status', code: 'NetConnection.Connect.Success', description: 'Connection succeeded.', objectEncoding: 0 }),
      ),
    );
  }

  private start(role: RtmpRole, command: RtmpCommand, streamId: number): void {
    const what = role === 'publisher' ? 'Publish' : 'Play';
    if (this.state !== 'idle') {
      this.events.send(
        onStatusMessage(streamId, 'error', `NetStream.${what}.Failed`, 'This connection already publishes or plays a stream'),
      );
      return;
    }
    if (!this.messageStreams.has(streamId))
      throw new MediaFormatError(`${what.toLowerCase()} on message stream ${streamId}, which was never created`);
    const target = typeof command.args[0] === 'string' ? command.args[0] : '';
    this.state = 'admitting';
    if (role === 'publisher') this.events.publishRequested(streamId, target);
    else this.events.playRequested(streamId, splitNameAndQuery(target));
  }

  private end(role: RtmpRole): void {
    if (this.active?.role !== role) return;
    this.state = 'idle';
    this.events.sessionEnded(role);
  }

  /** Admission said yes: the peer publishes `name` on `streamId`. */
  publishAdmitted(streamId: number, name: string): void {
    this.state = { role: 'publisher', streamId, name };
    this.last = { role: 'publisher', name };
    this.events.send(userControlMessage(UserControlEvent.streamBegin, streamId));
    this.events.send(onStatusMessage(streamId, 'status', 'NetStream.Publish.Start', `${name} is now published.`));
  }

  /** Admission said yes: the peer plays `name` on `streamId`. */
  playAdmitted(streamId: number, name: string): void {
    this.state = { role: 'player', streamId, name };
    this.last = { role: 'player', name };
    this.events.send(userControlMessage(UserControlEvent.streamBegin, streamId));
    this.events.send(onStatusMessage(streamId, 'status', 'NetStream.Play.Reset', `Playing and resetting ${name}.`));
    this.events.send(onStatusMessage(streamId, 'status', 'NetStream.Play.Start', `Started playing ${name}.`));
    this.events.send(dataMessage(streamId, ['|RtmpSampleAccess', true, true]));
  }

  /** Admission said no (the connection then closes). */
  refused(streamId: number, refusal: Refusal, action: 'publish' | 'play'): void {
    this.state = 'idle';
    const { code, description } = rtmpStatusOf(refusal, action);
    this.events.send(onStatusMessage(streamId, 'error', code, description));
  }

  /** A player hears that its stream's publisher came (after a time without one). */
  publisherCame(): void {
    const active = this.active;
    if (active?.role !== 'player') return;
    this.events.send(userControlMessage(UserControlEvent.streamBegin, active.streamId));
    this.events.send(onStatusMessage(active.streamId, 'status', 'NetStream.Play.PublishNotify', `${active.name} is now published.`));
  }

  /** A player hears that its stream's publisher left. */
  publisherWent(): void {
    const active = this.active;
    if (active?.role !== 'player') return;
    this.events.send(userControlMessage(UserControlEvent.streamEof, active.streamId));
    this.events.send(onStatusMessage(active.streamId, 'status', 'NetStream.Play.UnpublishNotify', `${active.name} is now unpublished.`));
  }
}
