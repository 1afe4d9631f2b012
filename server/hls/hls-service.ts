/**
 * HLS for every stream of an origin: one `HlsMuxer` per stream, the HTTP answers for
 * playlists, init and media segments, and viewers. HLS has no connection to count, so a
 * viewer is a client (address + user agent) that fetched within the last few segment
 * durations; its first request asks `on_play`, and it counts as stopped (`on_stop`) once it
 * has been quiet for that long. A signed link's token is checked on every request (playlists,
 * parts, segments) and carried into the URIs of the playlist it asked for.
 *
 * Low-Latency HLS (draft-pantos-hls-rfc8216bis 6.2.5, 6.2.6): a playlist request with
 * `_HLS_msn`/`_HLS_part` is held until that segment or part exists, a hinted part until it is
 * cut, each for at most three target durations (then 503); one that asks too far ahead gets
 * 400 at once. `_HLS_skip=YES` gets a delta update. Caching: parts and segments are immutable
 * (their names never repeat); a blocking or delta playlist names what it answers in its URL,
 * so a CDN may keep it for a while; the plain playlist for a second.
 */
import type { Logger } from '../log.ts';
import { withPlaybackToken } from '../auth/playback-tokens.ts';
import { httpStatusOf, type RefusalKind, type StreamAdmission } from '../stream/admission.ts';
import type { LiveStream } from '../stream/live-stream.ts';
import { HlsMuxer, type HlsOptions } from './hls-muxer.ts';
import { parseDeliveryDirectives } from './ll-hls-directives.ts';
import { HoldBudget } from './ll-hls-holds.ts';

/** HLS settings of the origin. */
export interface HlsServiceOptions extends HlsOptions {
  /** Blocking reloads and hinted part requests held at once, over every stream. */
  maxHeldRequests: number;
}

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

const FILE_PATTERN = /^(?:index\.m3u8|init-[0-9a-f]+-\d+\.mp4|seg-[0-9a-f]+-\d+\.m4s|part-[0-9a-f]+-\d+-\d+\.m4s)$/;

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';

/** A plain-text answer that no cache keeps. */
function textAnswer(status: number, body: string): HlsAnswer {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...CORS }, body };
}

/** The HLS side of an origin. */
export class HlsService {
  private readonly options: HlsServiceOptions;
  private readonly log: Logger;
  private readonly admission: Pick<StreamAdmission, 'admitPlayer' | 'checkPlayback' | 'playerLeft'>;
  private readonly holdBudget: HoldBudget;
  private readonly muxers = new Map<string, { muxer: HlsMuxer; stream: LiveStream }>();
  private readonly viewers = new Map<string, Map<string, HlsViewer>>();
  private readonly sweepTimer: NodeJS.Timeout;
  private nextViewerId = 1;

