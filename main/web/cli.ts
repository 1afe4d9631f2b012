/**
 * `npm run studio:web -- [--host 127.0.0.1] [--port N] [--data-dir DIR] [--token T] [--no-token]
 * [--tls-cert FILE --tls-key FILE]`: starts the host services and the web studio, prints
 * `Studio: URL` (carrying the access token) on its own stdout line, and shuts down cleanly on
 * SIGINT/SIGTERM. `--no-token` is for tests on loopback; beyond loopback TLS is required.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledFfmpegDir } from '../../native/ffmpeg.ts';
import { resolveDataDir } from '../services/data-dir.ts';
import { startHost } from '../services/host.ts';
import { createLogger } from '../services/logger.ts';
import { startWebStudio } from './web-studio.ts';

/** The repository (or unpacked package) root. */
export const projectRoot = join(import.meta.dirname, '..', '..');

export function readPackageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export interface WebStudioCliResult {
  url: string;
  close(): Promise<void>;
}

/** Parses the command line, starts everything and prints the URL. */
export async function runWebStudioCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<WebStudioCliResult> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      host: { type: 'string', default: env.TALLY_STUDIO_HOST ?? '127.0.0.1' },
      port: { type: 'string', default: env.TALLY_STUDIO_PORT ?? '5180' },
      'data-dir': { type: 'string' },
      token: { type: 'string' },
      'no-token': { type: 'boolean', default: false },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  if (!values['tls-cert'] !== !values['tls-key']) throw new Error('--tls-cert and --tls-key go together');
  const tls =
    values['tls-cert'] && values['tls-key'] ? { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) } : undefined;
  const log = createLogger('tally-studio');
  const dataDir = values['data-dir'] ?? resolveDataDir(env);
  const host = await startHost({
    version: readPackageVersion(),
    runtime: 'web',
    dataDir,
    log,
    ffmpeg: { env, bundledDirs: [bundledFfmpegDir(join(projectRoot, 'resources'))] },
  });
  try {
    const studio = await startWebStudio({
      host: values.host,
      port,
      rendererDir: join(projectRoot, 'dist', 'renderer'),
      hostServices: host,
      log,
      requireToken: !values['no-token'],
      ...(tls ? { tls } : {}),
      ...((values.token ?? env.TALLY_STUDIO_TOKEN) ? { token: values.token ?? env.TALLY_STUDIO_TOKEN } : {}),
    });
    process.stdout.write(`Studio: ${studio.url}\n`);
    return {
      url: studio.url,
      async close() {
        await studio.close();
        host.dispose();
      },
    };
  } catch (error) {
    host.dispose();
    throw error;
  }
}

/** Closes `running` on SIGINT/SIGTERM, once. */
export function closeOnSignals(running: { close(): Promise<void> }): void {
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
