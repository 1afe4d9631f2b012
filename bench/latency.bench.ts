/**
 * `npm run bench:latency`: how far behind the publisher a browser viewer plays, for Tally's
 * LL-HLS, Tally's plain HLS (`--no-ll-hls`) and nginx-rtmp's HLS (1 s fragments, its shortest
 * sensible with a 1 s GOP), measured the same way in the same run.
 *
 * One source for all: a pre-encoded 640x360 clip (1 s GOP) published from Node at real-time
 * pace (`origin/publisher.ts`), which stamps every video frame with its wall-clock send time in
 * an SEI NAL unit (`origin/marker.ts`). hls.js in Chromium (same config for every server:
 * the player page's, from server/protocols/http/player/live-edge.js: `lowLatencyMode`,
 * `maxLiveSyncPlaybackRate: 1.5` and a jump to hls.js's live sync position when playback is
 * behind by more than it catches up; BENCH_HLS_CONFIG adds settings) hands those SEI messages over with their
 * presentation times (FRAG_PARSING_USERDATA); every 500 ms the page takes the frame at
 * `video.currentTime` and its send time: latency = now - sent time of the frame on screen.
 * That needs no EXT-X-PROGRAM-DATE-TIME (nginx-rtmp writes none); for Tally the page also
 * records hls.js's own `latency` (from PROGRAM-DATE-TIME) as a cross-check. Also: the time
 * from a viewer's click (a new page creating the player) to the first frame playing, and the
 * stalls (`waiting` events) while sampling.
 *
 * Target (issue 10): Tally LL-HLS p50 <= 1.5 s and p95 <= 2 s on loopback.
 *
 * Environment: BENCH_SECONDS (sampling window per server, default 60), BENCH_WARMUP_SECONDS
 * (playing before sampling starts, default 5), BENCH_JOINS (click-to-first-frame tries per
 * server, default 3), BENCH_SERVERS (default tally-ll,tally-plain,nginx-rtmp), BENCH_HLS_CONFIG
 * (JSON merged into every player's hls.js config).
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/e2e/support/browser.ts';
import { ensureClip, nextMessage } from './origin/clip.ts';
import { nginxAvailable, startServer, type HlsMode, type ServerKind } from './origin/servers.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP_S = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const JOINS = Number(process.env.BENCH_JOINS ?? 3);
/** More hls.js settings for every server (JSON), e.g. `{"maxLiveSyncPlaybackRate":1.5}`. */
const HLS_CONFIG = JSON.parse(process.env.BENCH_HLS_CONFIG ?? '{}') as Record<string, unknown>;
const SETUPS: Record<string, { kind: ServerKind; hls: HlsMode; label: string }> = {
  'tally-ll': { kind: 'tally', hls: 'll', label: 'Tally LL-HLS' },
  'tally-plain': { kind: 'tally', hls: 'plain', label: 'Tally plain HLS' },
  'nginx-rtmp': { kind: 'nginx-rtmp', hls: 'plain', label: 'nginx-rtmp HLS (1 s fragments)' },
};
let setups = (process.env.BENCH_SERVERS ?? 'tally-ll,tally-plain,nginx-rtmp').split(',');
if (setups.includes('nginx-rtmp') && !nginxAvailable()) {
  console.log('nginx with libnginx-mod-rtmp is not installed (apt install nginx libnginx-mod-rtmp): measuring without it');
  setups = setups.filter((name) => name !== 'nginx-rtmp');
}
const HLS_JS = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');
/** The player page's hls.js config and live-edge jump, so the bench plays as a viewer's page does. */
const LIVE_EDGE_JS = join(import.meta.dirname, '..', 'server', 'protocols', 'http', 'player', 'live-edge.js');
/** The marker's UUID ('TallyBenchMark01') as hls.js writes it. */
const MARKER_UUID = '54616c6c-7942-656e-6368-4d61726b3031';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface PageState {
  samples: number[];
  pdtSamples: number[];
  targetLatencyS: number | null;
  /** `waiting` events after the first frame and before sampling, and while sampling. */
  stallsBefore: number;
  stalls: number;
  /** Seeks to hls.js's live sync position by the player's `followLiveEdge`, from the first frame on. */
  jumps: number;
  firstFrameMs: number | null;
  error: string | null;
}

/** Opens a page playing `url` (`origin/latency-page.js`); it samples latency every 500 ms once asked. */
async function openPlayer(browser: Browser, url: string) {
  const page = await browser.newPage();
  await page.addScriptTag({ path: HLS_JS });
  await page.addScriptTag({ path: LIVE_EDGE_JS });
  await page.addScriptTag({ path: join(import.meta.dirname, 'origin', 'latency-page.js') });
  // Strings, so this Node script needs no DOM types.
  await page.evaluate(`startBench(${JSON.stringify(url)}, ${JSON.stringify(MARKER_UUID)}, ${JSON.stringify(HLS_CONFIG)})`);
  const state = () => page.evaluate<PageState>('bench');
  const startSampling = () => page.evaluate('bench.sampling = true');
  return { page, state, startSampling };
}

