/**
 * The admin API, `/api/v1`, behind `Authorization: Bearer TOKEN`:
 * - `GET /api/v1/streams`: every stream with its live state, codecs, size, frame rate,
 *   bitrate, viewers per protocol and uptime.
 * - `POST /api/v1/streams` `{"name": "..."}`: creates a stream; the answer shows its key once.
 * - `GET /api/v1/streams/NAME`, `DELETE /api/v1/streams/NAME` (disconnects its publisher and viewers).
 * - `POST /api/v1/streams/NAME/rotate-key` `{"disconnect": true?}`: a new key, shown once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { STREAM_NAME_PATTERN, type AdminAuth, type StreamAccess } from '../auth/stream-access.ts';
import type { Logger } from '../log.ts';
import type { LiveStream, ReaderProtocol } from '../stream/live-stream.ts';
import { codecName } from '../stream/tracks.ts';

/** One stream as the API shows it. */
export interface StreamSummary {
  name: string;
  live: boolean;
  createdAt: string;
  keyRotatedAt: string;
  publisher: { protocol: string; remoteAddress: string; since: string } | null;
  uptimeMs: number | null;
  video: { codec: string; codecString: string | null; width: number | null; height: number | null; fps: number | null } | null;
  audio: { codec: string; codecString: string | null; sampleRateHz: number | null; channels: number | null } | null;
  bitrateKbps: number;
  viewers: Record<ReaderProtocol, number> & { total: number };
  droppedFrames: number;
  bytesIn: number;
  bytesOut: Record<ReaderProtocol, number>;
  urls: { publish: string; rtmp: string; flv: string; hls: string; player: string };
}

/** What the API reads and changes. */
export interface StreamsApiDeps {
  access: StreamAccess;
  admin: AdminAuth;
  /** The live state of a stream, if it was used since start. */
  stream(name: string): LiveStream | undefined;
  /** HLS viewers of a stream. */
  hlsViewers(name: string): number;
  /** Closes a deleted stream's sessions and outputs. */
  removeStream(name: string, reason: string): void;
  urls: { rtmp: string; http: string };
  log: Logger;
}

const MAX_BODY_BYTES = 16 * 1024;
const createBody = z.object({ name: z.string().regex(STREAM_NAME_PATTERN, 'letters, digits, _ and -, 1 to 64') }).strict();
const rotateBody = z.object({ disconnect: z.boolean().optional() }).strict();

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new ApiError(400, 'request body is not JSON');
  }
}

class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The API handler. */
export class StreamsApi {
  private readonly deps: StreamsApiDeps;

  constructor(deps: StreamsApiDeps) {
    this.deps = deps;
  }

  /** Answers a request under `/api/`. */
  async handle(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    if (!this.deps.admin.authorizes(request.headers.authorization)) {
      response.setHeader('www-authenticate', 'Bearer realm="tally-origin"');
      return json(response, 401, { error: 'missing or wrong admin token (Authorization: Bearer TOKEN)' });
    }
    try {
      await this.dispatch(request, response, path);
    } catch (error) {
      if (error instanceof ApiError) return json(response, error.status, { error: error.message });
      if (error instanceof z.ZodError)
        return json(response, 400, {
          error: error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '),
        });
      throw error;
    }
  }

