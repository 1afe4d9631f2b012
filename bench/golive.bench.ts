/**
 * `npm run bench:golive`: the studio host going live, measured against a peer in the same run.
 *
 * 1. Latency: from the moment an encoded frame leaves the studio (the renderer's media
 *    socket) to an HTTP-FLV viewer of the embedded local origin, p50/p95 on loopback, against
 *    a plain RTMP passthrough publisher (no studio host) into the same origin code.
 * 2. CPU per destination at 1, 3 and 5 destinations (nginx-rtmp receiving), the studio host
 *    against ffmpeg's tee muxer pushing the same pre-encoded 720p stream to the same server
 *    (`-c copy`), and, as the peer of the host with its AAC child, the same tee encoding the
 *    audio to AAC. The floor under the host is measured too: a bare `ws` server taking in the
 *    same stream and dropping it (`golive/bare-receiver.ts`), what any Node host pays to receive
 *    a browser's WebSocket stream before doing anything with it.
 * 3. A/V sync over BENCH_AV_SECONDS (default 600): a program with a white flash and a beep
 *    on every second, through the host and the local origin to an HTTP-FLV viewer, analysed
 *    with ffmpeg (flash frames by luma, beep onsets by silencedetect); ffmpeg publishing the
 *    same flash/beep file is the peer.
 *
 * The renderer is played by a feeder that speaks the host's real protocol with pre-encoded
 * H.264 (test/e2e/support/studio-feeder.ts), so no encoder competes for the CPU while the
 * host is measured. BENCH_SECONDS (default 20) sets each measurement window, BENCH_WARMUP_SECONDS
 * (default 30) how long each process runs before it (Tally's host and each ffmpeg alike), BENCH_PARTS
 * (latency,cpu,avsync) narrows a run, BENCH_PROFILE=DIR writes a V8 CPU profile of each
 * studio host into DIR.
 */
import { execFileSync, fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutputsState } from '../common/host/outputs-contract.ts';
import { FlvReader, FlvTagType } from '../common/media/flv.ts';
import { nginxRtmpAvailable, startNginxRtmp, type NginxRtmp } from '../test/e2e/support/nginx-rtmp.ts';
import { startNode } from '../test/e2e/support/processes.ts';
import { startStudioProcess, type StudioProcess } from '../test/e2e/support/studio-process.ts';
import { feedRenditions, readRendition, StudioConnection, type Rendition } from '../test/e2e/support/studio-feeder.ts';
import { readMarker, wallClockUs, withMarker } from './origin/marker.ts';
import { cpuSeconds, startServer, type RunningServer } from './origin/servers.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const AV_SECONDS = Number(process.env.BENCH_AV_SECONDS ?? 600);
const PARTS = new Set((process.env.BENCH_PARTS ?? 'latency,cpu,avsync').split(','));
/** Seconds each measured process runs before its window: the host's JIT settles, as in a stream of hours. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 30);
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
const cache = join(tmpdir(), 'tally-bench-golive');
mkdirSync(cache, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'tally-golive-'));

// ---- media ------------------------------------------------------------------------------------

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit', timeout: 600_000 });
}

/** x264 with a keyframe every 2 s at 30 fps and no B-frames (what the studio's encoder sends). */
const X264_2S_GOP = '-c:v libx264 -preset veryfast -g 60 -keyint_min 60 -sc_threshold 0 -bf 0 -pix_fmt yuv420p'.split(' ');

/** 10 s of 720p30 at 4.5 Mbit/s with 160 kbit/s AAC: the program every peer sends. */
function programClip(): string {
  const path = join(cache, 'program-720p-4500k.flv');
  if (!existsSync(path))
    ffmpeg([
      ...'-f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000 -t 10'.split(' '),
      ...['-vf', 'noise=alls=12:allf=t', ...X264_2S_GOP, ...'-b:v 4500k -maxrate 4500k -bufsize 4500k'.split(' ')],
      ...['-c:a', 'aac', '-b:a', '160k', '-ac', '2', '-f', 'flv', path],
    ]);
  return path;
}

