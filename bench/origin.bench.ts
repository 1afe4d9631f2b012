/**
 * `npm run bench:origin`: one publisher at 720p30 (~2.5 Mbps, a pre-encoded clip published
 * from Node at real-time pace, so no encoder runs during the measurement) and N viewers
 * (N = 50, 200, 500) on loopback, against Tally Origin, node-media-server v4 and nginx with
 * libnginx-mod-rtmp, in the same run. Each server is its own process, measured from /proc:
 * CPU-seconds per viewer-minute and RSS. The load client (one Node process) counts frames per
 * viewer against what was published and reads the latency marker in every frame (an SEI with
 * the wall-clock send time), giving the latency the server adds (p50, p95).
 *
 * RTMP play is measured on all three; HTTP-FLV on Tally and node-media-server (nginx-rtmp has
 * none). Tally runs without HLS here, since the peers are not packaging HLS either.
 *
 * Environment: BENCH_SECONDS (measurement window, default 15), BENCH_VIEWERS (default
 * 50,200,500), BENCH_SERVERS (default tally,node-media-server,nginx-rtmp), BENCH_PROTOCOLS
 * (default rtmp,flv).
 */
import { execFileSync, execSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, memoryMiB, nginxAvailable, startServer, type ServerKind } from './origin/servers.ts';

const WINDOW_S = Number(process.env.BENCH_SECONDS ?? 15);
const COUNTS = (process.env.BENCH_VIEWERS ?? '50,200,500').split(',').map(Number);
const PROTOCOLS = (process.env.BENCH_PROTOCOLS ?? 'rtmp,flv').split(',') as ('rtmp' | 'flv')[];
const FPS = 30;
const TICKS = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
let servers = (process.env.BENCH_SERVERS ?? 'tally,node-media-server,nginx-rtmp').split(',') as ServerKind[];
if (servers.includes('nginx-rtmp') && !nginxAvailable()) {
  console.log('nginx with libnginx-mod-rtmp is not installed (apt install nginx libnginx-mod-rtmp): measuring without it');
  servers = servers.filter((kind) => kind !== 'nginx-rtmp');
}

/** The 10 s clip, encoded once: 1280x720, 30 fps, H.264 at 2.4 Mbps (keyframe every 2 s, no B-frames) + AAC 128 kbps. */
function ensureClip(): string {
  const dir = join(tmpdir(), 'tally-bench');
  mkdirSync(dir, { recursive: true });
  const clip = join(dir, 'clip-720p30-2500k-v1.flv');
  if (existsSync(clip)) return clip;
  console.log(`encoding the benchmark clip once: ${clip}`);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '10'],
    ...[
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-b:v',
      '2400k',
      '-maxrate',
      '2400k',
      '-bufsize',
      '2400k',
      '-g',
      '60',
      '-keyint_min',
      '60',
      '-sc_threshold',
      '0',
      '-bf',
      '0',
      '-pix_fmt',
      'yuv420p',
    ],
    ...['-c:a', 'aac', '-b:a', '128k', '-f', 'flv', clip],
  ]);
  return clip;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function nextMessage<T extends { type: string }>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${type}" from ${child.spawnfile} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: T) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.join(' ')} exited with ${code}`)));
  });
}

