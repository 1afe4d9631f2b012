/**
 * The one description of the origin's configuration: a zod schema whose fields carry their
 * defaults, their bounds, their help and (in `optionMeta`) their command-line flag and
 * environment variable. From it come the types (`OriginSettings` in, `OriginConfig` out),
 * the defaults, the command-line parser, the help text, and the check of the merged result,
 * whichever source each value came from.
 *
 * Sources, later ones winning: defaults < `--config FILE` (JSON) < `--secrets-file FILE`
 * (JSON, secrets only) < environment < command line. Streams from every source add up.
 * Secrets (stream keys, the admin token, the webhook secret) belong in the environment or in
 * a file only its owner can read (mode 0600): a file that holds secrets and is readable by
 * group or others is refused, and secrets given as flags (visible in `ps`) get a warning.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { STREAM_KEY_PATTERN, STREAM_NAME_PATTERN } from './auth/stream-access.ts';

/** How one field appears outside the config file. */
export interface OptionMeta {
  /** Its command-line flag, without `--`. */
  flag?: string;
  /** A boolean flag that sets the field to false (`--no-hls`). */
  negates?: boolean;
  /** The placeholder in the help text (`N`, `URL`). */
  value?: string;
  /** Its environment variable. */
  env?: string;
  /** The field is a secret: never echoed, and a warning when it comes as a flag. */
  secret?: boolean;
  /** One line of help. */
  help: string;
}

/** The flags, variables and help of the schema's fields. */
export const optionMeta = z.registry<OptionMeta>();

const port = z.number().int().min(0).max(65535);
const positiveInt = z.number().int().positive();
const url = z.url({ protocol: /^https?$/ });

const streamSchema = z
  .object({
    name: z.string().regex(STREAM_NAME_PATTERN, 'letters, digits, _ and -, 1 to 64'),
    key: z.string().regex(STREAM_KEY_PATTERN, '16 to 256 characters of A-Z a-z 0-9 . _ ~ -'),
  })
  .strict();

