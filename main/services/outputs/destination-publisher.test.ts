import { lookup as dnsLookup } from 'node:dns/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseVideoTagHeader } from '../../../common/media/flv.ts';
import { parseRtmpUrl, type RtmpClient } from '../../../net/rtmp/client.ts';
import { closedLoopbackPort, startTcpProxy } from '../../../net/testing/tcp-proxy.ts';
import { silentLogger } from '../../../server/log.ts';
import { startTestOrigin, TEST_KEY, until, type TestOrigin } from '../../../server/testing.ts';
import { DestinationPublisher, type ConnectRtmp } from './destination-publisher.ts';
import { encodeTestProgram, playProgram, probeLive, shiftProgram } from './testing.ts';

const program = encodeTestProgram({ seconds: 4, gop: 30 });

function publisher(url: string, key = TEST_KEY, extra: Partial<ConstructorParameters<typeof DestinationPublisher>[0]> = {}) {
  const changes: string[] = [];
  const created = new DestinationPublisher({
    id: 'dst-test',
    target: { serverUrl: url, streamKey: key, caPem: null },
    log: silentLogger,
    adaptive: true,
    videoKbps: 600,
    audioKbps: 128,
    onChange: () => changes.push(created.state),
    random: () => 0,
    ...extra,
  });
  return created;
}

let origin: TestOrigin;
const running: DestinationPublisher[] = [];
beforeAll(async () => {
  origin = await startTestOrigin({ hls: { enabled: false } });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});
afterAll(async () => origin.close());

/** The destination goes live again after one reconnect, and a viewer of `server` gets the stream. */
async function expectLiveAgain(dest: DestinationPublisher, server: TestOrigin): Promise<void> {
  await until(() => dest.state === 'live', 30_000, 'live again');
  expect(dest.status().reconnects).toBe(1);
  // A viewer joining as the new stream's metadata arrives sees it as a data track: join once media flows.
  await until(() => dest.status().bitrateKbps > 0, 10_000, 'media sent on the new connection');
  expect(await probeLive(`${server.urls.http}live/main.flv`)).toEqual(['aac', 'h264,320,180']);
}

/** Plays the program on a loop in real time until `stop` resolves. */
async function loopProgram(target: DestinationPublisher, stop: () => boolean, speed = 1): Promise<void> {
  const span = program.packets.at(-1)!.timestampUs + 33_333;
  for (let loop = 0; !stop(); loop++) await playProgram(target, shiftProgram(program.packets, loop * span), { realTime: true, speed });
}

describe('a destination publishing the program over RTMP to a real origin', () => {
  it('goes live and a viewer gets H.264 and AAC at the program size', async () => {
    const dest = publisher(origin.urls.rtmp);
    running.push(dest);
    dest.start(program.config);
    await until(() => dest.state === 'live', 10_000, 'live');
    let done = false;
    const playing = loopProgram(dest, () => done);
    try {
      const streams = await probeLive(`${origin.urls.http}live/main.flv`);
      expect(streams).toEqual(['aac', 'h264,320,180']);
      await until(() => dest.status().bitrateKbps > 0, 5000, 'a sent bitrate');
    } finally {
      done = true;
      await playing;
    }
  });

  it("shows a refused key as failed with the server's reason, and does not retry", async () => {
    const dest = publisher(origin.urls.rtmp, 'a-wrong-key-0123456789');
    running.push(dest);
    dest.start(program.config);
    await until(() => dest.state === 'failed', 10_000, 'failed');
    expect(dest.status().reason).toBe('NetStream.Publish.BadName: Invalid stream key');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(dest.state).toBe('failed');
    expect(dest.status().reconnects).toBe(0);
  });

  it('where nothing answers, says so in plain words and keeps trying (a server may be starting)', async () => {
    const closed = await closedLoopbackPort();
    const dest = publisher(`rtmp://127.0.0.1:${closed}/live`);
    running.push(dest);
    dest.start(program.config);
    await until(() => dest.status().nextRetryInMs !== null, 10_000, 'a retry scheduled');
    expect(dest.status()).toMatchObject({ state: 'reconnecting', reason: `nothing answers at 127.0.0.1:${closed} (ECONNREFUSED)` });
  });

  it('a server name that does not exist fails at once, saying so', async (context) => {
    const host = 'no-such-venue.invalid';
    const lookup = await dnsLookup(host).then(
      () => 'found',
      (error: NodeJS.ErrnoException) => error.code,
    );
    if (lookup !== 'ENOTFOUND') return context.skip(`this machine's resolver answers ${lookup} for ${host}, not ENOTFOUND`);
    const dest = publisher(`rtmp://${host}/live`);
    running.push(dest);
    dest.start(program.config);
    await until(() => dest.state === 'failed', 20_000, 'failed');
    expect(dest.status().reason).toBe(`the server name ${host} was not found (ENOTFOUND)`);
  });

  it('reconnects after its server went away, with backoff, and streams there again', async () => {
    const dataDir = origin.dataDir;
    const own = await startTestOrigin({ hls: { enabled: false } });
    const port = Number(new URL(own.urls.rtmp.replace('rtmp:', 'http:')).port);
    const httpPort = Number(new URL(own.urls.http).port);
    const dest = publisher(own.urls.rtmp);
    running.push(dest);
    dest.start(program.config);
    await until(() => dest.state === 'live', 10_000, 'live');
    let done = false;
    const playing = loopProgram(dest, () => done);
    let again: TestOrigin | undefined;
    try {
      await own.close();
      await until(() => dest.state === 'reconnecting', 10_000, 'reconnecting');
      expect(dest.status().reason).toBeTruthy();
      expect(dest.status().nextRetryInMs).not.toBeNull();
      again = await startTestOrigin({ rtmpPort: port, httpPort, hls: { enabled: false }, dataDir: `${dataDir}-again` });
      await expectLiveAgain(dest, again);
    } finally {
      done = true;
      await playing;
      await again?.close();
    }
  });
});

