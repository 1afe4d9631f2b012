import { describe, expect, it } from 'vitest';
import { decodeAmf0 } from '../../../common/media/amf0.ts';
import { MediaFormatError } from '../../../common/media/errors.ts';
import type { OutgoingRtmpMessage, RtmpMessage } from '../../../common/media/rtmp-chunk.ts';
import {
  amfObject,
  commandMessage,
  RtmpType,
  setChunkSizeMessage,
  userControlMessage,
  UserControlEvent,
  windowAckSizeMessage,
} from '../../../common/media/rtmp-message.ts';
import { refuse } from '../../stream/admission.ts';
import { RtmpServerSession, WINDOW_ACK_SIZE, type RtmpSessionEvents } from './session.ts';

/** A session with every event it emits recorded, in order, as `name:detail`. */
function session(app = 'live') {
  const events: string[] = [];
  const describeSent = (message: OutgoingRtmpMessage): string => {
    if (message.typeId === RtmpType.commandAmf0) {
      const [name, , , info] = decodeAmf0(message.payload) as [string, number, unknown, { code?: string } | number | undefined];
      return `send:${name}${typeof info === 'object' && info?.code ? `:${info.code}` : typeof info === 'number' ? `:${info}` : ''}`;
    }
    if (message.typeId === RtmpType.dataAmf0) return `send:data:${decodeAmf0(message.payload)[0] as string}`;
    return `send:type${message.typeId}`;
  };
  const sink: RtmpSessionEvents = {
    send: (message) => events.push(describeSent(message)),
    peerChunkSize: (size) => events.push(`peerChunkSize:${size}`),
    abortMessage: (id) => events.push(`abort:${id}`),
    publishRequested: (streamId, key) => events.push(`publishRequested:${streamId}:${key}`),
    playRequested: (streamId, request) => events.push(`playRequested:${streamId}:${request.name}:${request.query.toString()}`),
    media: (kind, timestamp, payload) => events.push(`media:${kind}:${timestamp}:${payload.length}`),
    sessionEnded: (role) => events.push(`ended:${role}`),
    connectRefused: (reason) => events.push(`refused:${reason}`),
  };
  const machine = new RtmpServerSession({ app, maxStreamsPerConnection: 2 }, sink);
  // What the chunk parser would hand over: an outgoing message has the fields of a received one.
  const receive = (message: OutgoingRtmpMessage) => machine.receive(message satisfies RtmpMessage);
  const take = () => events.splice(0);
  return { machine, receive, take };
}

const command = (streamId: number, name: string, transactionId: number, object: unknown = null, ...args: unknown[]) =>
  commandMessage(streamId, name, transactionId, object as never, ...(args as never[]));
const media = (typeId: number, streamId: number, timestamp: number, bytes = 3): OutgoingRtmpMessage => ({
  chunkStreamId: 6,
  typeId,
  streamId,
  timestamp,
  payload: new Uint8Array(bytes).fill(0xaf),
});