/** 10 s of black with a white frame on every second and a 30 ms 1 kHz beep at the same instants. */
function flashClip(): string {
  const path = join(cache, 'flash-720p.flv');
  if (!existsSync(path))
    ffmpeg([
      ...['-f', 'lavfi', '-i', "color=black:size=1280x720:rate=30,drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='eq(mod(n,30),0)'"],
      ...['-f', 'lavfi', '-i', "aevalsrc='if(lt(mod(t,1),0.03),0.8*sin(2*PI*1000*t),0)':s=48000:c=stereo", '-t', '10'],
      ...[...X264_2S_GOP, '-b:v', '1000k', '-c:a', 'aac', '-b:a', '160k', '-f', 'flv', path],
    ]);
  return path;
}

/** The studio's PCM for the flash clip: a beep during the first 30 ms of every second. */
function beepPcm(timestampUs: number): Float32Array {
  const block = new Float32Array(960 * 2);
  for (let i = 0; i < 960; i++) {
    const t = timestampUs / 1e6 + i / 48_000;
    if (t % 1 < 0.03) block[2 * i] = block[2 * i + 1] = 0.8 * Math.sin(2 * Math.PI * 1000 * t);
  }
  return block;
}

/** An access unit with the latency marker NAL unit first (`origin/marker.ts` works on FLV tag bodies). */
function marked(accessUnit: Uint8Array): Uint8Array {
  const body = new Uint8Array(5 + accessUnit.length);
  body.set([0x27, 1, 0, 0, 0]);
  body.set(accessUnit, 5);
  return withMarker(body, wallClockUs()).subarray(5);
}

/** ffmpeg reading a clip at real-time pace, in a loop, with `output` arguments. */
function loopToRtmp(clip: string, output: string[]): ChildProcess {
  return spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', clip, ...output], { stdio: 'ignore' });
}

// ---- figures ----------------------------------------------------------------------------------

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');

/** Reads an HTTP-FLV stream, calling `onTag` per tag, until `stop()`. */
function readFlv(
  url: string,
  onTag: (type: number, timestamp: number, payload: Uint8Array) => void,
  raw?: NodeJS.WritableStream,
): { stop(): void } {
  const reader = new FlvReader((tag) => onTag(tag.type, tag.timestamp, tag.payload));
  const request = get(url, (response) => {
    response.on('data', (chunk: Buffer) => {
      raw?.write(chunk);
      reader.feed(chunk);
    });
  });
  request.on('error', () => {});
  return { stop: () => request.destroy() };
}

/** Video latency samples from marked frames, after the warm-up. */
function latencyViewer(url: string): { samplesMs: number[]; stop(): void } {
  const samplesMs: number[] = [];
  const from = Date.now() + WARMUP_SECONDS * 1000;
  const viewer = readFlv(url, (type, _timestamp, payload) => {
    if (type !== FlvTagType.video || Date.now() < from) return;
    const sent = readMarker(payload);
    if (sent !== null) samplesMs.push((wallClockUs() - sent) / 1000);
  });
  return { samplesMs, stop: () => viewer.stop() };
}

/** CPU of a process (and its children, optionally) as a percentage of one core over `seconds`. */
async function cpuPercent(pids: () => number[], seconds: number): Promise<number> {
  const total = () => pids().reduce((sum, pid) => sum + (existsSync(`/proc/${pid}/stat`) ? cpuSeconds(pid, TICKS) : 0), 0);
  const before = total();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return ((total() - before) / ((performance.now() - started) / 1000)) * 100;
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['--ppid', String(pid), '-o', 'pid='])
      .toString()
      .split('\n')
      .map(Number)
      .filter(Boolean);
  } catch {
    return [];
  }
}

