/**
 * The benchmark's publisher (its own process): publishes a pre-encoded FLV clip over RTMP at
 * real-time pace, in a loop with continuing timestamps, stamping each video frame with a
 * latency marker at the moment it is sent. No encoder runs during the measurement.
 *
 * Usage (forked by origin.bench.ts): node bench/origin/publisher.ts CLIP.flv rtmp://HOST:PORT/live/KEY
 */
import { readFileSync } from 'node:fs';
import { FlvReader, FlvTagType, type FlvTag } from '../../common/media/flv.ts';
import { RtmpClient } from '../../net/rtmp/client.ts';
import { wallClockUs, withMarker } from './marker.ts';

const [clipPath, url] = process.argv.slice(2);
if (!clipPath || !url) throw new Error('usage: publisher.ts CLIP.flv RTMP_URL');

const tags: FlvTag[] = [];
new FlvReader((tag) => tags.push(tag)).feed(new Uint8Array(readFileSync(clipPath)));
const media = tags.filter((tag) => tag.type !== FlvTagType.script);
const lastVideo = media.filter((tag) => tag.type === FlvTagType.video).at(-1)!.timestamp;
const clipMs = lastVideo + 1000 / 30;
const { pathname } = new URL(url);
const key = pathname.split('/').slice(2).join('/');
const client = await RtmpClient.connect(url.slice(0, url.length - key.length - 1));
await client.publish(key);

const startMs = performance.now();
let loop = 0;
let index = 0;
let sent = 0;
process.send?.({ type: 'publishing' });

function pump(): void {
  const now = performance.now();
  for (;;) {
    const tag = media[index]!;
    const dueMs = loop * clipMs + tag.timestamp;
    if (startMs + dueMs > now) {
      setTimeout(pump, Math.max(1, Math.min(20, startMs + dueMs - now)));
      return;
    }
    // Sequence headers go out once; later loops send frames only.
    const isConfig = tag.type !== FlvTagType.script && tag.payload[1] === 0;
    if (loop === 0 || !isConfig) {
      const timestamp = Math.round(dueMs);
      if (tag.type === FlvTagType.video && tag.payload[1] === 1)
        client.sendMedia('video', timestamp, withMarker(tag.payload, wallClockUs()));
      else client.sendMedia(tag.type === FlvTagType.audio ? 'audio' : 'video', timestamp, tag.payload);
      sent++;
    }
    index++;
    if (index === media.length) {
      index = 0;
      loop++;
    }
  }
}
pump();
let stopping = false;
process.on('message', (message: { type: string }) => {
  if (message.type === 'stop') {
    stopping = true;
    void client.close().then(() => process.exit(0));
  }
});
void client.closed.then(() => {
  if (stopping) return;
  console.error(`publisher: the server closed the connection after ${sent} messages`);
  process.exit(1);
});
