/**
 * `npm run origin -- [--host 127.0.0.1] [--rtmp-port 1935] [--http-port 8080] [--data-dir DIR]
 * [--stream NAME:KEY]... [--config FILE] [--admin-token TOKEN] [--on-publish URL] ...`
 *
 * Prints secrets created at this start once (a fresh origin's `main` key, a generated admin
 * token), then `RTMP: rtmp://HOST:PORT/live` and `HTTP: http://HOST:PORT/` on their own stdout
 * lines; logs go to stderr. SIGTERM/SIGINT shut down gracefully (HLS playlists end).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { loadOriginConfig, mergeConfig } from './config.ts';
import { createOriginLogger } from './log.ts';
import { startOrigin, type Origin, type OriginOptions } from './origin.ts';

const HELP = `Tally Origin: RTMP ingest with stream keys; HTTP-FLV, HLS and RTMP play; API, metrics and webhooks.

Usage: npm run origin -- [options]
  --host ADDR              address to bind (default 127.0.0.1)
  --rtmp-port N            RTMP port (default 1935; 0 = any free port)
  --http-port N            HTTP port (default 8080; 0 = any free port)
  --data-dir DIR           where origin.db lives (default $TALLY_DATA_DIR or ./.tally-data)
  --stream NAME:KEY        declare a stream and its key (repeatable)
  --config FILE            JSON configuration (see server/README.md); options here win
  --admin-token TOKEN      API token (or $TALLY_ADMIN_TOKEN); otherwise generated once and stored hashed
  --on-publish URL, --on-unpublish URL, --on-play URL, --on-stop URL
                           webhooks (POST JSON, signed with --webhook-secret or $TALLY_WEBHOOK_SECRET)
  --webhook-timeout-ms N   webhook timeout (default 3000)
  --hls-segment-ms N       HLS target segment duration (default 2000)
  --no-hls                 no HLS output
  --shutdown-grace-ms N    how long ended HLS playlists stay served on shutdown (default 2000)
  --updates-dir DIR        serve Tally update feeds (latest/, beta/, alpha/ from npm run release) at /updates/
  --log-level LEVEL        debug, info, warn, error (default info, or $TALLY_LOG_LEVEL)
`;

function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`--${name} must be a whole number, got "${value}"`);
  return number;
}

/** Parses the command line into origin options. */
export function parseOriginArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { options: OriginOptions; logLevel: string; help: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      host: { type: 'string' },
      'rtmp-port': { type: 'string' },
      'http-port': { type: 'string' },
      'data-dir': { type: 'string' },
      stream: { type: 'string', multiple: true },
      config: { type: 'string' },
      'admin-token': { type: 'string' },
      'on-publish': { type: 'string' },
      'on-unpublish': { type: 'string' },
      'on-play': { type: 'string' },
      'on-stop': { type: 'string' },
      'webhook-secret': { type: 'string' },
      'webhook-timeout-ms': { type: 'string' },
      'hls-segment-ms': { type: 'string' },
      'no-hls': { type: 'boolean' },
      'shutdown-grace-ms': { type: 'string' },
      'updates-dir': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const streams = (values.stream ?? []).map((entry) => {
    const at = entry.indexOf(':');
    if (at <= 0) throw new Error(`--stream takes NAME:KEY, got "${entry.includes(':') ? entry : entry.slice(0, 64)}"`);
    return { name: entry.slice(0, at), key: entry.slice(at + 1) };
  });
  const cli: Partial<OriginOptions> = {
    ...(values.host ? { host: values.host } : {}),
    ...(values['rtmp-port'] ? { rtmpPort: int(values['rtmp-port'], 'rtmp-port') } : {}),
    ...(values['http-port'] ? { httpPort: int(values['http-port'], 'http-port') } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(values['shutdown-grace-ms'] ? { shutdownGraceMs: int(values['shutdown-grace-ms'], 'shutdown-grace-ms') } : {}),
    ...(values['updates-dir'] ? { updatesDir: resolve(values['updates-dir']) } : {}),
    streams,
    hls: {
      ...(values['no-hls'] ? { enabled: false } : {}),
      ...(values['hls-segment-ms'] ? { segmentDurationMs: int(values['hls-segment-ms'], 'hls-segment-ms') } : {}),
    },
    webhooks: {
      ...(values['on-publish'] ? { onPublish: values['on-publish'] } : {}),
      ...(values['on-unpublish'] ? { onUnpublish: values['on-unpublish'] } : {}),
      ...(values['on-play'] ? { onPlay: values['on-play'] } : {}),
      ...(values['on-stop'] ? { onStop: values['on-stop'] } : {}),
      ...((values['webhook-secret'] ?? env.TALLY_WEBHOOK_SECRET) ? { secret: values['webhook-secret'] ?? env.TALLY_WEBHOOK_SECRET } : {}),
      ...(values['webhook-timeout-ms'] ? { timeoutMs: int(values['webhook-timeout-ms'], 'webhook-timeout-ms') } : {}),
    },
  };
  const adminToken = values['admin-token'] ?? env.TALLY_ADMIN_TOKEN;
  if (adminToken) cli.adminToken = adminToken;
  const merged = mergeConfig(values.config ? loadOriginConfig(values.config) : {}, cli);
  const dataDir = resolve(merged.dataDir ?? env.TALLY_DATA_DIR ?? join(process.cwd(), '.tally-data'));
  return { options: { ...merged, dataDir }, logLevel: values['log-level'] ?? env.TALLY_LOG_LEVEL ?? 'info', help: values.help === true };
}

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs the origin until a signal; returns it for tests that drive the CLI in-process. */
export async function runOriginCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Origin | null> {
  const { options, logLevel, help } = parseOriginArgs(argv, env);
  if (help) {
    process.stdout.write(HELP);
    return null;
  }
  const log = createOriginLogger(logLevel);
  const origin = await startOrigin({ ...options, log, version: readVersion() });
  const out: string[] = [];
  for (const { name, key } of origin.createdStreams) {
    out.push(`Stream "${name}" created. Its key is shown only this once: ${key}`);
    out.push(`  Publish (OBS: Server ${origin.urls.rtmp}, Stream Key as above): ${origin.urls.rtmp}/${key}`);
    out.push(`  Watch: ${origin.urls.http}live/${name}`);
  }
  if (origin.generatedAdminToken)
    out.push(`Admin API token (Authorization: Bearer ...), shown only this once: ${origin.generatedAdminToken}`);
  out.push(`RTMP: ${origin.urls.rtmp}`, `HTTP: ${origin.urls.http}`);
  process.stdout.write(out.join('\n') + '\n');
  return origin;
}

if (import.meta.main) {
  runOriginCli(process.argv.slice(2)).then(
    (origin) => {
      if (!origin) return;
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) {
          process.exit(1);
        }
        stopping = true;
        process.stderr.write(`${signal}: shutting down\n`);
        origin.close().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(error);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    },
    (error: unknown) => {
      console.error(`tally origin: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
