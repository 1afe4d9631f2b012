/**
 * The host API contract: every call and event between the studio renderer and its host,
 * written once. Electron IPC (main/electron + preload), the WebSocket host (main/web) and
 * the renderer client (renderer/host) are all derived from this object.
 */
import { z } from 'zod';
import { call, event } from './contract-kit.ts';

/** Where the ffmpeg binary came from: `TALLY_FFMPEG`, a copy bundled with Tally, or PATH. */
export const FfmpegSource = z.enum(['configured', 'bundled', 'path']);

/** The ffmpeg binary the host resolved, or why none was found. */
export const FfmpegInfo = z.discriminatedUnion('found', [
  z.object({
    found: z.literal(true),
    /** Absolute path of the binary. */
    path: z.string(),
    /** Version string as ffmpeg prints it, e.g. `5.1.6-0+deb12u1`. */
    version: z.string(),
    source: FfmpegSource,
  }),
  z.object({ found: z.literal(false), error: z.string() }),
]);
export type FfmpegInfo = z.infer<typeof FfmpegInfo>;

/** What `app.getInfo()` returns. */
export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** `electron` for the desktop app, `web` when the studio runs in a browser via the web host. */
  runtime: z.enum(['electron', 'web']),
  platform: z.object({
    os: z.string(),
    arch: z.string(),
    nodeVersion: z.string(),
    /** Present only in the Electron runtime. */
    electronVersion: z.string().nullable(),
  }),
  /** The directory holding the database, recordings index and settings. */
  dataDir: z.string(),
  database: z.object({ path: z.string(), schemaVersion: z.number().int().nonnegative() }),
  ffmpeg: FfmpegInfo,
});
export type AppInfo = z.infer<typeof AppInfo>;

/** Host process figures, sent once a second. */
export const HostStats = z.object({
  /** CPU used by the host process over the last interval, 100 = one full core. */
  cpuPercent: z.number().nonnegative(),
  rssBytes: z.number().int().nonnegative(),
  heapUsedBytes: z.number().int().nonnegative(),
  uptimeMs: z.number().nonnegative(),
});
export type HostStats = z.infer<typeof HostStats>;

export const hostContract = {
  app: {
    /** Version, platform, data directory and the ffmpeg the host found. */
    getInfo: call(z.tuple([]), AppInfo),
    /** Host process figures, once a second, for the status bar. */
    onDidUpdateStats: event(HostStats),
  },
} as const;

export type HostContract = typeof hostContract;
