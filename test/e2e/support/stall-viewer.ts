/**
 * A viewer that counts stalls, run as a process (inside a network namespace):
 * `node stall-viewer.ts rtmp://HOST/live/NAME SECONDS`. It plays over RTMP and models a
 * player with a one-second buffer: playback starts once a second of media has arrived,
 * advances with the wall clock, and stalls (rebuffering a second again) whenever it catches
 * up with the newest media received. Prints one JSON line of figures at the end.
 */
import { RtmpClient } from '../../../net/rtmp/client.ts';

const [url, secondsText] = process.argv.slice(2);
if (!url || !secondsText) throw new Error('usage: stall-viewer.ts RTMP_URL SECONDS');
const seconds = Number(secondsText);
const BUFFER_MS = 1000;
const parsed = new URL(url);
const [app = '', name = ''] = parsed.pathname.replace(/^\//, '').split('/');
const startedAt = performance.now();

/** The player: buffering until a second is ahead of `positionMs`, then playing from there. */
const player = {
  started: false,
  buffering: true,
  positionMs: 0,
  newestMs: -1,
  playWall: 0,
  stallStart: 0,
  stalls: 0,
  stalledMs: 0,
};
const received: { atMs: number; bytes: number }[] = [];
let firstMs: number | null = null;
let videoFrames = 0;

function onMedia(timestampMs: number, now: number): void {
  if (firstMs === null) {
    firstMs = timestampMs;
    player.positionMs = timestampMs;
  }
  player.newestMs = Math.max(player.newestMs, timestampMs);
  if (player.buffering && player.newestMs - player.positionMs >= BUFFER_MS) {
    if (player.started) player.stalledMs += now - player.stallStart;
    player.started = true;
    player.buffering = false;
    player.playWall = now;
  }
}

function checkStall(now: number): void {
  if (player.buffering) return;
  const position = player.positionMs + (now - player.playWall);
  if (position <= player.newestMs) return;
  player.stalls++;
  player.buffering = true;
  player.positionMs = player.newestMs;
  player.stallStart = now;
}

async function connectWithRetry(): Promise<RtmpClient> {
  for (;;) {
    try {
      return await RtmpClient.connect(`rtmp://${parsed.host}/${app}`);
    } catch (error) {
      if (performance.now() - startedAt > 15_000) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

const client = await connectWithRetry();
client.onMedia = (message) => {
  const now = performance.now();
  received.push({ atMs: now - startedAt, bytes: message.payload.length });
  if (message.typeId === 9) videoFrames++;
  if (message.typeId === 8 || message.typeId === 9) onMedia(message.timestamp, now);
};
await client.play(name);
const tick = setInterval(() => checkStall(performance.now()), 20);
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
clearInterval(tick);
client.destroy();
const endMs = performance.now() - startedAt;
if (player.started && player.buffering) player.stalledMs += performance.now() - player.stallStart;
const lastHalf = received.filter((entry) => entry.atMs >= endMs / 2);
process.stdout.write(
  `${JSON.stringify({
    stalls: player.stalls,
    stalledMs: Math.round(player.stalledMs),
    startedPlaying: player.started,
    videoFrames,
    mediaSeconds: firstMs === null ? 0 : (player.newestMs - firstMs) / 1000,
    wallSeconds: endMs / 1000,
    receivedKbpsLastHalf: Math.round((lastHalf.reduce((sum, entry) => sum + entry.bytes, 0) * 8) / (endMs / 2)),
  })}\n`,
);
process.exit(0);