describe('a destination that has been live (real origin, a TCP proxy that drops only the studio side)', () => {
  it('keeps retrying while the server still holds its old stream and refuses the new one, showing why; live again once the server lets go', async () => {
    const target = parseRtmpUrl(`${origin.urls.rtmp}/x`);
    const proxy = await startTcpProxy(target);
    const dest = publisher(`rtmp://127.0.0.1:${proxy.port}/live`);
    running.push(dest);
    let done = false;
    let playing: Promise<void> | undefined;
    try {
      dest.start(program.config);
      await until(() => dest.state === 'live', 10_000, 'live');
      playing = loopProgram(dest, () => done);
      // A network blip the server does not notice: its side of the old connection stays open.
      proxy.dropClientSides();
      await until(() => dest.status().reason?.startsWith('NetStream.Publish.BadName'), 20_000, "the server's refusal of the reconnect");
      expect(dest.status()).toMatchObject({
        state: 'reconnecting',
        reason: 'NetStream.Publish.BadName: Stream is already being published',
      });
      // Refused again on the next try, and still retrying with its backoff.
      const attempts = proxy.connections;
      await until(() => proxy.connections > attempts, 20_000, 'another attempt');
      await until(() => dest.status().nextRetryInMs !== null, 10_000, 'a retry scheduled');
      expect(dest.state).toBe('reconnecting');
      // The server times the old connection out: the next attempt goes live, and viewers get the stream again.
      proxy.dropServerSides();
      await expectLiveAgain(dest, origin);
    } finally {
      done = true;
      await playing;
      await proxy.close();
    }
  }, 60_000);
});

/** A fake RTMP client (no server): it records what is sent and can pretend its socket is full. */
function fakeClient() {
  const sent: { kind: string; timestamp: number; keyframe: boolean; config: boolean }[] = [];
  const state = { full: false, drain: () => {} };
  const client = {
    publish: async () => {},
    sendMedia(kind: string, timestamp: number, payload: Uint8Array) {
      const header = kind === 'video' ? parseVideoTagHeader(payload) : null;
      sent.push({
        kind,
        timestamp,
        keyframe: header?.keyframe === true && header.packet === 'codedFrames',
        config: header?.packet === 'sequenceStart',
      });
      return !state.full;
    },
    get queuedBytes() {
      return state.full ? 1 << 30 : 0;
    },
    bytesFlushed: 0,
    onDrain: (listener: () => void) => (state.drain = listener),
    cork() {},
    uncork() {},
    onClose: null,
    close: async () => {},
    destroy() {},
  };
  const connectFake: ConnectRtmp = async () => client as unknown as RtmpClient;
  return { sent, state, connectFake };
}

