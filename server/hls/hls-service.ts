/**
 * HLS for every stream of an origin: one `HlsMuxer` per stream, the HTTP answers for
 * playlists, init and media segments, and viewers. HLS has no connection to count, so a
 * viewer is a client (address + user agent) that fetched within the last few segment
 * durations; its first request asks `on_play`, and it counts as stopped (`on_stop`) once it
 * has been quiet for that long.
 */
import type { Logger } from '../log.ts';
import { httpStatusOf, type RefusalKind, type StreamAdmission } from '../stream/admission.ts';
import type { LiveStream } from '../stream/live-stream.ts';
import { HlsMuxer, type HlsOptions } from './hls-muxer.ts';

interface HlsViewer {
  sessionId: string;
  remoteAddress: string;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Admission's answer: null when allowed, else why not. */
  refusal: Promise<RefusalKind | null>;
  bytes: number;
}

/** A client's request for an HLS file. */
export interface HlsRequest {
  name: string;
  file: string;
  method: string;
  remoteAddress: string;
  userAgent: string;
  query: URLSearchParams;
}

/** What to answer, independent of the HTTP framework. */
export interface HlsAnswer {
  status: number;
  headers: Record<string, string | number>;
  body: string | Uint8Array | undefined;
}

const CORS = { 'access-control-allow-origin': '*' };

const FILE_PATTERN = /^(?:index\.m3u8|init-[0-9a-f]+-\d+\.mp4|seg-[0-9a-f]+-\d+\.m4s)$/;

/** The HLS side of an origin. */
export class HlsService {
  private readonly options: HlsOptions;
  private readonly log: Logger;
  private readonly admission: Pick<StreamAdmission, 'admitPlayer' | 'playerLeft'>;
  private readonly muxers = new Map<string, { muxer: HlsMuxer; stream: LiveStream }>();
  private readonly viewers = new Map<string, Map<string, HlsViewer>>();
  private readonly sweepTimer: NodeJS.Timeout;
  private nextViewerId = 1;

  constructor(options: HlsOptions, log: Logger, admission: Pick<StreamAdmission, 'admitPlayer' | 'playerLeft'>) {
    this.options = options;
    this.log = log;
    this.admission = admission;
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), 1000);
    this.sweepTimer.unref();
  }

  /** A viewer that has fetched nothing for this long has left. */
  private get viewerTimeoutMs(): number {
    return Math.max(10_000, 3 * this.options.segmentDurationMs * 2);
  }

  /** Starts packaging `stream`. */
  attach(stream: LiveStream): void {
    const muxer = new HlsMuxer(stream, this.options, this.log);
    this.muxers.set(stream.name, { muxer, stream });
    stream.addReader(muxer);
  }

  /** Stops packaging a deleted stream. */
  detach(name: string): void {
    const entry = this.muxers.get(name);
    if (!entry) return;
    entry.stream.removeReader(entry.muxer);
    entry.muxer.end();
    this.muxers.delete(name);
    for (const viewer of this.viewers.get(name)?.values() ?? []) this.leave(name, viewer, Date.now());
    this.viewers.delete(name);
  }

  /** The packager of a stream. */
  muxer(name: string): HlsMuxer | undefined {
    return this.muxers.get(name)?.muxer;
  }

  /** Current HLS viewers of a stream. */
  viewerCount(name: string): number {
    return this.viewers.get(name)?.size ?? 0;
  }

  /** Ends every playlist (shutdown). */
  endAll(): void {
    for (const { muxer } of this.muxers.values()) muxer.end();
  }

  /** Answers `GET /live/NAME/FILE`; null when FILE is not an HLS file name. */
  async serve(request: HlsRequest): Promise<HlsAnswer | null> {
    const { name, file } = request;
    if (!FILE_PATTERN.test(file)) return null;
    const muxer = this.muxers.get(name)?.muxer;
    const isPlaylist = file === 'index.m3u8';
    const found = isPlaylist ? muxer?.playlist() : muxer?.file(file);
    if (!muxer || found === undefined || found === null)
      return {
        status: 404,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache', ...CORS },
        body: isPlaylist ? 'stream is not live\n' : 'segment not found\n',
      };
    const refusal = await this.admit(request);
    if (refusal)
      return {
        status: httpStatusOf(refusal),
        headers: { 'content-type': 'text/plain; charset=utf-8', ...CORS },
        body: 'playback denied\n',
      };
    const bytes = typeof found === 'string' ? Buffer.from(found) : found.bytes;
    this.countBytes(request, bytes.length);
    return {
      status: 200,
      headers: {
        'content-type': typeof found === 'string' ? 'application/vnd.apple.mpegurl' : found.contentType,
        'content-length': bytes.length,
        // Segment names never repeat (per-start epoch + sequence), so caches may keep them; the playlist changes.
        'cache-control': isPlaylist ? 'no-cache' : 'public, max-age=3600, immutable',
        ...CORS,
      },
      body: request.method === 'HEAD' ? undefined : bytes,
    };
  }

  private viewerKey(request: HlsRequest): string {
    return `${request.remoteAddress}|${request.userAgent}`;
  }

  private async admit(request: HlsRequest): Promise<RefusalKind | null> {
    const { name } = request;
    const nowMs = Date.now();
    let streamViewers = this.viewers.get(name);
    if (!streamViewers) this.viewers.set(name, (streamViewers = new Map<string, HlsViewer>()));
    const key = this.viewerKey(request);
    let viewer = streamViewers.get(key);
    if (!viewer) {
      const sessionId = `hls-${this.nextViewerId++}`;
      const { remoteAddress } = request;
      const refusal = this.admission
        .admitPlayer({ name, query: request.query }, { sessionId, remoteAddress, protocol: 'hls' })
        .then((admission) => {
          if (admission.ok) return null;
          this.log.warn({ session: sessionId, remote: remoteAddress, stream: name, reason: admission.reason }, 'hls play refused');
          return admission.kind;
        });
      viewer = { sessionId, remoteAddress, firstSeenMs: nowMs, lastSeenMs: nowMs, refusal, bytes: 0 };
      streamViewers.set(key, viewer);
    }
    viewer.lastSeenMs = nowMs;
    return viewer.refusal;
  }

  private countBytes(request: HlsRequest, bytes: number): void {
    const viewer = this.viewers.get(request.name)?.get(this.viewerKey(request));
    if (viewer) viewer.bytes += bytes;
    const stream = this.muxers.get(request.name)?.stream;
    if (stream) stream.stats.bytesOut.hls += bytes;
  }

  private sweep(nowMs: number): void {
    for (const [name, streamViewers] of this.viewers) {
      for (const [key, viewer] of streamViewers) {
        if (nowMs - viewer.lastSeenMs < this.viewerTimeoutMs) continue;
        streamViewers.delete(key);
        this.leave(name, viewer, nowMs);
      }
    }
  }

  private leave(name: string, viewer: HlsViewer, nowMs: number): void {
    void viewer.refusal.then((refusal) => {
      if (refusal === null)
        this.admission.playerLeft(
          name,
          { sessionId: viewer.sessionId, remoteAddress: viewer.remoteAddress, protocol: 'hls' },
          { durationMs: nowMs - viewer.firstSeenMs, bytes: viewer.bytes },
        );
    });
  }

  /** Stops timers and ends every playlist. */
  dispose(): void {
    clearInterval(this.sweepTimer);
    this.endAll();
  }
}