  constructor(options: HlsServiceOptions, log: Logger, admission: Pick<StreamAdmission, 'admitPlayer' | 'checkPlayback' | 'playerLeft'>) {
    this.options = options;
    this.log = log;
    this.admission = admission;
    this.holdBudget = new HoldBudget(options.maxHeldRequests);
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), 1000);
    this.sweepTimer.unref();
  }

  /** A viewer that has fetched nothing for this long has left. */
  private get viewerTimeoutMs(): number {
    return Math.max(10_000, 3 * this.options.segmentDurationMs * 2);
  }

  /** Starts packaging `stream`. */
  attach(stream: LiveStream): void {
    const muxer = new HlsMuxer(stream, this.options, this.log, Date.now, this.holdBudget);
    this.muxers.set(stream.name, { muxer, stream });
    stream.addReader(muxer);
  }

  /** Stops packaging a deleted stream. */
  detach(name: string): void {
    const entry = this.muxers.get(name);
    if (!entry) return;
    entry.stream.removeReader(entry.muxer);
    entry.muxer.end();
    entry.muxer.holds.release();
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

  /** Requests held open now (blocking reloads, hinted parts), over every stream. */
  get heldRequests(): number {
    return this.holdBudget.held;
  }

  /** Answers `GET /live/NAME/FILE`; null when FILE is not an HLS file name. */
  async serve(request: HlsRequest): Promise<HlsAnswer | null> {
    const { name, file } = request;
    if (!FILE_PATTERN.test(file)) return null;
    // The token first: whether a stream is live is for its viewers to know.
    const denied = this.checkEveryRequest(request);
    if (denied) return textAnswer(httpStatusOf(denied), 'playback denied\n');
    const muxer = this.muxers.get(name)?.muxer;
    const isPlaylist = file === 'index.m3u8';
    if (!muxer || (isPlaylist ? muxer.playlist() === null : muxer.partState(file) === 'never'))
      return textAnswer(404, isPlaylist ? 'stream is not live\n' : 'segment not found\n');
    const refusal = await this.admit(request);
    if (refusal) return textAnswer(httpStatusOf(refusal), 'playback denied\n');
    const answer = isPlaylist ? await this.playlistAnswer(muxer, request) : await this.fileAnswer(muxer, request);
    if (answer.status === 200 && answer.body) {
      this.countBytes(request, answer.body.length);
      if (request.method === 'HEAD') answer.body = undefined;
    }
    return answer;
  }

  /** The longest a request is held: three target durations (6.2.5.2), then 503. */
  private holdTimeoutMs(muxer: HlsMuxer): number {
    return 3 * 1000 * (muxer.targetDurationSeconds ?? Math.ceil(this.options.segmentDurationMs / 1000));
  }

  private async playlistAnswer(muxer: HlsMuxer, request: HlsRequest): Promise<HlsAnswer> {
    const directives = this.options.lowLatency ? parseDeliveryDirectives(request.query) : { skip: false };
    if ('error' in directives) return textAnswer(400, `${directives.error}\n`);
    const { msn, part } = directives;
    // Directives are ignored once the playlist has ended (6.2.5.1, 6.2.5.2).
    if (msn !== undefined && !muxer.hasEnded) {
      if (muxer.tooFarAhead(msn, part)) return textAnswer(400, '_HLS_msn/_HLS_part too far ahead of the playlist\n');
      const held = muxer.holds.hold(() => muxer.reached(msn, part), this.holdTimeoutMs(muxer));
      if (!held) return textAnswer(503, 'too many requests held\n');
      if (!(await held)) return textAnswer(503, 'the playlist did not reach that part in time\n');
    }
    const text = muxer.playlist(directives.skip);
    if (text === null) return textAnswer(404, 'stream is not live\n');
    const token = request.query.get('token');
    // A blocking or delta answer is what its URL asks for, so caches may keep it; the plain playlist changes every part.
    const cacheSeconds = msn !== undefined || directives.skip ? 6 * (muxer.targetDurationSeconds ?? 1) : 1;
    return {
      status: 200,
      headers: { 'content-type': PLAYLIST_TYPE, 'cache-control': `public, max-age=${cacheSeconds}`, ...CORS },
      body: Buffer.from(token ? withPlaybackToken(text, token) : text),
    };
  }

  private async fileAnswer(muxer: HlsMuxer, request: HlsRequest): Promise<HlsAnswer> {
    if (muxer.partState(request.file) === 'pending') {
      // A hinted part (6.2.6): answered once it is cut, with all its bytes at once.
      const held = muxer.holds.hold(() => muxer.partState(request.file) !== 'pending', this.holdTimeoutMs(muxer));
      if (!held) return textAnswer(503, 'too many requests held\n');
      await held;
    }
    const found = muxer.file(request.file);
    if (!found) return textAnswer(404, 'segment not found\n');
    return {
      status: 200,
      headers: {
        'content-type': found.contentType,
        'content-length': found.bytes.length,
        // Segment and part names never repeat (per-start epoch + sequence), so caches may keep them.
        'cache-control': 'public, max-age=31536000, immutable',
        ...CORS,
      },
      body: found.bytes,
    };
  }

  /** What every request must pass, however often the client came before (a signed link's token). */
  private checkEveryRequest(request: HlsRequest): RefusalKind | null {
    const refusal = this.admission.checkPlayback(
      { name: request.name, query: request.query },
      { sessionId: 'hls', remoteAddress: request.remoteAddress, protocol: 'hls' },
    );
    return refusal?.kind ?? null;
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
    for (const { muxer } of this.muxers.values()) muxer.holds.release();
  }
}