describe('a congested destination (fake RTMP client)', () => {
  it('drops whole GOPs: after a drop the next video it sends is a keyframe, and it resumes with no half GOP', async () => {
    const { sent, state, connectFake } = fakeClient();
    const dest = publisher('rtmp://127.0.0.1:1/live', TEST_KEY, { connect: connectFake, maxQueueMs: 500 });
    running.push(dest);
    dest.start(program.config);
    await until(() => dest.state === 'live', 5000, 'live');
    const packets = program.packets;
    const third = Math.floor(packets.length / 3);
    for (const packet of packets.slice(0, third)) dest.onPacket(packet);
    state.full = true; // the link stalls: everything queues
    for (const packet of packets.slice(third, 2 * third)) dest.onPacket(packet);
    expect(dest.status().framesDropped).toBeGreaterThan(0);
    state.full = false;
    state.drain();
    for (const packet of packets.slice(2 * third)) dest.onPacket(packet);

    const video = sent.filter((item) => item.kind === 'video' && !item.config);
    const frameMs = 1000 / 30;
    // Every gap in the video sent is followed by a keyframe: a GOP is either whole from where it starts or absent.
    for (let i = 1; i < video.length; i++)
      if (video[i]!.timestamp - video[i - 1]!.timestamp > frameMs * 1.5) expect(video[i]!.keyframe).toBe(true);
    expect(video[0]!.keyframe).toBe(true);
    expect(video.length + dest.status().framesDropped).toBe(packets.filter((p) => p.kind === 'video').length);
  });

  it('asks for a lower bitrate once its queue grows, and not while it keeps up', async () => {
    const { state, connectFake } = fakeClient();
    const dest = publisher('rtmp://127.0.0.1:1/live', TEST_KEY, { connect: connectFake, maxQueueMs: 5000 });
    running.push(dest);
    dest.start(program.config);
    await until(() => dest.state === 'live', 5000, 'live');
    let done = false;
    const playing = loopProgram(dest, () => done, 2);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(dest.requestedBitrateKbps).toBeNull();
      state.full = true;
      await until(() => dest.requestedBitrateKbps !== null, 10_000, 'a bitrate request');
      expect(dest.requestedBitrateKbps).toBeLessThan(600);
    } finally {
      done = true;
      await playing;
    }
  });
});

describe('destinations are independent (real sockets)', () => {
  it('one whose link stalls drops GOPs while another on the same program stays live and watchable', async () => {
    // A TCP proxy that stops reading from the publisher after the RTMP start: a dead link.
    const relay = await startTcpProxy(parseRtmpUrl(`${origin.urls.rtmp}/x`));
    const other = await startTestOrigin({ hls: { enabled: false } });
    const slow = publisher(`rtmp://127.0.0.1:${relay.port}/live`, TEST_KEY, { maxQueueMs: 1000 });
    // The healthy one may fall behind for a moment on a loaded machine (16x real time); only a dead link should make it drop.
    const healthy = publisher(other.urls.rtmp, TEST_KEY, { maxQueueMs: 60_000 });
    running.push(slow, healthy);
    let done = false;
    try {
      slow.start(program.config);
      healthy.start(program.config);
      await until(() => slow.state === 'live' && healthy.state === 'live', 10_000, 'both live');
      relay.stall();
      const fanOut = {
        onConfig() {},
        onPacket: (packet: (typeof program.packets)[number]) => [slow, healthy].forEach((d) => d.onPacket(packet)),
      };
      const span = program.packets.at(-1)!.timestampUs + 33_333;
      const playing = (async () => {
        for (let loop = 0; !done; loop++)
          await playProgram(fanOut, shiftProgram(program.packets, loop * span), { realTime: true, speed: 16 });
      })();
      try {
        // The kernel's socket buffers (megabytes on loopback) fill first; at 16x real time that takes seconds.
        await until(() => slow.status().framesDropped > 0, 50_000, 'the stalled destination to drop GOPs');
        expect(await probeLive(`${other.urls.http}live/main.flv`)).toEqual(['aac', 'h264,320,180']);
        expect(healthy.status().framesDropped).toBe(0);
        expect(healthy.state).toBe('live');
      } finally {
        done = true;
        await playing;
      }
    } finally {
      await relay.close();
      await other.close();
    }
  }, 60_000);
});