/** The schema of the origin's configuration (the config file, `startOrigin`'s options, the command line). */
export const originConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1').register(optionMeta, { flag: 'host', value: 'ADDR', help: 'address to bind' }),
    rtmpPort: port.default(1935).register(optionMeta, { flag: 'rtmp-port', value: 'N', help: 'RTMP port (0 = any free port)' }),
    httpPort: port.default(8080).register(optionMeta, { flag: 'http-port', value: 'N', help: 'HTTP port (0 = any free port)' }),
    dataDir: z.string().min(1).register(optionMeta, {
      flag: 'data-dir',
      value: 'DIR',
      env: 'TALLY_DATA_DIR',
      help: 'where origin.db lives (relative to the working directory)',
    }),
    app: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .default('live')
      .register(optionMeta, { flag: 'app', value: 'NAME', help: 'RTMP application name' }),
    streams: z.array(streamSchema).default([]).register(optionMeta, {
      flag: 'stream',
      value: 'NAME:KEY',
      env: 'TALLY_STREAMS',
      secret: true,
      help: 'declare a stream and its key (repeatable; the variable takes NAME:KEY pairs separated by spaces or commas)',
    }),
    adminToken: z.string().min(16).optional().register(optionMeta, {
      flag: 'admin-token',
      value: 'TOKEN',
      env: 'TALLY_ADMIN_TOKEN',
      secret: true,
      help: 'API token (16+ characters); otherwise one is generated once, printed once and stored hashed',
    }),
    tls: z
      .object({
        certFile: z.string().min(1).optional().register(optionMeta, {
          flag: 'tls-cert',
          value: 'FILE',
          help: 'PEM certificate chain: HTTPS (HTTP/2) and RTMPS; reloaded on SIGHUP',
        }),
        keyFile: z.string().min(1).optional().register(optionMeta, { flag: 'tls-key', value: 'FILE', help: 'its PEM private key' }),
        rtmpsPort: port
          .default(1936)
          .register(optionMeta, { flag: 'rtmps-port', value: 'N', help: 'RTMPS port, with a certificate (0 = any free port)' }),
      })
      .strict()
      .refine(
        (tls) => (tls.certFile === undefined) === (tls.keyFile === undefined),
        'a certificate needs its key, and a key its certificate',
      )
      .prefault({}),
    shutdownGraceMs: z
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(2000)
      .register(optionMeta, { flag: 'shutdown-grace-ms', value: 'N', help: 'how long ended HLS playlists stay served on shutdown' }),
    updatesDir: z.string().min(1).optional().register(optionMeta, {
      flag: 'updates-dir',
      value: 'DIR',
      help: 'serve Tally update feeds (latest/, beta/, alpha/ from npm run release) at /updates/',
    }),
    logLevel: z
      .enum(['debug', 'info', 'warn', 'error'])
      .default('info')
      .register(optionMeta, { flag: 'log-level', value: 'LEVEL', env: 'TALLY_LOG_LEVEL', help: 'debug, info, warn or error' }),
    hls: z
      .object({
        enabled: z.boolean().default(true).register(optionMeta, { flag: 'no-hls', negates: true, help: 'no HLS output' }),
        segmentDurationMs: z
          .number()
          .int()
          .min(500)
          .max(30_000)
          .default(1000)
          .register(optionMeta, { flag: 'hls-segment-ms', value: 'N', help: 'HLS segment duration: cut at the first keyframe after it' }),
        windowSegments: z.number().int().min(2).max(60).default(12),
        reconnectWindowMs: z.number().int().min(0).max(600_000).default(10_000),
        maxSegmentDurationMs: z.number().int().min(1000).max(60_000).default(10_000),
        lowLatency: z
          .boolean()
          .default(true)
          .register(optionMeta, { flag: 'no-ll-hls', negates: true, help: 'plain HLS: no parts, blocking reloads or delta updates' }),
        partDurationMs: z
          .number()
          .int()
          .min(100)
          .max(2000)
          .default(200)
          .register(optionMeta, { flag: 'hls-part-ms', value: 'N', help: 'LL-HLS part duration aimed at' }),
        /** Blocking reloads and hinted part requests held at once, over every stream; more get 503. */
        maxHeldRequests: positiveInt.default(10_000),
      })
      .strict()
      .prefault({}),
    webhooks: z
      .object({
        onPublish: url.optional().register(optionMeta, { flag: 'on-publish', value: 'URL', help: 'webhook that decides who may publish' }),
        onUnpublish: url
          .optional()
          .register(optionMeta, { flag: 'on-unpublish', value: 'URL', help: 'webhook told when a publisher leaves' }),
        onPlay: url.optional().register(optionMeta, { flag: 'on-play', value: 'URL', help: 'webhook that decides who may watch' }),
        onStop: url.optional().register(optionMeta, { flag: 'on-stop', value: 'URL', help: 'webhook told when a viewer leaves' }),
        secret: z.string().min(1).optional().register(optionMeta, {
          flag: 'webhook-secret',
          value: 'SECRET',
          env: 'TALLY_WEBHOOK_SECRET',
          secret: true,
          help: 'HMAC-SHA256 key that signs webhook requests',
        }),
        timeoutMs: z
          .number()
          .int()
          .min(100)
          .max(60_000)
          .default(3000)
          .register(optionMeta, { flag: 'webhook-timeout-ms', value: 'N', help: 'webhook timeout' }),
      })
      .strict()
      .prefault({}),
    playbackTokens: z
      .object({
        secret: z.string().min(32).optional().register(optionMeta, {
          flag: 'playback-secret',
          value: 'SECRET',
          env: 'TALLY_PLAYBACK_SECRET',
          secret: true,
          help: 'HMAC-SHA256 key that signs playback tokens (32+ characters; origins behind one CDN share it); otherwise one is generated and stored',
        }),
        previousSecret: z.string().min(32).optional().register(optionMeta, {
          env: 'TALLY_PLAYBACK_PREVIOUS_SECRET',
          secret: true,
          help: 'the key before it, still accepted during a rotation',
        }),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        maxConnections: positiveInt.default(1000),
        // RTMP message lengths are 24-bit, so 16 MiB is more than any message can announce.
        maxMessageBytes: z
          .number()
          .int()
          .min(1024)
          .max(16 * 1024 * 1024)
          .default(16 * 1024 * 1024),
        maxGopCacheBytes: positiveInt.default(32 * 1024 * 1024),
        maxMetadataBytes: z
          .number()
          .int()
          .min(1024)
          .max(16 * 1024 * 1024)
          .default(64 * 1024),
        handshakeTimeoutMs: positiveInt.default(10_000),
        startTimeoutMs: positiveInt.default(15_000),
        idleTimeoutMs: positiveInt.default(30_000),
        maxStreamsPerConnection: positiveInt.default(8),
        /**
         * Video frames gathered per write to each viewer, audio riding along: 2 halves the writes (about a fifth
         * less CPU per viewer) for at most one frame (33 ms at 30 fps) of delay; 1 is the lowest latency.
         */
        framesPerWrite: z.number().int().min(1).max(4).default(2),
        backpressure: z
          .object({ maxQueuedBytes: positiveInt.default(4 * 1024 * 1024), maxLagMs: positiveInt.default(10_000) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** What may be given: every field but `dataDir` optional. */
export type OriginSettings = z.input<typeof originConfigSchema>;
/** The resolved configuration, every default filled in. */
export type OriginConfig = z.output<typeof originConfigSchema>;

/** The fields a secrets file may hold. */
const secretsFileSchema = z
  .object({
    adminToken: z.string().optional(),
    streams: z.array(z.unknown()).optional(),
    webhooks: z.object({ secret: z.string().optional() }).strict().optional(),
    playbackTokens: z.object({ secret: z.string().optional(), previousSecret: z.string().optional() }).strict().optional(),
  })
  .strict();

/** Checks settings (merged from any sources) and fills in the defaults. Errors name each field, and its flag. */
export function resolveOriginConfig(settings: unknown, source = 'configuration'): OriginConfig {
  const parsed = originConfigSchema.safeParse(settings);
  if (parsed.success) return parsed.data;
  throw new Error(`${source}: ${parsed.error.issues.map(describeIssue).join('; ')}`);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.join('.') || '(top level)';
  const leaf = fieldAt(issue.path.filter((part) => typeof part === 'string'));
  const meta = leaf && optionMeta.get(leaf);
  return `${path}${meta?.flag ? ` (--${meta.flag}${meta.env ? `, ${meta.env}` : ''})` : ''}: ${issue.message}`;
}

/** The schema of the field at `path`, if the path names one. */
function fieldAt(path: readonly string[]): z.ZodType | undefined {
  let schema: z.ZodType = originConfigSchema;
  for (const part of path) {
    const object = unwrap(schema);
    if (!(object instanceof z.ZodObject)) return undefined;
    const next = (object.shape as Record<string, z.ZodType>)[part];
    if (!next) return undefined;
    schema = next;
  }
  return schema;
}

/** The schema inside defaults and optionals. */
function unwrap(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional)
    inner = inner._zod.def.innerType as z.ZodType;
  return inner;
}

/** Every field with a flag or a variable, with its path in the configuration. */
export function optionFields(): { path: string[]; schema: z.ZodType; meta: OptionMeta }[] {
  const fields: { path: string[]; schema: z.ZodType; meta: OptionMeta }[] = [];
  const walk = (schema: z.ZodType, path: string[]) => {
    const meta = optionMeta.get(schema);
    if (meta) fields.push({ path, schema: unwrap(schema), meta });
    const inner = unwrap(schema);
    if (inner instanceof z.ZodObject) for (const [key, child] of Object.entries<z.ZodType>(inner.shape)) walk(child, [...path, key]);
  };
  walk(originConfigSchema, []);
  return fields;
}

/** The defaults, as `startOrigin` applies them. */
export function originDefaults(): OriginConfig {
  return originConfigSchema.parse({ dataDir: '.tally-data' });
}

/** The help text, from the schema: every flag, its default and its variable. */
export function originHelp(): string {
  const defaults = originDefaults() as unknown as Record<string, unknown>;
  const lines = ['Tally Origin: RTMP ingest with stream keys; HTTP-FLV, HLS and RTMP play; API, metrics and webhooks.', ''];
  lines.push('Usage: tally-origin [options]        (from the repository: npm run origin -- [options])', '');
  const rows: [string, string][] = [
    ['--config FILE', 'JSON configuration with the fields of server/README.md; the options below win'],
    ['--secrets-file FILE', 'JSON with adminToken, streams and webhooks.secret; mode 0600 (or $TALLY_SECRETS_FILE)'],
  ];
  for (const { path, meta } of optionFields()) {
    if (!meta.flag) continue;
    const value = path.reduce<unknown>((object, key) => (object as Record<string, unknown> | undefined)?.[key], defaults);
    const shown =
      meta.secret || meta.negates || value === undefined || (Array.isArray(value) && value.length === 0)
        ? ''
        : ` (default ${typeof value === 'string' ? value : JSON.stringify(value)})`;
    const env = meta.env ? ` [$${meta.env}]` : '';
    const secret = meta.secret && meta.env ? '; prefer the variable or --secrets-file: flags show in ps' : '';
    rows.push([`--${meta.flag}${meta.value ? ` ${meta.value}` : ''}`, `${meta.help}${shown}${env}${secret}`]);
  }
  rows.push(['-h, --help', 'this text']);
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  for (const [flag, help] of rows) lines.push(`  ${flag.padEnd(width)}${help}`);
  return `${lines.join('\n')}\n`;
}

/** What the command line and environment say, before merging. */
export interface ParsedCommandLine {
  /** Settings from the config file, the secrets file, the environment and the flags, merged. */
  settings: Record<string, unknown>;
  help: boolean;
  /** Secrets that came as flags (visible in `ps`): warn about them. */
  secretFlags: string[];
}

/** Parses flags and environment into merged settings (not yet checked: `resolveOriginConfig` does that). */
export function parseOriginCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCommandLine {
  const fields = optionFields();
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    config: { type: 'string' },
    'secrets-file': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const { meta, schema } of fields)
    if (meta.flag)
      options[meta.flag] = { type: meta.negates ? 'boolean' : 'string', ...(schema instanceof z.ZodArray ? { multiple: true } : {}) };
  const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });

  const layers: Record<string, unknown>[] = [];
  const configFile = values.config as string | undefined;
  if (configFile) {
    const layer = readJsonFile(configFile, 'config');
    // Checked on its own too, so an error names the file it is in.
    resolveOriginConfig({ dataDir: '.', ...layer }, `config ${configFile}`);
    layers.push(layer);
  }
  const secretsFile = (values['secrets-file'] as string | undefined) ?? env.TALLY_SECRETS_FILE;
  if (secretsFile) {
    const secrets = readJsonFile(secretsFile, 'secrets file');
    const checked = secretsFileSchema.safeParse(secrets);
    if (!checked.success)
      throw new Error(
        `secrets file ${secretsFile}: only adminToken, streams, webhooks.secret and playbackTokens belong there (${checked.error.issues[0]!.message})`,
      );
    layers.push(secrets);
  }
  const fromEnv: Record<string, unknown> = {};
  const fromFlags: Record<string, unknown> = {};
  const secretFlags: string[] = [];
  for (const { path, meta, schema } of fields) {
    const raw = meta.env ? env[meta.env] : undefined;
    if (raw !== undefined && raw !== '') setAt(fromEnv, path, convert(raw, schema, `$${meta.env}`));
    const flag = meta.flag ? values[meta.flag] : undefined;
    if (flag === undefined) continue;
    if (meta.secret) secretFlags.push(`--${meta.flag}`);
    setAt(fromFlags, path, meta.negates ? flag !== true : convert(flag as string | string[], schema, `--${meta.flag}`));
  }
  layers.push(fromEnv, fromFlags);
  return { settings: layers.reduce(mergeSettings, {}), help: values.help === true, secretFlags };
}

