/**
 * The benchmark's load client (one Node process): N viewers of one stream over RTMP play or
 * HTTP-FLV. The first few (`BENCH_PARSED_VIEWERS`, default 25) parse everything they get:
 * they count video frames and read the latency marker of every frame. The rest only drain
 * their sockets and count bytes (acknowledging RTMP windows as a player does; RTMP ones read
 * into one shared buffer, so draining allocates nothing), so the load client stays light
 * enough for 500 viewers beside the servers on a small machine, and what is measured is the
 * server. With a churn rate, viewers leave and new ones join every second (the soak). The
 * parent opens and closes the measurement window over IPC and gets a summary.
 *
 * Joining: `BENCH_JOIN_CONCURRENCY` (default 50) viewers join at a time; a viewer has joined
 * when its first media arrives, not when its socket connects. A refused, reset or silent try
 * (no media within `BENCH_JOIN_TRY_SECONDS`, default 30) is closed and retried after a short
 * backoff until `BENCH_JOIN_SECONDS` (default 180) have passed since the start; then the
 * client reports `ready` with how many joined and how many could not, and the parent measures
 * whoever is there (and says so).
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
const joinConcurrency = Number(process.env.BENCH_JOIN_CONCURRENCY ?? 50);
const joinTryMs = 1000 * Number(process.env.BENCH_JOIN_TRY_SECONDS ?? 30);
const joinDeadline = Date.now() + 1000 * Number(process.env.BENCH_JOIN_SECONDS ?? 180);
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

/** Rejects after `joinTryMs` unless `joined` settles first; `giveUp` closes the try. */
function withinJoinTry(joined: Promise<void>, giveUp: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      giveUp();
      reject(new Error(`no media within ${joinTryMs / 1000} s`));
    }, joinTryMs);
  });
  return Promise.race([joined, timeout]).finally(() => clearTimeout(timer));
}

async function parsedRtmpViewer(viewer: Viewer): Promise<void> {
  let firstMedia!: () => void;
  const media = new Promise<void>((resolve) => (firstMedia = resolve));
  const client = await RtmpClient.connect(
    `rtmp://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}/${target.app}`,
    { timeoutMs: joinTryMs },
  );
  viewer.close = () => client.destroy();
  client.onMedia = (message) => {
    firstMedia();
    if (measuring) viewer.bytes += message.payload.length;
    if (message.typeId === 9) onVideo(viewer, message.payload);
  };
  void client.closed.then(() => (viewer.closed = true));
  await withinJoinTry(
    client.play(target.stream).then(() => media),
    () => client.destroy(),
  );
}

/** Where every drained RTMP viewer's socket reads into (reads are handled one at a time). */
const drainBuffer = Buffer.alloc(256 * 1024);

/** An RTMP player that asks for the stream and then only counts and acknowledges bytes: no parsing. */
function drainedRtmpViewer(viewer: Viewer): Promise<void> {
  let socket: Socket | undefined;
  const joined = new Promise<void>((resolve, reject) => {
    const handshake = new RtmpClientHandshake(nodeHandshakeCrypto);
    let handshaking = true;
    let received = 0;
    let acknowledged = 0;
    const onBytes = (length: number, bytes: Buffer): boolean => {
      if (handshaking) {
        const step = handshake.feed(Buffer.from(bytes.subarray(0, length)));
        if (step.reply) socket!.write(step.reply);
        if (!step.done) return true;
        handshaking = false;
        // The usual player sequence, pipelined: the first stream a connection creates is 1 on every server.
        const send = (message: Parameters<typeof serializeRtmpMessage>[0]) => socket!.write(serializeRtmpMessage(message, 128));
        send(commandMessage(0, 'connect', 1, amfObject({ app: target.app, tcUrl: target.tcUrl })));
        send(commandMessage(0, 'createStream', 2, null));
        send(commandMessage(1, 'play', 0, null, target.stream, -2));
        return true;
      }
      received += length;
      if (measuring) viewer.bytes += length;
      // Acknowledge each window (the servers ask for 2.5 MB or more), as players do.
      if (received - acknowledged >= 1_000_000) {
        acknowledged = received;
        socket!.write(serializeRtmpMessage(acknowledgementMessage(received % 0x1_0000_0000), 128));
      }
      // Past the command answers (well under 20 kB): media flows.
      if (received > 20_000) resolve();
      return true;
    };
    socket = connect({ host: target.host, port: target.port, noDelay: true, onread: { buffer: drainBuffer, callback: onBytes } });
    viewer.close = () => socket!.destroy();
    socket.once('connect', () => socket!.write(handshake.hello));
    socket.on('error', reject);
    socket.on('close', () => {
      viewer.closed = true;
      reject(new Error('closed before media'));
    });
  });
  return withinJoinTry(joined, () => socket?.destroy());
}

async function flvViewer(viewer: Viewer): Promise<void> {
  let giveUp = () => {};
  const joined = new Promise<void>((resolve, reject) => {
    const req = request(url!, { agent: false }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`HTTP ${response.statusCode}`));
      const reader = viewer.parsed
        ? new FlvReader((tag) => {
            if (tag.type === FlvTagType.video) onVideo(viewer, tag.payload);
          })
        : null;
      response.on('data', (chunk: Buffer) => {
        // The FLV header and the first tags: media flows.
        resolve();
        if (measuring) viewer.bytes += chunk.length;
        reader?.feed(chunk);
      });
      response.on('close', () => {
        viewer.closed = true;
        reject(new Error('closed before media'));
      });
    });
    viewer.close = giveUp = () => req.destroy();
    req.on('error', reject);
    req.end();
  });
  await withinJoinTry(joined, () => giveUp());
}

/** One try at joining as viewer `index`: resolves on its first media. */
async function openViewer(index: number): Promise<void> {
  const viewer: Viewer = { parsed: index < parsedViewers, frames: 0, bytes: 0, closed: false, close() {} };
  viewers[index] = viewer;
  try {
    if (protocol === 'flv') await flvViewer(viewer);
    else await (viewer.parsed ? parsedRtmpViewer(viewer) : drainedRtmpViewer(viewer));
  } catch (error) {
    viewer.close();
    viewer.closed = true;
    throw error;
  }
  joined++;
}

let failed = 0;
let retries = 0;
const failures = new Map<string, number>();

/** Joins viewer `index`, trying again (after 0.25 s, 0.5 s, ... up to 2 s) until the join deadline. */
async function joinViewer(index: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openViewer(index);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      failures.set(reason, (failures.get(reason) ?? 0) + 1);
      if (Date.now() >= joinDeadline) {
        failed++;
        return;
      }
      retries++;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 250 * attempt)));
    }
  }
}

async function open(): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await joinViewer(next++);
  };
  await Promise.all(Array.from({ length: Math.min(joinConcurrency, count) }, worker));
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
      receiving: live.filter((viewer) => viewer.bytes > 0).length,
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
    process.send!({ type: 'ready', joined, failed, retries, failures: Object.fromEntries(failures) });
  },
  (error: unknown) => {
    console.error(`load client: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
