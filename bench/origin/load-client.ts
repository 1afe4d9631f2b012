/**
 * The benchmark's load client (one Node process): N viewers of one stream over RTMP play or
 * HTTP-FLV, each counting bytes and video frames and reading the latency marker of every
 * frame. The parent opens and closes the measurement window over IPC and gets a summary.
 *
 * Usage (forked by origin.bench.ts): node bench/origin/load-client.ts rtmp|flv URL COUNT
 */
import { request } from 'node:http';
import { FlvReader, FlvTagType } from '../../common/media/flv.ts';
import { RtmpClient } from '../../net/rtmp/client.ts';
import { readMarker, wallClockUs } from './marker.ts';

const [protocol, url, countText] = process.argv.slice(2);
const count = Number(countText);
if ((protocol !== 'rtmp' && protocol !== 'flv') || !url || !(count > 0)) throw new Error('usage: load-client.ts rtmp|flv URL COUNT');

interface Viewer {
  frames: number;
  bytes: number;
  closed: boolean;
}

const viewers: Viewer[] = [];
let measuring = false;
let latenciesUs: number[] = [];

function onVideo(viewer: Viewer, payload: Uint8Array): void {
  if (payload[1] !== 1) return; // sequence headers are not frames
  if (!measuring) return;
  viewer.frames++;
  const sentUs = readMarker(payload);
  if (sentUs !== null) latenciesUs.push(wallClockUs() - sentUs);
}

async function rtmpViewer(viewer: Viewer): Promise<void> {
  const { pathname } = new URL(url!);
  const name = pathname.split('/').slice(2).join('/');
  const client = await RtmpClient.connect(url!.slice(0, url!.length - name.length - 1));
  client.onMedia = (message) => {
    if (measuring) viewer.bytes += message.payload.length;
    if (message.typeId === 9) onVideo(viewer, message.payload);
  };
  void client.closed.then(() => (viewer.closed = true));
  await client.play(name);
}

async function flvViewer(viewer: Viewer): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const req = request(url!, { agent: false }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`HTTP ${response.statusCode}`));
      const reader = new FlvReader((tag) => {
        if (tag.type === FlvTagType.video) onVideo(viewer, tag.payload);
      });
      response.on('data', (chunk: Buffer) => {
        if (measuring) viewer.bytes += chunk.length;
        reader.feed(chunk);
      });
      response.on('close', () => (viewer.closed = true));
      resolve();
    });
    req.on('error', reject);
    req.end();
  });
}

async function open(): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const viewer: Viewer = { frames: 0, bytes: 0, closed: false };
      viewers[next++] = viewer;
      await (protocol === 'rtmp' ? rtmpViewer(viewer) : flvViewer(viewer));
    }
  };
  await Promise.all(Array.from({ length: 25 }, worker));
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
    process.send!({
      type: 'stats',
      frames: viewers.map((viewer) => viewer.frames),
      bytes: viewers.reduce((sum, viewer) => sum + viewer.bytes, 0),
      closed: viewers.filter((viewer) => viewer.closed).length,
      latencyP50Ms: percentile(sorted, 50) / 1000,
      latencyP95Ms: percentile(sorted, 95) / 1000,
      cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    });
  } else if (message.type === 'exit') {
    process.exit(0);
  }
});

open().then(
  () => process.send!({ type: 'ready' }),
  (error: unknown) => {
    console.error(`load client: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