async function withStudio<T>(run: (studio: StudioProcess, connection: StudioConnection) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(scratch, 'studio-'));
  // BENCH_PROFILE=DIR: a V8 CPU profile of each studio host, written into DIR when it quits.
  const profile = process.env.BENCH_PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE}` } : {};
  const studio = await startStudioProcess(dataDir, { env: { TALLY_LOG_LEVEL: 'warn', ...profile } });
  const connection = await StudioConnection.open(studio.url);
  try {
    return await run(studio, connection);
  } finally {
    connection.close();
    await studio.stop();
  }
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const liveCount = (state: OutputsState | null) => state?.destinations.filter((d) => d.status.state === 'live').length ?? 0;

// ---- 1. latency -------------------------------------------------------------------------------

async function measureLatency(video: Rendition): Promise<void> {
  console.log(`\n## Latency: encoder output → HTTP-FLV viewer of the local origin (${SECONDS} s after ${WARMUP_SECONDS} s warm-up)`);
  const tally = await withStudio(async (_studio, connection) => {
    const state = await connection.call<OutputsState>('outputs.goLive');
    const feeding = feedRenditions(connection, [video], { seconds: WARMUP_SECONDS + SECONDS + 2, mark: marked });
    await until(() => liveCount(connection.state) === 1, 20_000, 'the local origin live');
    const viewer = latencyViewer(state.localOrigin.playback!.flv);
    await feeding;
    viewer.stop();
    return viewer.samplesMs;
  });
  const origin = await startServer('tally');
  let peer: number[];
  try {
    const publisher = fork(join(import.meta.dirname, 'origin', 'publisher.ts'), [programClip(), origin.publishUrl], { stdio: 'ignore' });
    await new Promise((resolve) => publisher.once('message', resolve));
    const viewer = latencyViewer(origin.playUrls.flv!);
    await new Promise((resolve) => setTimeout(resolve, (WARMUP_SECONDS + SECONDS) * 1000));
    viewer.stop();
    peer = viewer.samplesMs;
    publisher.send({ type: 'stop' });
    await new Promise((resolve) => publisher.once('exit', resolve));
  } finally {
    await origin.stop();
  }
  const row = (name: string, samples: number[]) =>
    console.log(
      `| ${name.padEnd(46)} | ${String(samples.length).padStart(6)} | ${percentile(samples, 50).toFixed(1).padStart(7)} | ${percentile(samples, 95).toFixed(1).padStart(7)} |`,
    );
  console.log(`| ${'path'.padEnd(46)} | frames | p50 ms  | p95 ms  |`);
  console.log(`|${'-'.repeat(48)}|--------|---------|---------|`);
  row('studio host → local origin → HTTP-FLV', tally);
  row('RTMP passthrough publisher → origin → HTTP-FLV', peer);
  console.log(
    `Tally/passthrough: p50 ${ratio(percentile(tally, 50), percentile(peer, 50))}, p95 ${ratio(percentile(tally, 95), percentile(peer, 95))}`,
  );
}

// ---- 2. CPU per destination -------------------------------------------------------------------

