/**
 * `npm run bench:origin`: Tally Origin beside node-media-server v4 and nginx with
 * libnginx-mod-rtmp, in the same run, each its own process measured from /proc. Tally runs
 * as a venue runs it: built (`dist/origin/cli.js`, the package's bin), HLS off like its peers.
 *
 * Phases (`BENCH_PHASES`, default `idle,load,soak`):
 * - idle: RSS of each server with nothing connected (and Tally from its TypeScript sources, to
 *   show what the build saves).
 * - load: one publisher at 720p30 (~2.5 Mbps, a pre-encoded clip published from Node at
 *   real-time pace, so no encoder runs during the measurement) and N viewers (50, 200, 500)
 *   over RTMP play and HTTP-FLV: CPU-seconds per viewer-minute, in total (the server's CPU
 *   over the window divided by viewer-minutes) and marginal (minus the CPU of a window with
 *   the publisher alone, measured first on the same server, so what is divided is only what
 *   the viewers cost), RSS, how many viewers joined and received media during the window,
 *   frames per viewer against what was published, the latency the server adds (an SEI
 *   marker with the send time in every frame, read by the parsed viewers). A run with
 *   viewers that could not join or starved says so and quotes no ratio. Each server runs
 *   `BENCH_WARMUP_SECONDS` (default 30) with the publisher before the publisher-only window and
 *   as long again with its viewers before the load window: a venue's origin runs for hours,
 *   and a Node server's hot paths are only optimised after some seconds of traffic.
 * - soak: every server at once, `BENCH_SOAK_VIEWERS` viewers (default 100) of which
 *   `BENCH_SOAK_CHURN` leave and are replaced every second (default 2), for
 *   `BENCH_SOAK_SECONDS` (default 600): RSS every 10 s after a minute's warm-up, its growth
 *   and its slope.
 *
 * Targets (issue 9): Tally's idle RSS <= 70 MiB, RSS at 500 RTMP viewers <= 120 MiB, CPU per
 * viewer at or below nginx-rtmp's at 50, 200 and 500 RTMP viewers, RSS flat over the soak.
 *
 * Environment: BENCH_SECONDS (load window, default 15), BENCH_BASE_SECONDS (the publisher-only
 * window, default 10; 0 skips it and the marginal figure), BENCH_WARMUP_SECONDS (30), BENCH_REPEATS (rounds of the load
 * phase, servers interleaved; figures are medians, default 1), BENCH_VIEWERS (default 50,200,500),
 * BENCH_SERVERS (default tally,node-media-server,nginx-rtmp), BENCH_PROTOCOLS (default
 * rtmp,flv), BENCH_PARSED_VIEWERS (default 25), BENCH_JOIN_CONCURRENCY (50),
 * BENCH_JOIN_SECONDS (180) and BENCH_JOIN_TRY_SECONDS (30) for the load client's joins
 * (origin/load-client.ts), and the soak's above.
 */
import { execSync, fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ensureClip, nextMessage } from './origin/clip.ts';
import { cpuSeconds, memoryMiB, nginxAvailable, startServer, type RunningServer, type ServerKind } from './origin/servers.ts';