async function waitFirstFrame(state: () => Promise<PageState>, timeoutMs: number): Promise<PageState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await state();
    if (now.error) throw new Error(`hls.js: ${now.error}`);
    if (now.firstFrameMs !== null) return now;
    if (Date.now() > deadline) throw new Error(`no frame played within ${timeoutMs} ms`);
    await sleep(100);
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};
const median = (values: number[]) => percentile(values, 50);

interface Result {
  label: string;
  p50Ms: number;
  p95Ms: number;
  samples: number;
  pdtP50Ms: number;
  targetLatencyS: number | null;
  stallsBefore: number;
  stalls: number;
  jumps: number;
  firstFrameMs: number;
}

async function measure(browser: Browser, name: string, clip: string): Promise<Result> {
  const setup = SETUPS[name];
  if (!setup) throw new Error(`unknown server ${name} (known: ${Object.keys(SETUPS).join(', ')})`);
  const server = await startServer(setup.kind, setup.hls);
  const publisher = fork(join(import.meta.dirname, 'origin', 'publisher.ts'), [clip, server.publishUrl], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    await nextMessage(publisher, 'publishing', 15_000);
    const url = server.playUrls.hls!;
    // Live once the playlist answers with a segment (nginx writes its first one after a fragment).
    for (const deadline = Date.now() + 30_000; ; await sleep(200)) {
      const response = await fetch(url).catch(() => undefined);
      if (response?.ok && /#EXTINF/.test(await response.text())) break;
      if (Date.now() > deadline) throw new Error(`${url} has no segment after 30 s`);
    }
    await sleep(2000); // a few segments, as a viewer joining a running stream finds
    const joins: number[] = [];
    for (let i = 0; i < JOINS; i++) {
      const viewer = await openPlayer(browser, url);
      joins.push((await waitFirstFrame(viewer.state, 30_000)).firstFrameMs!);
      await viewer.page.close();
    }
    const viewer = await openPlayer(browser, url);
    await waitFirstFrame(viewer.state, 30_000);
    await sleep(WARMUP_S * 1000);
    await viewer.startSampling();
    process.stdout.write(`  ${setup.label}: sampling ${SECONDS} s`);
    await sleep(SECONDS * 1000);
    const state = await viewer.state();
    process.stdout.write(` (${state.samples.length} samples)\n`);
    if (state.error) throw new Error(`hls.js: ${state.error}`);
    if (state.samples.length < SECONDS)
      throw new Error(`only ${state.samples.length} latency samples: the SEI markers did not reach the page`);
    await viewer.page.close();
    return {
      label: setup.label,
      p50Ms: percentile(state.samples, 50),
      p95Ms: percentile(state.samples, 95),
      samples: state.samples.length,
      pdtP50Ms: percentile(state.pdtSamples, 50),
      targetLatencyS: state.targetLatencyS,
      stallsBefore: state.stallsBefore,
      stalls: state.stalls,
      jumps: state.jumps,
      firstFrameMs: median(joins),
    };
  } finally {
    if (publisher.exitCode === null) publisher.kill('SIGKILL');
    await server.stop();
  }
}

const clip = ensureClip({ width: 640, height: 360, videoKbps: 800, gopFrames: 30 });
const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
const results: Result[] = [];
try {
  console.log(`latency: ${setups.join(', ')}; ${SECONDS} s each after ${WARMUP_S} s of play, ${JOINS} joins each`);
  for (const name of setups) results.push(await measure(browser, name, clip));
} finally {
  await browser.close();
}

const peer = results.find((result) => result.label.startsWith('nginx'));
const seconds = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : 'n/a');
const ratio = (value: number, of: number | undefined) => (of ? (value / of).toFixed(2) : 'n/a');
console.table(
  results.map((result) => ({
    server: result.label,
    'p50 s': seconds(result.p50Ms),
    'p95 s': seconds(result.p95Ms),
    samples: result.samples,
    'hls.js latency p50 s (PDT)': seconds(result.pdtP50Ms),
    'hls.js target s': result.targetLatencyS?.toFixed(2) ?? 'n/a',
    'stalls (warm-up · sampling)': `${result.stallsBefore} · ${result.stalls}`,
    'jumps to live': result.jumps,
    'click to first frame s (median)': seconds(result.firstFrameMs),
    'p50 / nginx-rtmp': ratio(result.p50Ms, peer?.p50Ms),
    'p95 / nginx-rtmp': ratio(result.p95Ms, peer?.p95Ms),
    'first frame / nginx-rtmp': ratio(result.firstFrameMs, peer?.firstFrameMs),
  })),
);
const ll = results.find((result) => result.label === SETUPS['tally-ll']!.label);
if (ll)
  console.log(
    `target (issue 10): Tally LL-HLS p50 <= 1.5 s and p95 <= 2 s: ${ll.p50Ms <= 1500 && ll.p95Ms <= 2000 ? 'met' : 'missed'} (${seconds(ll.p50Ms)} s, ${seconds(ll.p95Ms)} s)`,
  );
