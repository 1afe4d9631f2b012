/** Starts `npm run origin` (server/cli.ts) as a child process on free ports, with a fresh data directory. */
import { startNode, tempDataDir, type Started } from './processes.ts';

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

/** Starts an origin with stream `main` publishable with `key`; `args` adds flags. */
export async function startOriginProcess(key: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<OriginProcess> {
  const data = tempDataDir();
  const started = await startNode(
    ['server/cli.ts', '--rtmp-port', '0', '--http-port', '0', '--data-dir', data.dir, '--stream', `main:${key}`, ...args],
    /^HTTP: (http:\/\/\S+)$/,
    { env },
  );
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