const WINDOW_S = Number(process.env.BENCH_SECONDS ?? 15);
const BASE_WINDOW_S = Number(process.env.BENCH_BASE_SECONDS ?? 10);
/** Seconds each server runs before a window (with the publisher, then again with its viewers). */
const WARMUP_S = Number(process.env.BENCH_WARMUP_SECONDS ?? 30);
const JOIN_S = Number(process.env.BENCH_JOIN_SECONDS ?? 180);
const PHASES = (process.env.BENCH_PHASES ?? 'idle,load,soak').split(',');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 1);
const SOAK_S = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const SOAK_VIEWERS = Number(process.env.BENCH_SOAK_VIEWERS ?? 100);
const SOAK_CHURN = Number(process.env.BENCH_SOAK_CHURN ?? 2);
const SOAK_WARMUP_S = Math.min(60, SOAK_S / 4);
const COUNTS = (process.env.BENCH_VIEWERS ?? '50,200,500').split(',').map(Number);
const PROTOCOLS = (process.env.BENCH_PROTOCOLS ?? 'rtmp,flv').split(',') as ('rtmp' | 'flv')[];
const FPS = 30;
const TICKS = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
let servers = (process.env.BENCH_SERVERS ?? 'tally,node-media-server,nginx-rtmp').split(',') as ServerKind[];
if (servers.includes('nginx-rtmp') && !nginxAvailable()) {
  console.log('nginx with libnginx-mod-rtmp is not installed (apt install nginx libnginx-mod-rtmp): measuring without it');
  servers = servers.filter((kind) => kind !== 'nginx-rtmp');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LoadStats {
  type: 'stats';
  /** Viewers still connected that got media during the window. */
  receiving: number;
  /** Video frames of each parsed viewer. */
  frames: number[];
  /** Bytes of each viewer still connected. */
  bytesPerViewer: number[];
  bytes: number;
  closed: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  cpuSeconds: number;
}

interface Result {
  server: ServerKind;
  protocol: 'rtmp' | 'flv';
  viewers: number;
  /** Viewers that joined (got media) before the window. */
  joined: number;
  /** Viewers still connected that got media during the window. */
  receiving: number;
  cpuPerViewerMinute: number;
  /** (CPU with the viewers − CPU with the publisher alone) per viewer-minute; NaN without a base window. */
  marginalCpuPerViewerMinute: number;
  cpuPercent: number;
  /** The server's CPU with the publisher alone, % of a core. */
  baseCpuPercent: number;
  rssMiB: number;
  peakMiB: number;
  framesMin: number;
  framesMedian: number;
  starved: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  mbpsOut: number;
  loadClientCpuPercent: number;
}

/**
 * Starts `kind` with the clip publishing to it and a keyframe cached, runs `body`, then stops
 * the server and every child `body` registered in `children`.
 */
async function withPublishedServer<T>(
  kind: ServerKind,
  clip: string,
  body: (server: RunningServer, publisher: ChildProcess, children: ChildProcess[]) => Promise<T>,
): Promise<T> {
  const server = await startServer(kind);
  const children: ChildProcess[] = [];
  try {
    const publisher = fork(join(import.meta.dirname, 'origin', 'publisher.ts'), [clip, server.publishUrl], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(publisher);
    await nextMessage(publisher, 'publishing', 15_000);
    // A keyframe is cached and the stream is live everywhere; the server has settled (a JIT warms up).
    await sleep(Math.max(2500, WARMUP_S * 1000));
    return await body(server, publisher, children);
  } finally {
    await sleep(200);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await server.stop();
  }
}

/** The server's CPU over `seconds`, in % of a core. */
async function cpuPercentOver(pid: number, seconds: number): Promise<number> {
  const start = cpuSeconds(pid, TICKS);
  const started = performance.now();
  await sleep(seconds * 1000);
  return (100 * (cpuSeconds(pid, TICKS) - start)) / ((performance.now() - started) / 1000);
}

interface Ready {
  type: 'ready';
  joined: number;
  failed: number;
  retries: number;
  failures: Record<string, number>;
}

function measure(kind: ServerKind, protocol: 'rtmp' | 'flv', viewers: number, clip: string): Promise<Result> {
  return withPublishedServer(kind, clip, async (server, publisher, children) => {
    // What the server spends on the publisher alone (ingest, GOP cache): subtracted for the marginal figure.
    const baseCpuPercent = BASE_WINDOW_S > 0 ? await cpuPercentOver(server.pid, BASE_WINDOW_S) : NaN;
    const url = protocol === 'rtmp' ? server.playUrls.rtmp : server.playUrls.flv!;
    const load = fork(join(import.meta.dirname, 'origin', 'load-client.ts'), [protocol, url, String(viewers)], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { ...process.env, BENCH_JOIN_SECONDS: String(JOIN_S) },
    });
    children.push(load);
    const joinStarted = performance.now();
    const ready = await nextMessage<Ready>(load, 'ready', (JOIN_S + 60) * 1000);
    const joinSeconds = (performance.now() - joinStarted) / 1000;
    if (ready.failed > 0 || ready.retries > 0)
      console.log(
        `  ${kind} ${protocol} ${viewers}: ${ready.joined} joined in ${joinSeconds.toFixed(0)} s, ${ready.failed} could not, ${ready.retries} retried (${Object.entries(
          ready.failures,
        )
          .map(([reason, n]) => `${reason} x${n}`)
          .join(', ')})`,
      );
    await sleep(Math.max(3000, WARMUP_S * 1000)); // joins settle; the write path is warm
    const cpuStart = cpuSeconds(server.pid, TICKS);
    const started = performance.now();
    load.send({ type: 'start' });
    const loadCpuStart = (
      await (async () => {
        const stats = nextMessage<LoadStats>(load, 'stats', 10_000);
        load.send({ type: 'stop' });
        return stats;
      })()
    ).cpuSeconds;
    load.send({ type: 'start' });
    await sleep(WINDOW_S * 1000);
    const cpuEnd = cpuSeconds(server.pid, TICKS);
    const stats = nextMessage<LoadStats>(load, 'stats', 10_000);
    load.send({ type: 'stop' });
    const result = await stats;
    const seconds = (performance.now() - started) / 1000;
    const memory = memoryMiB(server.pid);
    const expected = FPS * seconds;
    const ratios = result.frames.map((frames) => frames / expected).sort((a, b) => a - b);
    // Viewers that only count bytes are starved when they got under 90% of what the median viewer got.
    const medianBytes = [...result.bytesPerViewer].sort((a, b) => a - b)[Math.floor(result.bytesPerViewer.length / 2)] ?? 0;
    const starvedDrained = result.bytesPerViewer.filter((bytes) => bytes < 0.9 * medianBytes).length;
    const cpu = cpuEnd - cpuStart;
    load.send({ type: 'exit' });
    publisher.send({ type: 'stop' });
    return {
      server: kind,
      protocol,
      viewers,
      joined: ready.joined,
      receiving: result.receiving,
      cpuPerViewerMinute: cpu / (viewers * (seconds / 60)),
      marginalCpuPerViewerMinute: (cpu - (baseCpuPercent / 100) * seconds) / (viewers * (seconds / 60)),
      cpuPercent: (100 * cpu) / seconds,
      baseCpuPercent,
      rssMiB: memory.rss,
      peakMiB: memory.peak,
      framesMin: ratios[0] ?? 0,
      framesMedian: ratios[Math.floor(ratios.length / 2)] ?? 0,
      starved: Math.max(ratios.filter((ratio) => ratio < 0.9).length, starvedDrained) + result.closed,
      latencyP50Ms: result.latencyP50Ms,
      latencyP95Ms: result.latencyP95Ms,
      mbpsOut: (result.bytes * 8) / seconds / 1e6,
      loadClientCpuPercent: (100 * (result.cpuSeconds - loadCpuStart)) / seconds,
    };
  });
}

/** RSS of a server with nothing connected: the median of three samples after it has settled. */
async function idleRss(kind: ServerKind): Promise<number> {
  const server = await startServer(kind);
  try {
    await sleep(5000);
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      samples.push(memoryMiB(server.pid).rss);
      await sleep(1000);
    }
    return samples.sort((a, b) => a - b)[1]!;
  } finally {
    await server.stop();
  }
}

