/**
 * `npm run studio:web -- [--host 127.0.0.1] [--port N] [--data-dir DIR] [--token T] [--no-token]
 * [--tls-cert FILE --tls-key FILE]`: starts the host services and the web studio, prints
 * `Studio: URL` (carrying the access token) on its own stdout line, and shuts down cleanly on
 * SIGINT/SIGTERM. `--no-token` is for tests on loopback; beyond loopback TLS is required.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledFfmpegDir } from '../../native/ffmpeg.ts';
import { resolveDataDir } from '../services/data-dir.ts';
import { startHost } from '../services/host.ts';
import { createLogger } from '../services/logger.ts';
import { readOrCreatePrivateFile } from '../services/private-file.ts';
import { startWebStudio } from './web-studio.ts';

/** The repository (or unpacked package) root. */
export const projectRoot = join(import.meta.dirname, '..', '..');

export function readPackageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** The file in the data directory that keeps the web studio's access token between starts. */
export const WEB_TOKEN_FILE = 'web-studio.token';

/**
 * The data directory's access token (32 base64url characters, created on the first start, mode
 * 0600), so a page opened before a restart, which holds the token in its cookie, reconnects after it.
 *
 * @throws when the file holds something that is not a token (fewer than 16 of A-Z a-z 0-9 _ -).
 */
export function keptWebToken(dataDir: string): string {
  const path = join(dataDir, WEB_TOKEN_FILE);
  const contents = readOrCreatePrivateFile(
    path,
    () => Buffer.from(randomBytes(24).toString('base64url')),
    (bytes) => {
      if (!/^[\w-]{16,}$/.test(bytes.toString('utf8').trim()))
        throw new Error(`${path} does not hold an access token (16 or more of A-Z a-z 0-9 _ -); delete it and start again for a new one`);
    },
  );
  return contents.toString('utf8').trim();
}

export interface WebStudioCliResult {
  url: string;
  close(): Promise<void>;
}

/** `--help`: the options, their environment variables and defaults. */
export function webStudioHelp(): string {
  return `Usage: npm run studio:web -- [options]

Serves the studio to a browser, with the host (outputs, recordings, library, local origin) in this process.

Options:
  --host ADDRESS     listen address (TALLY_STUDIO_HOST; default 127.0.0.1); beyond loopback it needs TLS and a token
  --port N           listen port, 0 for any free one (TALLY_STUDIO_PORT; default 5180)
  --data-dir DIR     where the database, recordings and secrets live (TALLY_DATA_DIR; default the user data dir)
  --token TOKEN      the access token the page must present (TALLY_STUDIO_TOKEN; default the one kept in DATA_DIR/web-studio.token,
                     mode 0600, made on the first start: an open page reconnects after a restart; delete the file for a new one)
  --no-token         no token, on loopback only (tests and tools that drive the host's sockets)
  --tls-cert FILE    serve HTTPS with this certificate (PEM), with --tls-key
  --tls-key FILE     the certificate's private key (PEM)
  -h, --help         this text
`;
}

/** Parses the command line, starts everything and prints the URL; null (after printing the usage) for --help. */
export async function runWebStudioCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<WebStudioCliResult | null> {
  const { values } = parseWebStudioArgs(argv, env);
  if (values.help) {
    process.stdout.write(webStudioHelp());
    return null;
  }
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
      ...(values['no-token'] ? {} : { token: values.token || env.TALLY_STUDIO_TOKEN || keptWebToken(dataDir) }),
    });
    process.stdout.write(`Studio: ${studio.url}\n`);
    return {
      url: studio.url,
      async close() {
        await studio.close();
        // Finalises a recording in progress and unpublishes every destination.
        await host.shutdown();
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

/** The scripts' entry: runs the CLI until a signal; a bad command line is one line on stderr and exit code 2. */
export async function mainWebStudio(argv: readonly string[]): Promise<void> {
  let running: WebStudioCliResult | null;
  try {
    running = await runWebStudioCli(argv);
  } catch (error) {
    process.stderr.write(`tally studio: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  if (running) closeOnSignals(running);
}

function parseWebStudioArgs(argv: readonly string[], env: NodeJS.ProcessEnv) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        host: { type: 'string', default: env.TALLY_STUDIO_HOST ?? '127.0.0.1' },
        port: { type: 'string', default: env.TALLY_STUDIO_PORT ?? '5180' },
        'data-dir': { type: 'string' },
        token: { type: 'string' },
        'no-token': { type: 'boolean', default: false },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)} (see --help)`, { cause: error });
  }
}
