/**
 * The web studio as a process a test controls: started on a data directory it keeps, so it
 * can be killed (-9) and started again on the same data, with its stderr (the host's log)
 * kept for inspection.
 */
import { startNode, type Started } from './processes.ts';

/** A running web studio. */
export interface StudioProcess {
  url: string;
  pid: number;
  /** The host's log so far (JSON lines). */
  log(): string;
  /** SIGTERM: a normal quit (the host finalises a recording and unpublishes). */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

/**
 * Starts `npm run studio:web` on a free loopback port (or `port`: a host coming back where a page still looks for it)
 * with `dataDir`, token off (`--no-token`: the feeder's sockets carry no cookie).
 */
export async function startStudioProcess(
  dataDir: string,
  options: { env?: NodeJS.ProcessEnv; command?: string[]; port?: number } = {},
): Promise<StudioProcess> {
  const args = ['scripts/studio-web.ts', '--host', '127.0.0.1', '--port', String(options.port ?? 0), '--data-dir', dataDir, '--no-token'];
  const started: Started = await startNode(args, /^Studio: (http:\/\/\S+)$/, {
    env: { TALLY_LOG_LEVEL: 'info', ...options.env },
    timeoutMs: 60_000,
  });
  return {
    url: started.match[1]!,
    pid: started.child.pid!,
    log: () => started.stderr(),
    stop: () => started.stop(),
    async kill() {
      if (started.child.exitCode !== null || started.child.signalCode !== null) return;
      const exited = new Promise((resolve) => started.child.once('exit', resolve));
      started.child.kill('SIGKILL');
      await exited;
    },
  };
}