describe('the RTMP server session (messages in, events out)', () => {
  it('answers connect with the window, bandwidth, chunk size and success, then creates streams up to its limit', () => {
    const { receive, take } = session();
    receive(command(0, 'connect', 1, amfObject({ app: 'live' })));
    expect(take()).toEqual(['send:type5', 'send:type6', 'send:type1', 'send:_result:NetConnection.Connect.Success']);
    receive(command(0, 'createStream', 2));
    receive(command(0, 'createStream', 3));
    receive(command(0, 'createStream', 4));
    expect(take()).toEqual(['send:_result:1', 'send:_result:2', 'send:_error:NetStream.Failed']);
  });

  it('refuses an unknown application without showing more than its first path segment', () => {
    const { receive, take } = session();
    receive(command(0, 'connect', 1, amfObject({ app: 'live/stream-key-in-the-url-0123456789' })));
    expect(take()).toEqual(['send:_error:NetConnection.Connect.Rejected', 'refused:connect refused: unknown application "live/…"']);
  });

  it('asks to admit a publisher, passes only its own stream’s media once admitted, and ends on FCUnpublish keeping what it was', () => {
    const { machine, receive, take } = session();
    receive(command(0, 'connect', 1, amfObject({ app: 'live' })));
    receive(command(0, 'releaseStream', 2, null, 'KEY'));
    receive(command(0, 'FCPublish', 3, null, 'KEY'));
    receive(command(0, 'createStream', 4));
    take();
    receive(command(1, 'publish', 0, null, 'the-key', 'live'));
    expect(take()).toEqual(['publishRequested:1:the-key']);
    receive(media(RtmpType.video, 1, 0)); // before admission: dropped
    machine.publishAdmitted(1, 'main');
    expect(take()).toEqual(['send:type4', 'send:onStatus:NetStream.Publish.Start']);
    receive(media(RtmpType.video, 1, 40));
    receive(media(RtmpType.audio, 2, 40)); // another message stream: not this publish
    receive({ ...media(RtmpType.audio, 1, 41), payload: new Uint8Array(0) }); // empty: carries nothing
    expect(take()).toEqual(['media:video:40:3']);
    receive(command(0, 'FCUnpublish', 5, null, 'KEY'));
    expect(take()).toEqual(['ended:publisher', 'send:_result']);
    expect(machine.active).toBeUndefined();
    expect(machine.last).toEqual({ role: 'publisher', name: 'main' });
  });

  it('plays with the statuses players expect, tells the player when the publisher comes and goes, and ends on deleteStream', () => {
    const { machine, receive, take } = session();
    receive(command(0, 'connect', 1, amfObject({ app: 'live' })));
    receive(command(0, 'createStream', 2));
    take();
    receive(command(1, 'play', 0, null, 'main?token=abc', -2));
    expect(take()).toEqual(['playRequested:1:main:token=abc']);
    machine.playAdmitted(1, 'main');
    expect(take()).toEqual([
      'send:type4',
      'send:onStatus:NetStream.Play.Reset',
      'send:onStatus:NetStream.Play.Start',
      'send:data:|RtmpSampleAccess',
    ]);
    machine.publisherWent();
    machine.publisherCame();
    expect(take()).toEqual([
      'send:type4',
      'send:onStatus:NetStream.Play.UnpublishNotify',
      'send:type4',
      'send:onStatus:NetStream.Play.PublishNotify',
    ]);
    receive(command(0, 'deleteStream', 3, null, 1));
    expect(take()).toEqual(['ended:player']);
    expect(machine.last).toEqual({ role: 'player', name: 'main' });
  });

  it('answers a refusal with the status its kind maps to', () => {
    const { machine, receive, take } = session();
    receive(command(0, 'connect', 1, amfObject({ app: 'live' })));
    receive(command(0, 'createStream', 2));
    take();
    receive(command(1, 'play', 0, null, 'nope'));
    take();
    machine.refused(1, refuse('not-found', 'unknown stream'), 'play');
    machine.refused(1, refuse('denied', 'on_play denied'), 'play');
    machine.refused(1, refuse('busy', 'taken'), 'publish');
    machine.refused(1, refuse('bad-key', 'unknown key'), 'publish');
    expect(take()).toEqual([
      'send:onStatus:NetStream.Play.StreamNotFound',
      'send:onStatus:NetStream.Play.Failed',
      'send:onStatus:NetStream.Publish.BadName',
      'send:onStatus:NetStream.Publish.BadName',
    ]);
  });

  it('refuses a second publish or play on one connection, and play on a stream never created', () => {
    const { receive, take } = session();
    receive(command(0, 'connect', 1, amfObject({ app: 'live' })));
    receive(command(0, 'createStream', 2));
    receive(command(1, 'publish', 0, null, 'k'));
    take();
    receive(command(1, 'play', 0, null, 'main'));
    expect(take()).toEqual(['send:onStatus:NetStream.Play.Failed']);
    const fresh = session();
    fresh.receive(command(0, 'connect', 1, amfObject({ app: 'live' })));
    expect(() => fresh.receive(command(7, 'play', 0, null, 'main'))).toThrow(MediaFormatError);
  });

  it('passes chunk-stream control to its connection, answers pings, and acknowledges each window the peer asked for', () => {
    const { machine, receive, take } = session();
    expect(() => receive(command(0, 'createStream', 1))).toThrow(/before connect/);
    receive(setChunkSizeMessage(4096));
    receive(userControlMessage(UserControlEvent.pingRequest, 1234));
    receive(windowAckSizeMessage(1000));
    expect(take()).toEqual(['peerChunkSize:4096', 'send:type4']);
    machine.received(999);
    expect(take()).toEqual([]);
    machine.received(1);
    expect(take()).toEqual(['send:type3']);
    expect(WINDOW_ACK_SIZE).toBe(2_500_000);
  });
});
