/**
 * The benchmark's load client (one Node process): N viewers of one stream over RTMP play or
 * HTTP-FLV. The first few (`BENCH_PARSED_VIEWERS`, default 25) parse everything they get:
 * they count video frames and read the latency marker of every frame. The rest only drain
 * their sockets and count bytes (acknowledging RTMP windows as a player does), so the load
 * client stays light enough for 500 viewers beside the servers on a small machine, and what
 * is measured is the server. With a churn rate, viewers leave and new ones join every second
 * (the soak). The parent opens and closes the measurement window over IPC and gets a summary.
 *
 * Usage (forked by origin.bench.ts): node bench/origin/load-client.ts rtmp|flv URL COUNT [CHURN_PER_SECOND]
 */
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { FlvReader, FlvTagType } from '../../common/media/flv.ts';
import { serializeRtmpMessage } from '../../common/media/rtmp-chunk.ts';
import { RtmpClientHandshake } from '../../common/media/rtmp-handshake.ts';
import { acknowledgementMessage, amfObject, commandMessage } from '../../common/media/rtmp-message.ts';
import { RtmpClient, parseRtmpUrl } from '../../net/rtmp/client.ts';
import { nodeHandshakeCrypto } from '../../net/rtmp/handshake-crypto.ts';
import { readMarker, wallClockUs } from './marker.ts';

const [protocol, url, countText, churnText] = process.argv.slice(2);
const count = Number(countText);
const churnPerSecond = Number(churnText ?? 0);
const parsedViewers = Number(process.env.BENCH_PARSED_VIEWERS ?? 25);
if ((protocol !== 'rtmp' && protocol !== 'flv') || !url || !(count > 0))
  throw new Error('usage: load-client.ts rtmp|flv URL COUNT [CHURN_PER_SECOND]');

interface Viewer {
  parsed: boolean;
  frames: number;
  bytes: number;
  closed: boolean;
  close(): void;
}

const viewers: Viewer[] = [];
let measuring = false;
let latenciesUs: number[] = [];
let joined = 0;
let left = 0;

function onVideo(viewer: Viewer, payload: Uint8Array): void {
  if (payload[1] !== 1) return; // sequence headers are not frames
  if (!measuring) return;
  viewer.frames++;
  const sentUs = readMarker(payload);
  if (sentUs !== null) latenciesUs.push(wallClockUs() - sentUs);
}

const target = protocol === 'rtmp' ? parseRtmpUrl(url) : { host: '', port: 0, app: '', stream: '', tcUrl: '' };

async function parsedRtmpViewer(viewer: Viewer): Promise<void> {
  // A loaded machine accepts slowly: wait up to a minute for each connection rather than give up.
  const client = await RtmpClient.connect(
    `rtmp://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}/${target.app}`,
    { timeoutMs: 60_000 },
  );
  viewer.close = () => client.destroy();
  client.onMedia = (message) => {
    if (measuring) viewer.bytes += message.payload.length;
    if (message.typeId === 9) onVideo(viewer, message.payload);
  };
  void client.closed.then(() => (viewer.closed = true));
  await client.play(target.stream);
}

