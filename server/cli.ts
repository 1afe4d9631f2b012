/**
 * The origin's command line (`tally-origin`, `npm run origin`): flags, environment, the JSON
 * config and secrets files (all described once, in `config.ts`), printing, SIGTERM/SIGINT.
 *
 * Prints secrets created at this start once (a fresh origin's `main` key, a generated admin
 * token), then `RTMP: rtmp://HOST:PORT/live` and `HTTP: http://HOST:PORT/` on their own stdout
 * lines; logs go to stderr. SIGTERM/SIGINT shut down gracefully (HLS playlists end); SIGHUP reloads the TLS certificate.
 */
import { resolve } from 'node:path';
import { originHelp, parseOriginCommandLine, resolveOriginConfig, type OriginConfig } from './config.ts';
import { createOriginLogger } from './log.ts';
import { startOrigin, type Origin } from './origin.ts';
import { ORIGIN_VERSION } from './version.ts';

/** Parses the command line and environment into a checked configuration. */
export function parseOriginArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): { options: OriginConfig; help: boolean; warnings: string[] } {
  const { settings, help, secretFlags } = parseOriginCommandLine(argv, env);
  const updatesDir = settings.updatesDir as string | undefined;
  const options = resolveOriginConfig({
    ...settings,
    dataDir: resolve(cwd, (settings.dataDir as string | undefined) ?? '.tally-data'),
    ...(updatesDir ? { updatesDir: resolve(cwd, updatesDir) } : {}),
  });
  const warnings = secretFlags.length
    ? [
        `${[...new Set(secretFlags)].join(', ')} on the command line can be read by every user of this machine (ps) and lands in shell history; ` +
          'use TALLY_STREAMS / TALLY_ADMIN_TOKEN / TALLY_WEBHOOK_SECRET or a --secrets-file of mode 0600 instead',
      ]
    : [];
  return { options, help, warnings };
}

/** Runs the origin until a signal; returns it (null for --help) for tests that drive the CLI in-process. */
export async function runOriginCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Origin | null> {
  const { options: config, help, warnings } = parseOriginArgs(argv, env);
  if (help) {
    process.stdout.write(originHelp());
    return null;
  }
  for (const warning of warnings) process.stderr.write(`tally origin: warning: ${warning}\n`);
  const log = createOriginLogger(config.logLevel);
  const origin = await startOrigin({ ...config, log, version: ORIGIN_VERSION });
  const out: string[] = [];
  for (const { name, key } of origin.createdStreams) {
    out.push(`Stream "${name}" created. Its key is shown only this once: ${key}`);
    out.push(`  Publish (OBS: Server ${origin.urls.rtmp}, Stream Key as above): ${origin.urls.rtmp}/${key}`);
    out.push(`  Watch: ${origin.urls.http}live/${name}`);
  }
  if (origin.generatedAdminToken)
    out.push(`Admin API token (Authorization: Bearer ...), shown only this once: ${origin.generatedAdminToken}`);
  out.push(`RTMP: ${origin.urls.rtmp}`, ...(origin.urls.rtmps ? [`RTMPS: ${origin.urls.rtmps}`] : []), `HTTP: ${origin.urls.http}`);
  process.stdout.write(out.join('\n') + '\n');
  return origin;
}

/** The process entry: runs the CLI, and shuts down on SIGTERM/SIGINT (a second signal exits at once). */
export function main(): void {
  runOriginCli(process.argv.slice(2)).then(
    (origin) => {
      if (!origin) return;
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) process.exit(1);
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
      // SIGHUP: a renewed certificate, for new connections; live streams carry on.
      process.on('SIGHUP', () => origin.reloadCertificates());
    },
    (error: unknown) => {
      console.error(`tally origin: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

if (import.meta.main) main();
