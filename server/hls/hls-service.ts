/**
 * HLS for every stream of an origin: one `HlsMuxer` per stream, the HTTP answers for
 * playlists, init and media segments, and viewers. HLS has no connection to count, so a
 * viewer is a client (address + user agent) that fetched within the last few segment
 * durations; its first request asks `on_play`, and it counts as stopped (`on_stop`) once it
 * has been quiet for that long.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';
import type { SessionHost } from '../protocols/rtmp/session-host.ts';
import type { LiveStream } from '../stream/live-stream.ts';
import { HlsMuxer, type HlsOptions } from './hls-muxer.ts';

interface HlsViewer {
  sessionId: string;
  remoteAddress: string;
  firstSeenMs: number;
  lastSeenMs: number;
  allowed: Promise<boolean>;
  bytes: number;
}

const FILE_PATTERN = /^(?:index\.m3u8|init-[0-9a-f]+-\d+\.mp4|seg-[0-9a-f]+-\d+\.m4s)$/;

/** The HLS side of an origin. */
export class HlsService {
  private readonly options: HlsOptions;
  private readonly log: Logger;
  private readonly host: Pick<SessionHost, 'admitPlayer' | 'playerLeft'>;
  private readonly muxers = new Map<string, { muxer: HlsMuxer; stream: LiveStream }>();
  private readonly viewers = new Map<string, Map<string, HlsViewer>>();
  private readonly sweepTimer: NodeJS.Timeout;
  private nextViewerId = 1;

  constructor(options: HlsOptions, log: Logger, host: Pick<SessionHost, 'admitPlayer' | 'playerLeft'>) {
    this.options = options;
    this.log = log;
    this.host = host;
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

  /** Answers `GET /live/NAME/FILE`. Returns false when the file name is not an HLS file. */
  async serve(name: string, file: string, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    if (!FILE_PATTERN.test(file)) return false;
    const muxer = this.muxers.get(name)?.muxer;
    const body = file === 'index.m3u8' ? muxer?.playlist() : muxer?.file(file)?.bytes;
    if (!muxer || body === undefined || body === null) {
      response.writeHead(404, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-cache',
        'access-control-allow-origin': '*',
      });
      response.end(file === 'index.m3u8' ? 'stream is not live\n' : 'segment not found\n');
      return true;
    }
    if (!(await this.admit(name, request))) {
      response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'access-control-allow-origin': '*' });
      response.end('playback denied\n');
      return true;
    }
    const isPlaylist = file === 'index.m3u8';
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    this.countBytes(name, request, bytes.length);
    response.writeHead(200, {
      'content-type': isPlaylist ? 'application/vnd.apple.mpegurl' : (muxer.file(file)?.contentType ?? 'video/mp4'),
      'content-length': bytes.length,
      // Segment names never repeat (per-start epoch + sequence), so caches may keep them; the playlist changes.
      'cache-control': isPlaylist ? 'no-cache' : 'public, max-age=3600, immutable',
      'access-control-allow-origin': '*',
    });
    response.end(request.method === 'HEAD' ? undefined : bytes);
    return true;
  }

  private viewerKey(request: IncomingMessage): string {
    return `${request.socket.remoteAddress ?? ''}|${request.headers['user-agent'] ?? ''}`;
  }

  private async admit(name: string, request: IncomingMessage): Promise<boolean> {
    const nowMs = Date.now();
    let streamViewers = this.viewers.get(name);
    if (!streamViewers) this.viewers.set(name, (streamViewers = new Map<string, HlsViewer>()));
    const key = this.viewerKey(request);
    let viewer = streamViewers.get(key);
    if (!viewer) {
      const sessionId = `hls-${this.nextViewerId++}`;
      const remoteAddress = request.socket.remoteAddress ?? '';
      const allowed = this.host.admitPlayer(name, { sessionId, remoteAddress, protocol: 'hls' }).then((admission) => {
        if (!admission.ok)
          this.log.warn({ session: sessionId, remote: remoteAddress, stream: name, reason: admission.reason }, 'hls play refused');
        return admission.ok;
      });
      viewer = { sessionId, remoteAddress, firstSeenMs: nowMs, lastSeenMs: nowMs, allowed, bytes: 0 };
      streamViewers.set(key, viewer);
    }
    viewer.lastSeenMs = nowMs;
    return viewer.allowed;
  }

  private countBytes(name: string, request: IncomingMessage, bytes: number): void {
    const viewer = this.viewers.get(name)?.get(this.viewerKey(request));
    if (viewer) viewer.bytes += bytes;
    const stream = this.muxers.get(name)?.stream;
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
    void viewer.allowed.then((allowed) => {
      if (allowed)
        this.host.playerLeft(
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