async function measureCpu(video: Rendition, nginx: NginxRtmp): Promise<void> {
  console.log(`\n## CPU at 1, 3 and 5 destinations (nginx-rtmp receiving), % of one core over ${SECONDS} s`);
  const counts = [1, 3, 5];
  const tally: { host: number; withAac: number }[] = [];
  await withStudio(async (studio, connection) => {
    await connection.call('outputs.setEncoderSettings', { videoBitrateKbps: 4500, keyframeIntervalSec: 2, audioBitrateKbps: 160 });
    for (const count of counts) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const saved = await connection.call<{ id: string }>('outputs.saveDestination', {
          name: `nginx ${i}`,
          service: 'custom',
          serverUrl: nginx.serverUrl,
          streamKey: `tally-${count}-${i}`,
          adaptiveBitrate: false,
        });
        ids.push(saved.id);
      }
      for (const id of ids) await connection.call('outputs.startDestination', id);
      const feeding = feedRenditions(connection, [video], { seconds: WARMUP_SECONDS + SECONDS + 1 });
      await until(() => liveCount(connection.state) === count, 20_000, `${count} destinations live`);
      await new Promise((resolve) => setTimeout(resolve, WARMUP_SECONDS * 1000));
      const aac = childPids(studio.pid);
      const [host, withAac] = await Promise.all([cpuPercent(() => [studio.pid], SECONDS), cpuPercent(() => [studio.pid, ...aac], SECONDS)]);
      tally.push({ host, withAac });
      await feeding;
      await connection.call('outputs.endStream');
      for (const id of ids) await connection.call('outputs.removeDestination', id);
    }
  });
  // The floor under the host: a bare ws server taking in the same stream and dropping it.
  const receiver = await startNode([join(import.meta.dirname, 'golive', 'bare-receiver.ts')], /^Receiver: (http:\/\/\S+)$/);
  let floor: number;
  try {
    const connection = await StudioConnection.open(receiver.match[1]!);
    const feeding = feedRenditions(connection, [video], { seconds: WARMUP_SECONDS + SECONDS + 1 });
    await new Promise((resolve) => setTimeout(resolve, WARMUP_SECONDS * 1000));
    floor = await cpuPercent(() => [receiver.child.pid!], SECONDS);
    await feeding;
    connection.close();
  } finally {
    await receiver.stop();
  }
  // The peer: ffmpeg's tee muxer copying the pre-encoded clip (no audio encode). The
  // second peer does what the host and its AAC child do together: video copied, audio encoded
  // to AAC at the host's bitrate (decoded from the clip's AAC first: a small extra cost).
  const ffmpegTee = async (codecs: string[], name: string): Promise<number[]> => {
    const figures: number[] = [];
    for (const count of counts) {
      const outputs = Array.from({ length: count }, (_, i) => `[f=flv:onfail=ignore]${nginx.serverUrl}/${name}-${count}-${i}`).join('|');
      const child = loopToRtmp(programClip(), ['-map', '0', ...codecs, '-f', 'tee', outputs]);
      await new Promise((resolve) => setTimeout(resolve, WARMUP_SECONDS * 1000));
      figures.push(await cpuPercent(() => [child.pid!], SECONDS));
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    return figures;
  };
  const ffmpegCpu = await ffmpegTee(['-c', 'copy'], 'ffmpeg');
  const ffmpegAacCpu = await ffmpegTee(['-c:v', 'copy', '-c:a', 'aac', '-b:a', '160k'], 'ffmpeg-aac');
  console.log(
    '| destinations | Tally host | Tally host + AAC child | ffmpeg tee (copy) | ffmpeg tee + AAC encode | host/ffmpeg copy | host+AAC/ffmpeg copy | host+AAC/ffmpeg+AAC |',
  );
  console.log(
    '|--------------|------------|------------------------|-------------------|-------------------------|------------------|----------------------|---------------------|',
  );
  counts.forEach((count, i) => {
    const t = tally[i]!;
    const f = ffmpegCpu[i]!;
    const fa = ffmpegAacCpu[i]!;
    console.log(
      `| ${String(count).padStart(12)} | ${t.host.toFixed(1).padStart(9)}% | ${t.withAac.toFixed(1).padStart(21)}% | ${f.toFixed(1).padStart(16)}% | ${fa.toFixed(1).padStart(22)}% | ${ratio(t.host, f).padStart(16)} | ${ratio(t.withAac, f).padStart(20)} | ${ratio(t.withAac, fa).padStart(19)} |`,
    );
  });
  console.log(
    `Receive floor (a bare ws server taking in the same stream and dropping it): ${floor.toFixed(1)}% of a core, ${ratio(floor, ffmpegCpu[0]!)} ffmpeg's whole tee at 1 destination. ` +
      `Host beyond the floor, 1 / 3 / 5: ${counts.map((_, i) => (tally[i]!.host - floor).toFixed(1)).join(' / ')}% (${counts.map((_, i) => ratio(tally[i]!.host - floor, ffmpegCpu[i]!)).join(' / ')} the tee)`,
  );
  const perDestination = (values: number[]) => (values[2]! - values[0]!) / (counts[2]! - counts[0]!);
  const tallyMarginal = perDestination(tally.map((t) => t.host));
  const ffmpegMarginal = perDestination(ffmpegCpu);
  console.log(
    `Each destination beyond the first: Tally host ${tallyMarginal.toFixed(2)}% of a core, ffmpeg tee ${ffmpegMarginal.toFixed(2)}% (${ratio(tallyMarginal, ffmpegMarginal)})`,
  );
}