interface SoakResult {
  server: ServerKind;
  samples: { atS: number; rssMiB: number }[];
  startMiB: number;
  endMiB: number;
  maxMiB: number;
  slopeMiBPerMin: number;
  joined: number;
  left: number;
}

/** One server under churn for `SOAK_S` seconds: RSS every 10 s once warm. */
function soak(kind: ServerKind, clip: string): Promise<SoakResult> {
  return withPublishedServer(kind, clip, async (server, publisher, children) => {
    const load = fork(
      join(import.meta.dirname, 'origin', 'load-client.ts'),
      ['rtmp', server.playUrls.rtmp, String(SOAK_VIEWERS), String(SOAK_CHURN)],
      {
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        env: { ...process.env, BENCH_PARSED_VIEWERS: '5', BENCH_JOIN_SECONDS: String(JOIN_S) },
      },
    );
    children.push(load);
    await nextMessage(load, 'ready', (JOIN_S + 60) * 1000);
    load.send({ type: 'start' });
    const started = performance.now();
    const samples: { atS: number; rssMiB: number }[] = [];
    for (;;) {
      await sleep(10_000);
      const atS = (performance.now() - started) / 1000;
      if (atS >= SOAK_WARMUP_S) samples.push({ atS, rssMiB: memoryMiB(server.pid).rss });
      if (atS >= SOAK_S) break;
    }
    const stats = nextMessage<LoadStats & { joined: number; left: number }>(load, 'stats', 10_000);
    load.send({ type: 'stop' });
    const { joined, left } = await stats;
    load.send({ type: 'exit' });
    publisher.send({ type: 'stop' });
    const rss = samples.map((sample) => sample.rssMiB);
    return {
      server: kind,
      samples,
      startMiB: rss[0] ?? NaN,
      endMiB: rss.at(-1) ?? NaN,
      maxMiB: Math.max(...rss),
      slopeMiBPerMin: slope(samples.map((sample) => [sample.atS / 60, sample.rssMiB])),
      joined,
      left,
    };
  });
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const num = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const den = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return num / den;
}

