import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAmf0 } from '../../../common/media/amf0.ts';
import { avcVideoTagBody } from '../../../common/media/flv.ts';
import { serializeRtmpMessage } from '../../../common/media/rtmp-chunk.ts';
import { RtmpClientHandshake } from '../../../common/media/rtmp-handshake.ts';
import { commandMessage, amfObject, setChunkSizeMessage } from '../../../common/media/rtmp-message.ts';
import type { CapturedLine } from '../../log.ts';
import { publishFixture, sendTags, fixtureTags, startTestOrigin, until, TEST_KEY, type TestOrigin } from '../../testing.ts';
import { RtmpClient, RtmpStatusError, parseRtmpUrl } from '../../../net/rtmp/client.ts';
import { nodeHandshakeCrypto } from '../../../net/rtmp/handshake-crypto.ts';

const OTHER_KEY = 'other-key-0123456789abcdef';

/** A raw TCP peer that records whether and when the server closed it. */
async function rawPeer(origin: TestOrigin): Promise<{ socket: Socket; closed: Promise<void>; received: () => number }> {
  const { host, port } = parseRtmpUrl(origin.urls.rtmp);
  const socket = connect({ host, port });
  let received = 0;
  socket.on('data', (bytes: Buffer) => (received += bytes.length));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, closed, received: () => received };
}

/** A raw peer that has completed the handshake, so what it sends next is chunk stream. */
async function handshakenPeer(origin: TestOrigin) {
  const peer = await rawPeer(origin);
  const handshake = new RtmpClientHandshake(nodeHandshakeCrypto);
  const done = new Promise<void>((resolve) => {
    peer.socket.on('data', (bytes: Buffer) => {
      const step = handshake.feed(bytes);
      if (step.reply) peer.socket.write(step.reply);
      if (step.done) resolve();
    });
  });
  peer.socket.write(handshake.hello);
  await done;
  return peer;
}

const connectCommand = (app = 'live') =>
  serializeRtmpMessage(commandMessage(0, 'connect', 1, amfObject({ app, tcUrl: 'rtmp://x/live' })), 128);