// ---- 3. A/V sync ------------------------------------------------------------------------------

interface SyncFigures {
  pairs: number;
  meanMs: number;
  p95AbsMs: number;
  maxAbsMs: number;
  firstMinuteMeanMs: number;
  lastMinuteMeanMs: number;
}

/** Flash frames and beep onsets in a recorded FLV, paired second by second. */
function analyseSync(path: string): SyncFigures {
  const video = execFileSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-copyts',
      '-i',
      path,
      '-an',
      '-vf',
      'signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-',
      '-f',
      'null',
      '-',
    ],
    // The null muxer complains of equal DTS (FLV's whole milliseconds); only the metadata on stdout matters.
    { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] },
  ).toString();
  const flashes: number[] = [];
  let pts = 0;
  let bright = false;
  for (const line of video.split('\n')) {
    const frame = /pts_time:([\d.]+)/.exec(line);
    if (frame) pts = Number(frame[1]);
    const luma = /YAVG=([\d.]+)/.exec(line);
    if (!luma) continue;
    // The first bright frame after a dark one is the flash (an encoder may smear it into the next).
    if (Number(luma[1]) > 128 && !bright) flashes.push(pts);
    bright = Number(luma[1]) > 128;
  }
  const audio = spawnSyncStderr([
    '-hide_banner',
    '-copyts',
    '-i',
    path,
    '-vn',
    '-af',
    'silencedetect=noise=-30dB:duration=0.2',
    '-f',
    'null',
    '-',
  ]);
  const beeps = [...audio.matchAll(/silence_end: ([\d.]+)/g)].map((match) => Number(match[1]));
  const offsets: { at: number; ms: number }[] = [];
  for (const flash of flashes) {
    let nearest = Infinity;
    for (const beep of beeps) if (Math.abs(beep - flash) < Math.abs(nearest - flash)) nearest = beep;
    if (Math.abs(nearest - flash) < 0.5) offsets.push({ at: flash, ms: (nearest - flash) * 1000 });
  }
  const values = offsets.map((o) => o.ms);
  const end = offsets.at(-1)?.at ?? 0;
  const mean = (list: number[]) => list.reduce((sum, value) => sum + value, 0) / Math.max(1, list.length);
  return {
    pairs: offsets.length,
    meanMs: mean(values),
    p95AbsMs: percentile(values.map(Math.abs), 95),
    maxAbsMs: Math.max(...values.map(Math.abs)),
    firstMinuteMeanMs: mean(offsets.filter((o) => o.at < (offsets[0]?.at ?? 0) + 60).map((o) => o.ms)),
    lastMinuteMeanMs: mean(offsets.filter((o) => o.at > end - 60).map((o) => o.ms)),
  };
}