/** An RTMP player that asks for the stream and then only counts and acknowledges bytes: no parsing. */
function drainedRtmpViewer(viewer: Viewer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: target.host, port: target.port, noDelay: true });
    viewer.close = () => socket.destroy();
    const handshake = new RtmpClientHandshake(nodeHandshakeCrypto);
    let handshaking = true;
    let received = 0;
    let acknowledged = 0;
    const timer = setTimeout(() => reject(new Error('RTMP viewer got no media within 60 s')), 60_000);
    socket.once('connect', () => socket.write(handshake.hello));
    socket.on('error', (error) => reject(error));
    socket.on('close', () => {
      viewer.closed = true;
      clearTimeout(timer);
    });
    socket.on('data', (bytes: Buffer) => {
      if (handshaking) {
        const step = handshake.feed(bytes);
        if (step.reply) socket.write(step.reply);
        if (!step.done) return;
        handshaking = false;
        // The usual player sequence, pipelined: the first stream a connection creates is 1 on every server.
        const send = (message: Parameters<typeof serializeRtmpMessage>[0]) => socket.write(serializeRtmpMessage(message, 128));
        send(commandMessage(0, 'connect', 1, amfObject({ app: target.app, tcUrl: target.tcUrl })));
        send(commandMessage(0, 'createStream', 2, null));
        send(commandMessage(1, 'play', 0, null, target.stream, -2));
        return;
      }
      received += bytes.length;
      if (measuring) viewer.bytes += bytes.length;
      // Acknowledge each window (the servers ask for 2.5 MB or more), as players do.
      if (received - acknowledged >= 1_000_000) {
        acknowledged = received;
        socket.write(serializeRtmpMessage(acknowledgementMessage(received % 0x1_0000_0000), 128));
      }
      if (received > 20_000) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

async function flvViewer(viewer: Viewer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const req = request(url!, { agent: false }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`HTTP ${response.statusCode}`));
      const reader = viewer.parsed
        ? new FlvReader((tag) => {
            if (tag.type === FlvTagType.video) onVideo(viewer, tag.payload);
          })
        : null;
      response.on('data', (chunk: Buffer) => {
        if (measuring) viewer.bytes += chunk.length;
        reader?.feed(chunk);
      });
      response.on('close', () => (viewer.closed = true));
      resolve();
    });
    viewer.close = () => req.destroy();
    req.on('error', reject);
    req.end();
  });
}

async function openViewer(index: number): Promise<void> {
  const viewer: Viewer = { parsed: index < parsedViewers, frames: 0, bytes: 0, closed: false, close() {} };
  viewers[index] = viewer;
  if (protocol === 'flv') await flvViewer(viewer);
  else await (viewer.parsed ? parsedRtmpViewer(viewer) : drainedRtmpViewer(viewer));
  joined++;
}

let failed = 0;

async function open(): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      // One more try on a loaded machine; a viewer that still cannot join counts as starved.
      await openViewer(index).catch(() => openViewer(index).catch(() => failed++));
    }
  };
  await Promise.all(Array.from({ length: 25 }, worker));
}

/** Viewers leave and others join: `churnPerSecond` of the drained ones, every second. */
function churn(): void {
  if (churnPerSecond <= 0) return;
  setInterval(() => {
    for (let i = 0; i < churnPerSecond; i++) {
      const index = parsedViewers + Math.floor(Math.random() * Math.max(1, count - parsedViewers));
      if (index >= count) continue;
      viewers[index]?.close();
      left++;
      openViewer(index).catch(() => {});
    }
  }, 1000);
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]! : NaN;
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'start') {
    for (const viewer of viewers) viewer.frames = viewer.bytes = 0;
    latenciesUs = [];
    measuring = true;
  } else if (message.type === 'stop') {
    measuring = false;
    const sorted = latenciesUs.sort((a, b) => a - b);
    const live = viewers.filter((viewer) => !viewer.closed);
    process.send!({
      type: 'stats',
      frames: viewers.filter((viewer) => viewer.parsed).map((viewer) => viewer.frames),
      bytesPerViewer: live.map((viewer) => viewer.bytes),
      bytes: viewers.reduce((sum, viewer) => sum + viewer.bytes, 0),
      closed: (churnPerSecond > 0 ? 0 : viewers.filter((viewer) => viewer.closed).length) + failed,
      joined,
      left,
      latencyP50Ms: percentile(sorted, 50) / 1000,
      latencyP95Ms: percentile(sorted, 95) / 1000,
      cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    });
  } else if (message.type === 'exit') {
    process.exit(0);
  }
});

open().then(
  () => {
    churn();
    process.send!({ type: 'ready' });
  },
  (error: unknown) => {
    console.error(`load client: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
