/**
 * nginx with libnginx-mod-rtmp as a real RTMP peer: one process (`master_process off`) on a
 * loopback port, started again on the same port after a kill (reconnect tests). nginx-rtmp
 * has no stream keys: what a publisher names its stream is what viewers play.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './media.ts';
import { freePort, portAccepts } from './ports.ts';

export const NGINX_BINARY = '/usr/sbin/nginx';
export const NGINX_RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';

/** Whether nginx and its RTMP module are installed (Debian: nginx + libnginx-mod-rtmp). */
export function nginxRtmpAvailable(): boolean {
  return existsSync(NGINX_BINARY) && existsSync(NGINX_RTMP_MODULE);
}

/** A running nginx-rtmp. */
export interface NginxRtmp {
  port: number;
  /** `rtmp://127.0.0.1:PORT/live`: the server URL a destination uses. */
  serverUrl: string;
  pid(): number | undefined;
  /** Kills it at once (SIGKILL): a server that dies. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts nginx-rtmp on a free loopback port (or `port`); `bind` is the address it listens on. */
export async function startNginxRtmp(options: { port?: number; bind?: string; spawnPrefix?: string[] } = {}): Promise<NginxRtmp> {
  if (!nginxRtmpAvailable())
    throw new Error(`nginx-rtmp is not installed (${NGINX_BINARY}, ${NGINX_RTMP_MODULE}); apt-get install nginx libnginx-mod-rtmp`);
  const dir = mkdtempSync(join(tmpdir(), 'tally-nginx-'));
  const bind = options.bind ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
load_module ${NGINX_RTMP_MODULE};
events { worker_connections 1024; }
rtmp {
  server {
    listen ${bind}:${port};
    chunk_size 4096;
    application live { live on; }
  }
}
`,
  );
  let child: ChildProcess | null = null;
  const launch = async () => {
    const prefix = options.spawnPrefix ?? [];
    const command = [...prefix, NGINX_BINARY, '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')];
    child = spawn(command[0]!, command.slice(1), { stdio: 'ignore' });
    const started = child;
    const host = bind === '0.0.0.0' ? '127.0.0.1' : bind;
    // In another namespace, ask from inside it whether the port accepts connections.
    const accepts = () =>
      prefix.length > 0
        ? new Promise<boolean>((resolve) =>
            spawn(prefix[0]!, [...prefix.slice(1), 'bash', '-c', `exec 3<>/dev/tcp/${host}/${port}`], { stdio: 'ignore' }).once(
              'exit',
              (code) => resolve(code === 0),
            ),
          )
        : portAccepts(host, port);
    await waitFor(async () => started.exitCode === null && (await accepts()), 15_000, `nginx-rtmp on ${bind}:${port}`);
  };
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await launch();
  return {
    port,
    serverUrl: `rtmp://${bind}:${port}/live`,
    pid: () => child?.pid,
    kill,
    restart: launch,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