// 1280x720, 30 fps, H.264 at 2.4 Mbps (keyframe every 2 s).
const clip = ensureClip({ width: 1280, height: 720, videoKbps: 2400, gopFrames: 60 });
console.log(`origin benchmark: phases ${PHASES.join(', ')}; servers ${servers.join(', ')}`);
const verdicts: string[] = [];
const ratio = (value: number, of: number) => (Number.isFinite(value / of) ? (value / of).toFixed(2) : 'n/a');

if (PHASES.includes('idle')) {
  const kinds: ServerKind[] = servers.includes('tally') ? ['tally', 'tally-ts', ...servers.filter((kind) => kind !== 'tally')] : servers;
  const idle = new Map<ServerKind, number>();
  for (const kind of kinds) idle.set(kind, await idleRss(kind));
  console.log('\n| server | idle RSS MiB | Tally (built) / this |');
  console.log('|---|---:|---:|');
  for (const [kind, rss] of idle) console.log(`| ${kind} | ${rss.toFixed(1)} | ${ratio(idle.get('tally') ?? NaN, rss)} |`);
  const tally = idle.get('tally');
  if (tally !== undefined) verdicts.push(`idle RSS ${tally.toFixed(1)} MiB (target <= 70 MiB): ${tally <= 70 ? 'met' : 'NOT met'}`);
}

