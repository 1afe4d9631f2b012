/**
 * Starts Tally Origin as a venue runs it: the built bin (`dist/origin/cli.js`, rebuilt when
 * stale), executed so its shebang's Node flags apply, on free ports, with a fresh data
 * directory and its secrets in the environment (never on the command line).
 */
import { join } from 'node:path';
import { ensureBuilt } from '../../../scripts/build-steps.ts';
import { projectRoot, startNode, tempDataDir, type Started } from './processes.ts';

/** The origin's bin. */
export const ORIGIN_BIN = join(projectRoot, 'dist', 'origin', 'cli.js');

/** A running origin process. */
export interface OriginProcess {
  process: Started;
  /** `rtmp://127.0.0.1:PORT/live` */
  rtmp: string;
  /** `http://127.0.0.1:PORT/` */
  http: string;
  dataDir: string;
  /** SIGTERM (then SIGKILL after 5 s) and removes the data directory. */
  stop(): Promise<void>;
}

/** Starts the built origin bin with `args` and waits for its `HTTP:` line. */
export async function startOriginBin(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  await ensureBuilt(['origin']);
  return startNode(args, /^HTTP: (https?:\/\/\S+)$/, { env, executable: ORIGIN_BIN });
}

/**
 * Starts an origin with stream `main` publishable with `key` (more streams may come in
 * `env.TALLY_STREAMS`); `args` adds flags.
 */
export async function startOriginProcess(key: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<OriginProcess> {
  const data = tempDataDir();
  const started = await startOriginBin(['--rtmp-port', '0', '--http-port', '0', '--data-dir', data.dir, ...args], {
    ...env,
    TALLY_STREAMS: `main:${key} ${env.TALLY_STREAMS ?? ''}`,
  });
  const rtmpLine = started.stdoutLines.find((line) => line.startsWith('RTMP: '));
  if (!rtmpLine) throw new Error(`the origin printed no RTMP line before HTTP:\n${started.stdoutLines.join('\n')}`);
  return {
    process: started,
    rtmp: rtmpLine.slice('RTMP: '.length),
    http: started.match[1]!,
    dataDir: data.dir,
    async stop() {
      await started.stop();
      data.remove();
    },
  };
}