function spawnSyncStderr(args: string[]): string {
  return spawnSync('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 * 1024 * 1024 }).stderr.toString();
}

async function measureSync(flash: Rendition): Promise<void> {
  console.log(
    `\n## A/V sync over ${AV_SECONDS} s: a flash and a beep every second, as an HTTP-FLV viewer of the local origin receives them`,
  );
  const tallyFile = join(scratch, 'tally-av.flv');
  const peerFile = join(scratch, 'ffmpeg-av.flv');
  const origin: RunningServer = await startServer('tally');
  try {
    const peerPublisher = loopToRtmp(flashClip(), ['-c', 'copy', '-t', String(AV_SECONDS + 5), '-f', 'flv', origin.publishUrl]);
    await withStudio(async (_studio, connection) => {
      const state = await connection.call<OutputsState>('outputs.goLive');
      const feeding = feedRenditions(connection, [flash], { seconds: AV_SECONDS + 3, pcm: beepPcm });
      await until(() => liveCount(connection.state) === 1, 20_000, 'the local origin live');
      const tallyRaw = createWriteStream(tallyFile);
      const peerRaw = createWriteStream(peerFile);
      const tallyViewer = readFlv(state.localOrigin.playback!.flv, () => {}, tallyRaw);
      const peerViewer = readFlv(origin.playUrls.flv!, () => {}, peerRaw);
      await feeding;
      tallyViewer.stop();
      peerViewer.stop();
      tallyRaw.end();
      peerRaw.end();
    });
    peerPublisher.kill('SIGINT');
  } finally {
    await origin.stop();
  }
  const frameMs = 1000 / 30;
  const row = (name: string, f: SyncFigures) =>
    console.log(
      `| ${name.padEnd(22)} | ${String(f.pairs).padStart(5)} | ${f.meanMs.toFixed(1).padStart(7)} | ${f.p95AbsMs.toFixed(1).padStart(8)} | ${f.maxAbsMs.toFixed(1).padStart(8)} | ${f.firstMinuteMeanMs.toFixed(1).padStart(12)} | ${f.lastMinuteMeanMs.toFixed(1).padStart(11)} |`,
    );
  const tally = analyseSync(tallyFile);
  const peer = analyseSync(peerFile);
  console.log('| publisher              | pairs | mean ms | |p95| ms | |max| ms | 1st min mean | last min mean |');
  console.log('|------------------------|-------|---------|----------|----------|--------------|---------------|');
  row('studio host (Tally)', tally);
  row('ffmpeg (same content)', peer);
  console.log(
    `Within one frame (${frameMs.toFixed(1)} ms) for the whole run: Tally ${tally.maxAbsMs <= frameMs ? 'yes' : 'NO'}; drift first→last minute ${(tally.lastMinuteMeanMs - tally.firstMinuteMeanMs).toFixed(1)} ms (ffmpeg ${(peer.lastMinuteMeanMs - peer.firstMinuteMeanMs).toFixed(1)} ms); |max| Tally/ffmpeg ${ratio(tally.maxAbsMs, peer.maxAbsMs)}`,
  );
}

// ---- run --------------------------------------------------------------------------------------

const programVideo = readRendition(programClip(), 4500);
console.log(
  `bench:golive on ${process.platform} ${process.arch}, Node ${process.versions.node}, ffmpeg ${execFileSync('ffmpeg', ['-version']).toString().split('\n')[0]}`,
);
let nginx: NginxRtmp | undefined;
try {
  if (PARTS.has('latency')) await measureLatency(programVideo);
  if (PARTS.has('cpu')) {
    if (!nginxRtmpAvailable()) console.log('\n## CPU: skipped, nginx-rtmp is not installed (apt install nginx libnginx-mod-rtmp)');
    else {
      nginx = await startNginxRtmp();
      await measureCpu(programVideo, nginx);
    }
  }
  if (PARTS.has('avsync')) await measureSync(readRendition(flashClip(), 1000));
} finally {
  await nginx?.stop();
  if (!process.env.BENCH_KEEP) rmSync(scratch, { recursive: true, force: true });
  else console.log(`kept ${scratch}`);
}