interface LoadStats {
  type: 'stats';
  frames: number[];
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
  cpuPerViewerMinute: number;
  cpuPercent: number;
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

async function measure(kind: ServerKind, protocol: 'rtmp' | 'flv', viewers: number, clip: string): Promise<Result> {
  const server = await startServer(kind);
  const children: ChildProcess[] = [];
  try {
    const publisher = fork(join(import.meta.dirname, 'origin', 'publisher.ts'), [clip, server.publishUrl], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(publisher);
    await nextMessage(publisher, 'publishing', 15_000);
    await sleep(2500); // a keyframe is cached; the stream is live everywhere
    const url = protocol === 'rtmp' ? server.playUrls.rtmp : server.playUrls.flv!;
    const load = fork(join(import.meta.dirname, 'origin', 'load-client.ts'), [protocol, url, String(viewers)], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(load);
    await nextMessage(load, 'ready', 90_000);
    await sleep(3000); // joins settle
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
    const cpu = cpuEnd - cpuStart;
    load.send({ type: 'exit' });
    publisher.send({ type: 'stop' });
    return {
      server: kind,
      protocol,
      viewers,
      cpuPerViewerMinute: cpu / (viewers * (seconds / 60)),
      cpuPercent: (100 * cpu) / seconds,
      rssMiB: memory.rss,
      peakMiB: memory.peak,
      framesMin: ratios[0] ?? 0,
      framesMedian: ratios[Math.floor(ratios.length / 2)] ?? 0,
      starved: ratios.filter((ratio) => ratio < 0.9).length + result.closed,
      latencyP50Ms: result.latencyP50Ms,
      latencyP95Ms: result.latencyP95Ms,
      mbpsOut: (result.bytes * 8) / seconds / 1e6,
      loadClientCpuPercent: (100 * (result.cpuSeconds - loadCpuStart)) / seconds,
    };
  } finally {
    await sleep(200);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await server.stop();
  }
}

const clip = ensureClip();
console.log(
  `origin benchmark: ${WINDOW_S} s windows; viewers ${COUNTS.join(', ')}; servers ${servers.join(', ')}; ${PROTOCOLS.join(' and ')}`,
);
console.log('(one run per line as it finishes; summary tables at the end)');
const results: Result[] = [];
for (const viewers of COUNTS) {
  for (const protocol of PROTOCOLS) {
    for (const kind of servers) {
      if (protocol === 'flv' && kind === 'nginx-rtmp') continue;
      try {
        const result = await measure(kind, protocol, viewers, clip);
        results.push(result);
        console.log(
          `${kind.padEnd(18)} ${protocol.padEnd(5)} ${String(viewers).padStart(4)} viewers: ${result.cpuPerViewerMinute.toFixed(4)} CPU-s/viewer-min, ${result.cpuPercent.toFixed(0)}% CPU, RSS ${result.rssMiB.toFixed(0)} MiB, frames min ${(100 * result.framesMin).toFixed(0)}%, starved ${result.starved}, latency p50 ${result.latencyP50Ms.toFixed(1)} ms p95 ${result.latencyP95Ms.toFixed(1)} ms`,
        );
      } catch (error) {
        console.log(`${kind} ${protocol} ${viewers}: failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

const pct = (value: number) => `${(100 * value).toFixed(0)}%`;
console.log(
  '\n| server | protocol | viewers | CPU-s / viewer-min | server CPU | RSS (peak) MiB | frames/expected min · median | starved | latency p50 / p95 ms | delivered Mbps | load client CPU |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results)
  console.log(
    `| ${r.server} | ${r.protocol} | ${r.viewers} | ${r.cpuPerViewerMinute.toFixed(4)} | ${r.cpuPercent.toFixed(0)}% | ${r.rssMiB.toFixed(0)} (${r.peakMiB.toFixed(0)}) | ${pct(r.framesMin)} · ${pct(r.framesMedian)} | ${r.starved} | ${r.latencyP50Ms.toFixed(1)} / ${r.latencyP95Ms.toFixed(1)} | ${r.mbpsOut.toFixed(0)} | ${r.loadClientCpuPercent.toFixed(0)}% |`,
  );

console.log('\nTally against each peer, same protocol and viewers (CPU per viewer-minute and RSS; below 1.00 means Tally uses less):');
console.log('| protocol | viewers | peer | CPU ratio | RSS ratio |');
console.log('|---|---:|---|---:|---:|');
let verdict = true;
let compared = 0;
for (const tally of results.filter((r) => r.server === 'tally')) {
  for (const peer of results.filter((r) => r.server !== 'tally' && r.protocol === tally.protocol && r.viewers === tally.viewers)) {
    const cpuRatio = tally.cpuPerViewerMinute / peer.cpuPerViewerMinute;
    console.log(
      `| ${tally.protocol} | ${tally.viewers} | ${peer.server} | ${cpuRatio.toFixed(2)} | ${(tally.rssMiB / peer.rssMiB).toFixed(2)} |`,
    );
    compared++;
    if (peer.server === 'node-media-server' && cpuRatio >= 1) verdict = false;
    if (peer.server === 'nginx-rtmp' && cpuRatio > 2) verdict = false;
  }
  if (tally.starved > 0) verdict = false;
}
console.log(
  `\nTarget (less CPU per viewer than node-media-server, within 2x of nginx-rtmp, no viewer starved): ${compared === 0 ? 'not evaluated (no peer ran)' : verdict ? 'met' : 'NOT met'} on this run. ` +
    'The load client and publisher share the machine with the servers; rerun on a quiet machine for figures to compare across runs.',
);
