/**
 * The one adapter between the studio and the embedded Tally Origin (`server/origin.ts`'s
 * public `startOrigin`): it runs the origin in-process on loopback (or on every interface
 * when the user asks to serve the LAN, where the origin's API and metrics require its admin
 * token), with one stream the studio publishes to, and says where viewers watch. When the
 * origin's options change shape, only this file follows.
 */
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { EncoderSettings } from '../../../common/host/outputs-contract.ts';
import { startOrigin } from '../../../server/origin.ts';
import type { Logger } from '../logger.ts';

/**
 * HLS for the studio's keyframe interval, whatever it is set to (whole seconds, 1 to 10):
 * segments are cut at the first keyframe 1 s in, so each is one GOP and starts on a keyframe,
 * and the target duration is the GOP (fixed from the first whole one, `server/hls/hls-muxer.ts`).
 * The longest segment allowed stays above the longest interval, so a 10 s GOP whose keyframe
 * comes a frame late (the encoder keys the first frame due, and frames can be dropped) is
 * not cut before it.
 */
const STUDIO_HLS = {
  segmentDurationMs: 1000,
  maxSegmentDurationMs: ((EncoderSettings.shape.keyframeIntervalSec.maxValue ?? 10) + 2) * 1000,
};

export interface LocalOriginOptions {
  /** The studio's data directory; the origin keeps `origin/origin.db` inside it. */
  dataDir: string;
  /** Listen on every interface (for viewers on the LAN) instead of loopback. */
  lan: boolean;
  /** The stream the studio publishes (its name is public, in viewer URLs). */
  streamName: string;
  streamKey: string;
  /** The origin's admin API token (at least 16 characters). */
  adminToken: string;
  /** Ports to try first (the last ones used, so viewer links stay the same); 0 or busy: any free port. */
  rtmpPort: number;
  httpPort: number;
  log: Logger;
}

/** A running local origin. */
export interface LocalOrigin {
  /** Where the studio publishes: `rtmp://127.0.0.1:PORT/live` (the key goes apart). */
  publishServerUrl: string;
  /** The player page: `http://HOST:PORT/live/NAME`. */
  viewerUrl: string;
  playback: { hls: string; flv: string; rtmp: string };
  ports: { rtmp: number; http: number };
  close(): Promise<void>;
}

/** The address other machines reach this one at, for LAN viewer links (the first non-internal IPv4). */
export function lanAddress(interfaces = networkInterfaces()): string | null {
  for (const entries of Object.values(interfaces))
    for (const entry of entries ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  return null;
}

/** Starts the origin; tries the remembered ports first and any free ones when they are taken. */
export async function startLocalOrigin(options: LocalOriginOptions): Promise<LocalOrigin> {
  const start = (rtmpPort: number, httpPort: number) =>
    startOrigin({
      dataDir: join(options.dataDir, 'origin'),
      host: options.lan ? '0.0.0.0' : '127.0.0.1',
      rtmpPort,
      httpPort,
      streams: [{ name: options.streamName, key: options.streamKey }],
      adminToken: options.adminToken,
      shutdownGraceMs: 500,
      hls: STUDIO_HLS,
      log: options.log,
    });
  let origin;
  try {
    origin = await start(options.rtmpPort, options.httpPort);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || (options.rtmpPort === 0 && options.httpPort === 0)) throw error;
    origin = await start(0, 0);
  }
  const rtmp = new URL(origin.urls.rtmp.replace(/^rtmp:/, 'http:'));
  const http = new URL(origin.urls.http);
  const publicHost = options.lan ? (lanAddress() ?? http.hostname) : http.hostname;
  const name = options.streamName;
  const httpBase = `http://${publicHost}:${http.port}`;
  return {
    publishServerUrl: `rtmp://127.0.0.1:${rtmp.port}/live`,
    viewerUrl: `${httpBase}/live/${name}`,
    playback: {
      hls: `${httpBase}/live/${name}/index.m3u8`,
      flv: `${httpBase}/live/${name}.flv`,
      rtmp: `rtmp://${publicHost}:${rtmp.port}/live/${name}`,
    },
    ports: { rtmp: Number(rtmp.port), http: Number(http.port) },
    close: () => origin.close(),
  };
}
