/**
 * The origin's configuration file (`--config FILE`, JSON): the same fields as
 * `OriginOptions`, checked with zod so a typo is an error at start, not a silent default.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { OriginOptions } from './origin.ts';

const port = z.number().int().min(0).max(65535);
const positive = z.number().int().positive();

/** The schema of the configuration file. */
export const originConfigSchema = z
  .object({
    host: z.string().min(1).optional(),
    rtmpPort: port.optional(),
    httpPort: port.optional(),
    dataDir: z.string().min(1).optional(),
    app: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
    streams: z.array(z.object({ name: z.string(), key: z.string() }).strict()).optional(),
    adminToken: z.string().min(16).optional(),
    shutdownGraceMs: z.number().int().min(0).max(60_000).optional(),
    hls: z
      .object({
        enabled: z.boolean().optional(),
        segmentDurationMs: z.number().int().min(500).max(30_000).optional(),
        windowSegments: z.number().int().min(2).max(60).optional(),
        reconnectWindowMs: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
    webhooks: z
      .object({
        onPublish: z.url().optional(),
        onUnpublish: z.url().optional(),
        onPlay: z.url().optional(),
        onStop: z.url().optional(),
        secret: z.string().min(1).optional(),
        timeoutMs: z.number().int().min(100).max(60_000).optional(),
      })
      .strict()
      .optional(),
    limits: z
      .object({
        maxConnections: positive.optional(),
        maxMessageBytes: z.number().int().min(1024).max(0x7fffffff).optional(),
        maxGopCacheBytes: positive.optional(),
        handshakeTimeoutMs: positive.optional(),
        startTimeoutMs: positive.optional(),
        idleTimeoutMs: positive.optional(),
        maxStreamsPerConnection: positive.optional(),
        backpressure: z.object({ maxQueuedBytes: positive, maxLagMs: positive }).strict().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** What a configuration file holds. */
export type OriginConfig = z.infer<typeof originConfigSchema>;

/** Reads and checks a configuration file; errors name the file and the field. */
export function loadOriginConfig(file: string): OriginConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read config ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const parsed = originConfigSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `config ${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** Merges a config file under command-line options (the command line wins). */
export function mergeConfig(file: OriginConfig, cli: Partial<OriginOptions>): Omit<OriginOptions, 'dataDir'> & { dataDir?: string } {
  return {
    ...file,
    ...cli,
    streams: [...(file.streams ?? []), ...(cli.streams ?? [])],
    hls: { ...file.hls, ...cli.hls },
    webhooks: { ...file.webhooks, ...cli.webhooks },
    limits: { ...file.limits, ...cli.limits },
  };
}
