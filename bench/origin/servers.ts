/**
 * The servers the origin benchmark compares, each started as its own process on free
 * loopback ports: Tally Origin as a venue runs it (`dist/origin/cli.js`, the `tally-origin`
 * bin, built if stale; `tally-ts` is the same from its TypeScript sources, for the idle
 * figure only), node-media-server v4 (from node_modules), and nginx with libnginx-mod-rtmp
 * (single process: `master_process off`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../../scripts/build-steps.ts';

export const projectRoot = join(import.meta.dirname, '..', '..');
const NGINX_RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';
const KEY = 'bench-key-0123456789abcdef';

/** A server under test. */
export interface RunningServer {
  name: string;
  pid: number;
  /** Where the publisher sends. */
  publishUrl: string;
  /** Where viewers read, by protocol (absent when the server has no such output). */
  playUrls: { rtmp: string; flv?: string; hls?: string };
  stop(): Promise<void>;
}

/** The kinds of server, by name. */
export type ServerKind = 'tally' | 'tally-ts' | 'node-media-server' | 'nginx-rtmp';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, logFile: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode} before listening:\n${readFileSync(logFile, 'utf8')}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port} after ${timeoutMs} ms:\n${readFileSync(logFile, 'utf8')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopper(child: ChildProcess, dir: string): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
}

/** Whether nginx with the RTMP module is installed. */
export function nginxAvailable(): boolean {
  return existsSync(NGINX_RTMP_MODULE) && existsSync('/usr/sbin/nginx');
}

/**
 * HLS output, for the latency benchmark: Tally's LL-HLS or plain HLS (its defaults otherwise),
 * nginx-rtmp's HLS with its shortest sensible fragment (1 s, a GOP) served by nginx's own HTTP.
 * Without it, HLS is off on every server, as in the load benchmark.
 */
export type HlsMode = 'll' | 'plain';

/** Starts one server. */
export async function startServer(kind: ServerKind, hls?: HlsMode): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), `bench-${kind}-`));
  const rtmpPort = await freePort();
  const httpPort = await freePort();
  // Servers log every viewer's close; keep that out of the results table (the file goes with `dir`).
  const serverLog = openSync(join(dir, 'server.log'), 'w');
  let child: ChildProcess;
  let publishUrl: string;
  let playUrls: RunningServer['playUrls'];
  if (kind === 'tally' || kind === 'tally-ts') {
    const args = [
      ...['--rtmp-port', String(rtmpPort), '--http-port', String(httpPort), '--data-dir', dir],
      ...(hls === undefined ? ['--no-hls'] : hls === 'plain' ? ['--no-ll-hls'] : []),
      ...['--shutdown-grace-ms', '0', '--log-level', 'warn'],
    ];
    // Secrets from the environment, as the README says to run it.
    const env = { ...process.env, TALLY_STREAMS: `bench:${KEY}`, TALLY_ADMIN_TOKEN: 'bench-admin-token-0123456789' };
    if (kind === 'tally') await ensureBuilt(['origin']);
    // The bin runs as installed: executed, so its shebang's Node flags apply.
    child =
      kind === 'tally'
        ? spawn(join(projectRoot, 'dist', 'origin', 'cli.js'), args, { cwd: projectRoot, env, stdio: ['ignore', 'ignore', serverLog] })
        : spawn(process.execPath, ['server/cli.ts', ...args], { cwd: projectRoot, env, stdio: ['ignore', 'ignore', serverLog] });
    publishUrl = `rtmp://127.0.0.1:${rtmpPort}/live/${KEY}`;
    playUrls = { rtmp: `rtmp://127.0.0.1:${rtmpPort}/live/bench`, flv: `http://127.0.0.1:${httpPort}/live/bench.flv` };
    if (hls) playUrls.hls = `http://127.0.0.1:${httpPort}/live/bench/index.m3u8`;
  } else if (kind === 'node-media-server') {
    // NMS v4 as its own bin would run it, minus its debug logging (Tally runs at warn too).
    const script = `
      const NodeMediaServer = require(${JSON.stringify(join(projectRoot, 'node_modules', 'node-media-server'))});
      const logger = require(${JSON.stringify(join(projectRoot, 'node_modules', 'node-media-server', 'src', 'core', 'logger.js'))});
      const nms = new NodeMediaServer({ bind: '127.0.0.1', rtmp: { port: ${rtmpPort} }, http: { port: ${httpPort} }, store: { path: ${JSON.stringify(join(dir, 'data'))} }, webadmin: { enable: false }, record: { auto: false, path: ${JSON.stringify(join(dir, 'record'))} } });
      logger.level = 'error';
      nms.run();
      process.on('SIGTERM', () => process.exit(0));`;
    child = spawn(process.execPath, ['-e', script], { cwd: dir, stdio: ['ignore', 'ignore', serverLog] });
    publishUrl = `rtmp://127.0.0.1:${rtmpPort}/live/bench`;
    playUrls = { rtmp: `rtmp://127.0.0.1:${rtmpPort}/live/bench`, flv: `http://127.0.0.1:${httpPort}/live/bench.flv` };
  } else {
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 8192;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
load_module ${NGINX_RTMP_MODULE};
events { worker_connections 4096; }
rtmp {
  server {
    listen 127.0.0.1:${rtmpPort};
    chunk_size 4096;
    application live {
      live on;
${
  hls
    ? `      hls on;
      hls_path ${dir}/hls;
      hls_fragment 1s;
      hls_playlist_length 4s;
      hls_cleanup on;
`
    : ''
}    }
  }
}
${
  hls
    ? `http {
  access_log off;
  client_body_temp_path ${dir}/client-body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${httpPort};
    location /hls/ {
      alias ${dir}/hls/;
      types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
      add_header Cache-Control no-cache;
      add_header Access-Control-Allow-Origin *;
    }
  }
}
`
    : ''
}`,
    );
    child = spawn('/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
      stdio: ['ignore', 'ignore', serverLog],
    });
    publishUrl = `rtmp://127.0.0.1:${rtmpPort}/live/bench`;
    playUrls = { rtmp: `rtmp://127.0.0.1:${rtmpPort}/live/bench` };
    if (hls) playUrls.hls = `http://127.0.0.1:${httpPort}/hls/bench.m3u8`;
  }
  await waitForPort(rtmpPort, child, join(dir, 'server.log'));
  // Tally and node-media-server open HTTP after RTMP: ready once both answer.
  if (playUrls.flv || playUrls.hls) await waitForPort(httpPort, child, join(dir, 'server.log'));
  return { name: kind, pid: child.pid!, publishUrl, playUrls, stop: stopper(child, dir) };
}

/** CPU seconds (user + system) a process has used, from /proc/PID/stat. */
export function cpuSeconds(pid: number, ticksPerSecond: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Resident and peak resident memory in MiB, from /proc/PID/status. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}