/** A flag's or variable's text as the field's type; the schema checks the value after the merge. */
function convert(raw: string | string[], schema: z.ZodType, name: string): unknown {
  if (schema instanceof z.ZodArray) {
    const entries = (Array.isArray(raw) ? raw : raw.split(/[\s,]+/)).filter((entry) => entry !== '');
    return entries.map((entry) => {
      const at = entry.indexOf(':');
      if (at <= 0) throw new Error(`${name} takes NAME:KEY, got "${entry.includes(':') ? entry : entry.slice(0, 64)}"`);
      return { name: entry.slice(0, at), key: entry.slice(at + 1) };
    });
  }
  const text = Array.isArray(raw) ? raw.at(-1)! : raw;
  if (schema instanceof z.ZodNumber) {
    if (!/^-?\d+$/.test(text.trim())) throw new Error(`${name} must be a whole number, got "${text}"`);
    return Number(text);
  }
  if (schema instanceof z.ZodBoolean) return !/^(0|false|no|off)$/i.test(text);
  return text;
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let object = target;
  for (const key of path.slice(0, -1)) object = (object[key] ??= {}) as Record<string, unknown>;
  object[path.at(-1)!] = value;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Merges settings: nested objects field by field, streams added up, anything else replaced. */
export function mergeSettings(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = merged[key];
    if (key === 'streams' && Array.isArray(current) && Array.isArray(value))
      merged[key] = [...(current as unknown[]), ...(value as unknown[])];
    else if (isRecord(current) && isRecord(value)) merged[key] = mergeSettings(current, value);
    else merged[key] = value;
  }
  return merged;
}

/**
 * Reads a JSON file of settings. A file that holds secrets (keys, tokens) must be readable by
 * its owner only: anything else is refused, as ssh refuses a private key others can read.
 */
function readJsonFile(file: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!isRecord(parsed)) throw new Error(`${what} ${file}: expected a JSON object`);
  const webhooks = parsed.webhooks;
  const holdsSecrets =
    parsed.adminToken !== undefined ||
    parsed.playbackTokens !== undefined ||
    (Array.isArray(parsed.streams) && parsed.streams.length > 0) ||
    (isRecord(webhooks) && webhooks.secret !== undefined);
  const mode = statSync(file).mode & 0o777;
  if (holdsSecrets && (mode & 0o077) !== 0)
    throw new Error(
      `${what} ${file} holds secrets but is readable by others (mode ${mode.toString(8).padStart(4, '0')}): chmod 600 ${file}`,
    );
  return parsed;
}