describe('RTMP connections that go wrong', () => {
  let origin: TestOrigin;
  let healthy: { publisher: RtmpClient; player: RtmpClient; received: () => number; connIds: Set<string> };

  /** Log lines since `from` that do not belong to the healthy publisher and player. */
  const linesSince = (from: number): CapturedLine[] =>
    origin.lines.slice(from).filter((line) => !healthy.connIds.has(String(line.fields.conn)));

  /** Runs `scenario`, then checks the server closed the connection with exactly one log line whose reason matches. */
  async function expectOneCloseLine(reason: RegExp, scenario: () => Promise<unknown>): Promise<CapturedLine> {
    const from = origin.lines.length;
    const before = healthy.received();
    await scenario();
    await until(() => linesSince(from).some((line) => line.msg === 'rtmp connection closed'), 5000, `close line matching ${reason}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = linesSince(from).filter((line) => line.msg !== 'publish started');
    expect(lines.map((line) => `${line.msg}: ${String(line.fields.reason)}`)).toHaveLength(1);
    expect(String(lines[0]!.fields.reason)).toMatch(reason);
    // The other stream kept flowing to its viewer the whole time.
    await until(() => healthy.received() > before, 5000, 'the healthy stream to keep flowing');
    return lines[0]!;
  }

  beforeAll(async () => {
    origin = await startTestOrigin({
      streams: [
        { name: 'main', key: TEST_KEY },
        { name: 'other', key: OTHER_KEY },
      ],
      limits: { handshakeTimeoutMs: 400, startTimeoutMs: 800, idleTimeoutMs: 500, maxMessageBytes: 1024 * 1024 },
    });
    const player = await RtmpClient.connect(`${origin.urls.rtmp}`);
    let received = 0;
    player.onMedia = (message) => (received += message.payload.length);
    await player.play('other');
    const publisher = await RtmpClient.connect(origin.urls.rtmp);
    await publisher.publish(OTHER_KEY);
    const tags = fixtureTags();
    await sendTags(publisher, tags);
    // Keep the healthy stream flowing in the background for the whole file.
    let offset = 500;
    const timer = setInterval(() => {
      void sendTags(publisher, tags.filter((tag) => tag.type !== 18 && tag.payload[1] !== 0).slice(0, 10), offset);
      offset += 100;
    }, 100);
    void publisher.closed.then(() => clearInterval(timer));
    await until(() => origin.lines.filter((line) => line.msg.endsWith('started')).length >= 2);
    healthy = {
      publisher,
      player,
      received: () => received,
      connIds: new Set(origin.lines.filter((line) => line.msg.endsWith('started')).map((line) => String(line.fields.conn))),
    };
  });

  afterAll(async () => {
    healthy?.publisher.destroy();
    healthy?.player.destroy();
    await origin?.close();
  });

  it('closes a connection whose handshake is not RTMP (an HTTP request), with one log line', async () => {
    await expectOneCloseLine(/malformed handshake: unsupported RTMP version 71/, async () => {
      const peer = await rawPeer(origin);
      peer.socket.write(`GET / HTTP/1.1\r\nHost: x\r\n\r\n`.padEnd(1537, ' '));
      await peer.closed;
    });
  });

  it('closes a connection that never finishes its handshake (half-open), with one log line', async () => {
    await expectOneCloseLine(/no handshake within 400 ms/, async () => {
      const peer = await rawPeer(origin);
      peer.socket.write(Uint8Array.of(3, 1, 2, 3));
      await peer.closed;
    });
  });

  it('closes a connection whose chunk stream is malformed', async () => {
    await expectOneCloseLine(/malformed RTMP: chunk type 3 on chunk stream 5 before any type 0 header/, async () => {
      const peer = await handshakenPeer(origin);
      peer.socket.write(Uint8Array.of(0xc5, 1, 2, 3));
      await peer.closed;
    });
  });

  it('closes a connection whose AMF is malformed', async () => {
    await expectOneCloseLine(/malformed RTMP: truncated AMF0 string/, async () => {
      const peer = await handshakenPeer(origin);
      const payload = Uint8Array.of(0x02, 0x00, 0x07, 0x63, 0x6f, 0x6e); // "connect" cut short
      peer.socket.write(serializeRtmpMessage({ chunkStreamId: 3, typeId: 20, streamId: 0, timestamp: 0, payload }, 128));
      await peer.closed;
    });
  });

  it('closes a connection that announces a message longer than the limit, before buffering it', async () => {
    await expectOneCloseLine(/message of 16777215 bytes exceeds the 1048576-byte limit/, async () => {
      const peer = await handshakenPeer(origin);
      peer.socket.write(Uint8Array.of(0x06, 0, 0, 0, 0xff, 0xff, 0xff, 9, 1, 0, 0, 0));
      await peer.closed;
    });
  });

  it('accepts the largest chunk size and refuses an invalid one', async () => {
    await expectOneCloseLine(/malformed RTMP: invalid chunk size 0/, async () => {
      const peer = await handshakenPeer(origin);
      peer.socket.write(serializeRtmpMessage(setChunkSizeMessage(0x7fffffff), 128));
      // With a 2^31-1 chunk size a whole connect command is one chunk, and it is answered.
      peer.socket.write(serializeRtmpMessage(commandMessage(0, 'connect', 1, amfObject({ app: 'live' })), 0x7fffffff));
      await until(() => peer.received() > 3073 + 100, 2000, 'the connect answer');
      peer.socket.write(serializeRtmpMessage(setChunkSizeMessage(0), 0x7fffffff));
      await peer.closed;
    });
  });

  it('refuses an unknown application with NetConnection.Connect.Rejected, logging only its length', async () => {
    await expectOneCloseLine(/connect refused: unknown application \(9 characters, not shown\)/, async () => {
      const peer = await handshakenPeer(origin);
      peer.socket.write(connectCommand('other-app'));
      await peer.closed;
    });
  });

  it('refuses a key pasted as the server URL (rtmp://host/KEY) without logging any of it', async () => {
    const line = await expectOneCloseLine(/connect refused: unknown application \(\d+ characters, not shown\)/, async () => {
      const peer = await handshakenPeer(origin);
      peer.socket.write(connectCommand(TEST_KEY));
      await peer.closed;
    });
    expect(JSON.stringify(line)).not.toContain(TEST_KEY.slice(0, 8));
    // Nor does the refusal, which lands in the encoder's own log: it says where the key goes instead.
    const base = origin.urls.rtmp.slice(0, origin.urls.rtmp.lastIndexOf('/'));
    const refusal = await RtmpClient.connect(`${base}/${TEST_KEY}`).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RtmpStatusError);
    expect((refusal as Error).message).toMatch(
      /^NetConnection\.Connect\.Rejected: Unknown application \(\d+ characters, not shown\): the server URL ends in \/live/,
    );
    expect((refusal as Error).message).not.toContain(TEST_KEY.slice(0, 8));
  });

  it('refuses a key put in the server URL (rtmp://host/live/KEY) without logging it', async () => {
    const line = await expectOneCloseLine(/connect refused: unknown application "live\/…"/, async () => {
      const peer = await handshakenPeer(origin);
      peer.socket.write(connectCommand(`live/${TEST_KEY}`));
      await peer.closed;
    });
    expect(JSON.stringify(line)).not.toContain(TEST_KEY);
  });

  it('closes a publisher whose FLV video tag is malformed', async () => {
    await expectOneCloseLine(/malformed RTMP: truncated field/, async () => {
      const client = await RtmpClient.connect(origin.urls.rtmp);
      await client.publish(TEST_KEY);
      client.sendMedia('video', 0, Uint8Array.of(0x17));
      await client.closed;
    });
  });

  it('closes a publisher whose AVC configuration is malformed', async () => {
    await expectOneCloseLine(/malformed RTMP: AVC configuration version 9/, async () => {
      const client = await RtmpClient.connect(origin.urls.rtmp);
      await client.publish(TEST_KEY);
      client.sendMedia('video', 0, avcVideoTagBody({ keyframe: true, packetType: 0, data: Uint8Array.of(9, 1, 2, 3, 4, 5, 6) }));
      await client.closed;
    });
  });

  it('closes a publisher whose metadata is malformed AMF', async () => {
    await expectOneCloseLine(/malformed RTMP: unknown AMF0 marker/, async () => {
      const client = await RtmpClient.connect(origin.urls.rtmp);
      await client.publish(TEST_KEY);
      client.sendMedia('data', 0, Uint8Array.of(...encodeAmf0(['@setDataFrame', 'onMetaData']), 0x42));
      await client.closed;
    });
  });

  it('drops a publisher that goes silent (idle half-open), with one log line', async () => {
    await expectOneCloseLine(/idle for 500 ms/, async () => {
      const client = await RtmpClient.connect(origin.urls.rtmp);
      await client.publish(TEST_KEY);
      await client.closed;
    });
  });

  it('drops a connection that neither publishes nor plays', async () => {
    await expectOneCloseLine(/neither publish nor play within 800 ms/, async () => {
      const client = await RtmpClient.connect(origin.urls.rtmp);
      await client.closed;
    });
  });

  it('logs an abrupt publisher disconnect once, and its viewers hear that the stream stopped', async () => {
    const viewer = await RtmpClient.connect(origin.urls.rtmp);
    await viewer.play('main');
    const line = await expectOneCloseLine(/peer disconnected|socket error/, async () => {
      const client = await publishFixture(origin.urls.rtmp, TEST_KEY);
      client.destroy();
    });
    expect(line.fields.role).toBe('publisher');
    await until(() => viewer.statusCodes.includes('NetStream.Play.UnpublishNotify'), 2000, 'UnpublishNotify');
    viewer.destroy();
    await viewer.closed;
  });

  it('names the role and stream in the close line after a normal stop (FCUnpublish, deleteStream), for a publisher and a player', async () => {
    const viewer = await RtmpClient.connect(origin.urls.rtmp);
    await viewer.play('main');
    const playerLine = await expectOneCloseLine(/peer disconnected/, async () => {
      await viewer.close(); // deleteStream, then the socket ends
    });
    expect(playerLine.fields).toMatchObject({ role: 'player', stream: 'main', app: 'live' });
    const from = origin.lines.length;
    const client = await publishFixture(origin.urls.rtmp, TEST_KEY);
    await client.close(); // FCUnpublish and deleteStream end the publish before the socket ends
    await until(() => linesSince(from).some((line) => line.msg === 'rtmp connection closed'), 5000, 'the close line');
    const lines = linesSince(from).filter((line) => line.msg !== 'publish started');
    expect(lines.map((line) => [line.msg, line.fields.reason])).toEqual([
      ['publish stopped', 'unpublished'],
      ['rtmp connection closed', 'peer disconnected'],
    ]);
    expect(lines[1]!.fields).toMatchObject({ role: 'publisher', stream: 'main', app: 'live' });
  });

  it('refuses a wrong key with NetStream.Publish.BadName and never logs the key', async () => {
    const wrongKey = 'wrong-key-zzzzzzzzzzzzzzzzzz';
    const line = await expectOneCloseLine(/publish refused: unknown stream key/, async () => {
      const client = await RtmpClient.connect(origin.urls.rtmp);
      const refusal = await client.publish(wrongKey).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(RtmpStatusError);
      expect((refusal as RtmpStatusError).code).toBe('NetStream.Publish.BadName');
      await client.closed;
    });
    expect(line.level).toBe('warn');
    expect(JSON.stringify(origin.lines)).not.toContain(wrongKey);
    expect(JSON.stringify(origin.lines)).not.toContain(TEST_KEY);
    expect(JSON.stringify(origin.lines)).not.toContain(OTHER_KEY);
  });

  it('refuses a second publisher on a live stream', async () => {
    await expectOneCloseLine(/publish refused: stream other already has a publisher/, async () => {
      const client = await RtmpClient.connect(origin.urls.rtmp);
      const refusal = await client.publish(OTHER_KEY).catch((error: unknown) => error);
      expect((refusal as RtmpStatusError).code).toBe('NetStream.Publish.BadName');
      await client.closed;
    });
  });

  it('refuses to play a stream that does not exist', async () => {
    await expectOneCloseLine(/play refused: unknown stream/, async () => {
      const client = await RtmpClient.connect(origin.urls.rtmp);
      const refusal = await client.play('nope').catch((error: unknown) => error);
      expect((refusal as RtmpStatusError).code).toBe('NetStream.Play.StreamNotFound');
      await client.closed;
    });
  });
});