const results: Result[] = [];
if (PHASES.includes('load')) {
  console.log(
    `\nload: ${WINDOW_S} s windows; viewers ${COUNTS.join(', ')}; ${PROTOCOLS.join(' and ')}; ${REPEATS} round(s), servers interleaved (one line per run as it finishes)`,
  );
  const runs: Result[] = [];
  for (let round = 1; round <= REPEATS; round++) {
    for (const viewers of COUNTS) {
      for (const protocol of PROTOCOLS) {
        for (const kind of servers) {
          if (protocol === 'flv' && kind === 'nginx-rtmp') continue;
          try {
            const result = await measure(kind, protocol, viewers, clip);
            runs.push(result);
            console.log(
              `${kind.padEnd(18)} ${protocol.padEnd(5)} ${String(viewers).padStart(4)} viewers (${result.receiving} receiving): ${result.cpuPerViewerMinute.toFixed(4)} CPU-s/viewer-min (marginal ${result.marginalCpuPerViewerMinute.toFixed(4)}), ${result.cpuPercent.toFixed(1)}% CPU (publisher alone ${result.baseCpuPercent.toFixed(1)}%), RSS ${result.rssMiB.toFixed(0)} MiB, frames min ${(100 * result.framesMin).toFixed(0)}%, starved ${result.starved}, latency p50 ${result.latencyP50Ms.toFixed(1)} ms p95 ${result.latencyP95Ms.toFixed(1)} ms`,
            );
          } catch (error) {
            console.log(`${kind} ${protocol} ${viewers}: failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      }
    }
  }
  // Each figure is the median of its rounds (the worst for starvation): a shared machine's noise is per run.
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  for (const viewers of COUNTS)
    for (const protocol of PROTOCOLS)
      for (const kind of servers) {
        const same = runs.filter((r) => r.server === kind && r.protocol === protocol && r.viewers === viewers);
        if (same.length === 0) continue;
        const pick = (key: keyof Result) => median(same.map((r) => r[key] as number));
        results.push({
          ...same[0]!,
          joined: Math.min(...same.map((r) => r.joined)),
          receiving: Math.min(...same.map((r) => r.receiving)),
          cpuPerViewerMinute: pick('cpuPerViewerMinute'),
          marginalCpuPerViewerMinute: pick('marginalCpuPerViewerMinute'),
          cpuPercent: pick('cpuPercent'),
          baseCpuPercent: pick('baseCpuPercent'),
          rssMiB: pick('rssMiB'),
          peakMiB: pick('peakMiB'),
          framesMin: Math.min(...same.map((r) => r.framesMin)),
          framesMedian: pick('framesMedian'),
          starved: Math.max(...same.map((r) => r.starved)),
          latencyP50Ms: pick('latencyP50Ms'),
          latencyP95Ms: pick('latencyP95Ms'),
          mbpsOut: pick('mbpsOut'),
          loadClientCpuPercent: pick('loadClientCpuPercent'),
        });
      }
  const pct = (value: number) => `${(100 * value).toFixed(0)}%`;
  console.log(
    '\n| server | protocol | viewers | joined · receiving | CPU-s / viewer-min | marginal CPU-s / viewer-min | server CPU (publisher alone) | RSS (peak) MiB | frames/expected min · median | starved | latency p50 / p95 ms | delivered Mbps | load client CPU |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results)
    console.log(
      `| ${r.server} | ${r.protocol} | ${r.viewers} | ${r.joined} · ${r.receiving} | ${r.cpuPerViewerMinute.toFixed(4)} | ${r.marginalCpuPerViewerMinute.toFixed(4)} | ${r.cpuPercent.toFixed(1)}% (${r.baseCpuPercent.toFixed(1)}%) | ${r.rssMiB.toFixed(0)} (${r.peakMiB.toFixed(0)}) | ${pct(r.framesMin)} · ${pct(r.framesMedian)} | ${r.starved} | ${r.latencyP50Ms.toFixed(1)} / ${r.latencyP95Ms.toFixed(1)} | ${r.mbpsOut.toFixed(0)} | ${r.loadClientCpuPercent.toFixed(0)}% |`,
    );
  // A server whose viewers did not all join and keep up did less work than its figure says: no ratio then.
  const shortfall = (r: Result) =>
    r.starved > 0 || r.receiving < r.viewers ? `${r.server}: ${r.viewers - r.receiving} not receiving, ${r.starved} starved` : '';
  console.log('\nTally against each peer, same protocol and viewers (below 1.00 means Tally uses less):');
  console.log('| protocol | viewers | peer | CPU per viewer ratio | marginal CPU per viewer ratio | RSS ratio |');
  console.log('|---|---:|---|---:|---:|---:|');
  for (const tally of results.filter((r) => r.server === 'tally')) {
    for (const peer of results.filter((r) => r.server !== 'tally' && r.protocol === tally.protocol && r.viewers === tally.viewers)) {
      const short = [shortfall(tally), shortfall(peer)].filter(Boolean).join('; ');
      const cpuRatio = short ? `n/a (${short})` : ratio(tally.cpuPerViewerMinute, peer.cpuPerViewerMinute);
      const marginalRatio = short ? 'n/a' : ratio(tally.marginalCpuPerViewerMinute, peer.marginalCpuPerViewerMinute);
      console.log(
        `| ${tally.protocol} | ${tally.viewers} | ${peer.server} | ${cpuRatio} | ${marginalRatio} | ${ratio(tally.rssMiB, peer.rssMiB)} |`,
      );
      if (peer.server === 'nginx-rtmp')
        verdicts.push(
          short
            ? `CPU per viewer at ${tally.viewers} RTMP viewers: not comparable (${short})`
            : `CPU per viewer at ${tally.viewers} RTMP viewers, Tally / nginx-rtmp ${cpuRatio} total, ${marginalRatio} marginal (target <= 1.00): ${tally.cpuPerViewerMinute <= peer.cpuPerViewerMinute ? 'met' : 'NOT met'} (total), ${tally.marginalCpuPerViewerMinute <= peer.marginalCpuPerViewerMinute ? 'met' : 'NOT met'} (marginal)`,
        );
    }
    if (tally.protocol === 'rtmp' && tally.viewers === 500)
      verdicts.push(
        `RSS at 500 RTMP viewers ${tally.rssMiB.toFixed(1)} MiB (target <= 120 MiB): ${tally.rssMiB <= 120 ? 'met' : 'NOT met'}`,
      );
    if (tally.starved > 0) verdicts.push(`${tally.starved} Tally viewer(s) starved at ${tally.viewers} ${tally.protocol}`);
  }
}

if (PHASES.includes('soak')) {
  console.log(
    `\nsoak: ${SOAK_S} s, ${SOAK_VIEWERS} RTMP viewers with ${SOAK_CHURN} leaving and ${SOAK_CHURN} joining every second, every server at once; RSS after ${SOAK_WARMUP_S} s of warm-up`,
  );
  const soaks = await Promise.all(servers.map((kind) => soak(kind, clip).catch((error: unknown) => ({ kind, error }))));
  console.log('\n| server | RSS at start · end · max MiB | growth | slope MiB/min | viewers joined · left |');
  console.log('|---|---:|---:|---:|---:|');
  for (const result of soaks) {
    if ('error' in result) {
      console.log(`| ${result.kind} | failed: ${result.error instanceof Error ? result.error.message : String(result.error)} | | | |`);
      continue;
    }
    const growth = (result.endMiB - result.startMiB) / result.startMiB;
    console.log(
      `| ${result.server} | ${result.startMiB.toFixed(1)} · ${result.endMiB.toFixed(1)} · ${result.maxMiB.toFixed(1)} | ${(100 * growth).toFixed(1)}% | ${result.slopeMiBPerMin.toFixed(2)} | ${result.joined} · ${result.left} |`,
    );
    if (result.server === 'tally') {
      const flat = Math.abs(growth) <= 0.1 && Math.abs(result.slopeMiBPerMin) * (SOAK_S / 60) <= 0.1 * result.startMiB;
      verdicts.push(
        `RSS over the ${SOAK_S} s soak ${result.startMiB.toFixed(1)} -> ${result.endMiB.toFixed(1)} MiB, slope ${result.slopeMiBPerMin.toFixed(2)} MiB/min (target: flat, within 10%): ${flat ? 'met' : 'NOT met'}`,
      );
    }
  }
}

console.log('\nTargets on this run:');
for (const verdict of verdicts) console.log(`- ${verdict}`);
console.log(
  'The load client and publishers share the machine with the servers, and a shared machine adds noise: rerun on a quiet machine for figures to compare across runs.',
);