  private async dispatch(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const method = request.method ?? 'GET';
    const parts = path.replace(/\/+$/, '').split('/').slice(1); // api, v1, streams, NAME?, action?
    if (parts[0] !== 'api' || parts[1] !== 'v1' || parts[2] !== 'streams' || parts.length > 5) throw new ApiError(404, 'no such endpoint');
    const name = parts[3] === undefined ? undefined : decodeURIComponent(parts[3]);
    const action = parts[4];
    if (name === undefined) {
      if (method === 'GET') return json(response, 200, { streams: this.deps.access.list().map((stored) => this.summary(stored)) });
      if (method === 'POST') {
        const { name: newName } = createBody.parse(await readJson(request));
        const created = this.deps.access.create(newName);
        if (!created) throw new ApiError(409, `stream "${newName}" already exists`);
        this.deps.log.info({ stream: newName }, 'stream created');
        const stored = this.deps.access.list().find((stream) => stream.name === newName)!;
        return json(response, 201, { ...this.summary(stored), key: created.key, publishUrl: `${this.deps.urls.rtmp}/${created.key}` });
      }
      throw new ApiError(405, `${method} is not allowed here`);
    }
    if (!STREAM_NAME_PATTERN.test(name)) throw new ApiError(404, 'no such stream');
    const stored = this.deps.access.list().find((stream) => stream.name === name);
    if (!stored) throw new ApiError(404, `no stream "${name}"`);
    if (action === undefined) {
      if (method === 'GET') return json(response, 200, this.summary(stored));
      if (method === 'DELETE') {
        this.deps.access.delete(name);
        this.deps.removeStream(name, 'stream deleted');
        this.deps.log.info({ stream: name }, 'stream deleted');
        response.writeHead(204).end();
        return;
      }
      throw new ApiError(405, `${method} is not allowed here`);
    }
    if (action === 'rotate-key' && method === 'POST') {
      const { disconnect } = rotateBody.parse(await readJson(request));
      const rotated = this.deps.access.rotate(name)!;
      if (disconnect) this.deps.stream(name)?.publisher?.disconnect('stream key rotated');
      this.deps.log.info({ stream: name, disconnected: disconnect === true }, 'stream key rotated');
      return json(response, 200, { name, key: rotated.key, publishUrl: `${this.deps.urls.rtmp}/${rotated.key}` });
    }
    throw new ApiError(404, 'no such endpoint');
  }

  private summary(stored: { name: string; createdAtMs: number; keyRotatedAtMs: number }): StreamSummary {
    const { name } = stored;
    const stream = this.deps.stream(name);
    const publisher = stream?.publisher ?? null;
    const viewers = stream?.viewers() ?? { rtmp: 0, flv: 0, hls: 0 };
    viewers.hls = this.deps.hlsViewers(name);
    const video = stream?.video;
    const audio = stream?.audio;
    const metadataFps = stream?.metadata?.framerate;
    const measuredFps = stream?.measuredFps() ?? 0;
    const fps =
      video?.fps ??
      (typeof metadataFps === 'number' && metadataFps > 0 ? metadataFps : measuredFps > 0 ? Math.round(measuredFps * 10) / 10 : null);
    const live = publisher !== null;
    return {
      name,
      live,
      createdAt: new Date(stored.createdAtMs).toISOString(),
      keyRotatedAt: new Date(stored.keyRotatedAtMs).toISOString(),
      publisher: publisher
        ? { protocol: publisher.protocol, remoteAddress: publisher.remoteAddress, since: new Date(publisher.startedAtMs).toISOString() }
        : null,
      uptimeMs: publisher ? Date.now() - publisher.startedAtMs : null,
      video:
        live && video
          ? {
              codec: codecName(video.codec),
              codecString: video.codecString ?? null,
              width: video.width ?? null,
              height: video.height ?? null,
              fps,
            }
          : null,
      audio:
        live && audio
          ? {
              codec: codecName(audio.codec),
              codecString: audio.codecString ?? null,
              sampleRateHz: audio.sampleRateHz ?? null,
              channels: audio.channels ?? null,
            }
          : null,
      bitrateKbps: live && stream ? Math.round(stream.bitrateBps() / 1000) : 0,
      viewers: { ...viewers, total: viewers.rtmp + viewers.flv + viewers.hls },
      droppedFrames: stream?.stats.droppedFrames ?? 0,
      bytesIn: stream?.stats.bytesIn ?? 0,
      bytesOut: { ...(stream?.stats.bytesOut ?? { rtmp: 0, flv: 0, hls: 0 }) },
      urls: {
        publish: `${this.deps.urls.rtmp}/KEY`,
        rtmp: `${this.deps.urls.rtmp}/${name}`,
        flv: `${this.deps.urls.http}live/${name}.flv`,
        hls: `${this.deps.urls.http}live/${name}/index.m3u8`,
        player: `${this.deps.urls.http}live/${name}`,
      },
    };
  }
}
