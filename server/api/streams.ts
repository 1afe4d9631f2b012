/**
 * The admin API, `/api/v1`, behind `Authorization: Bearer TOKEN`:
 * - `GET /api/v1/streams`: every stream with its live state, codecs, size, frame rate,
 *   bitrate, viewers per protocol and uptime.
 * - `POST /api/v1/streams` `{"name": "..."}`: creates a stream; the answer shows its key once.
 * - `GET /api/v1/streams/NAME`, `DELETE /api/v1/streams/NAME` (disconnects its publisher and viewers).
 * - `POST /api/v1/streams/NAME/rotate-key` `{"disconnect": true?}`: a new key, shown once.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import * as z from 'zod';
import { STREAM_NAME_PATTERN, type AdminAuth, type StreamAccess } from '../auth/stream-access.ts';
import type { Logger } from '../log.ts';
import type { LiveStream, ReaderProtocol } from '../stream/live-stream.ts';
import { codecName } from '../stream/tracks.ts';
import { adminGuard } from './admin-guard.ts';

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
  /** Viewers need a signed playback token (`/api/v1/streams/NAME/playback-tokens`). */
  requirePlaybackToken: boolean;
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

const createBody = z.object({ name: z.string().regex(STREAM_NAME_PATTERN, 'letters, digits, _ and -, 1 to 64') }).strict();
const rotateBody = z.object({ disconnect: z.boolean().optional() }).strict();

/** Parses a request body as JSON whatever its content type (`curl -d` sends form-encoded); empty is `{}`. */
function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw Object.assign(new Error('request body is not JSON'), { statusCode: 400 });
  }
}

/** A zod failure as the API's 400. */
function invalid(error: z.ZodError): { error: string } {
  return { error: error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ') };
}

type Named = { Params: { name: string } };

/**
 * The admin API's common ground, for a route file: the admin token, `no-store`, JSON bodies
 * whatever their content type, and zod failures as 400 `{"error"}`.
 */
export function adminJsonApi(app: FastifyInstance, admin: AdminAuth): void {
  app.addHook('onRequest', adminGuard(admin));
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.setErrorHandler(async (error: Error & { statusCode?: number }, _request, reply) => {
    if (error instanceof z.ZodError) return reply.code(400).send(invalid(error));
    const status = error.statusCode ?? 500;
    if (status >= 500) throw error;
    return reply.code(status).send({ error: status === 413 ? 'request body over 16 KiB' : error.message });
  });
}

/** The `/api/v1/streams` resource. */
export function streamsRoutes(deps: StreamsApiDeps): FastifyPluginAsync {
  const view = new StreamsView(deps);
  return async (app) => {
    adminJsonApi(app, deps.admin);

    app.get('/api/v1/streams', async () => ({ streams: deps.access.list().map((stored) => view.summary(stored)) }));

    app.post('/api/v1/streams', async (request, reply) => {
      const { name } = createBody.parse(request.body ?? {});
      const created = deps.access.create(name);
      if (!created) return reply.code(409).send({ error: `stream "${name}" already exists` });
      deps.log.info({ stream: name }, 'stream created');
      return reply
        .code(201)
        .send({ ...view.summary(view.stored(name)!), key: created.key, publishUrl: `${deps.urls.rtmp}/${created.key}` });
    });

    app.get<Named>('/api/v1/streams/:name', async (request, reply) => {
      const stored = view.stored(request.params.name);
      return stored ? view.summary(stored) : reply.code(404).send({ error: `no stream "${request.params.name}"` });
    });

    app.delete<Named>('/api/v1/streams/:name', async (request, reply) => {
      const { name } = request.params;
      if (!view.stored(name)) return reply.code(404).send({ error: `no stream "${name}"` });
      deps.access.delete(name);
      deps.removeStream(name, 'stream deleted');
      deps.log.info({ stream: name }, 'stream deleted');
      return reply.code(204).send();
    });

    app.post<Named>('/api/v1/streams/:name/rotate-key', async (request, reply) => {
      const { name } = request.params;
      if (!view.stored(name)) return reply.code(404).send({ error: `no stream "${name}"` });
      const { disconnect } = rotateBody.parse(request.body ?? {});
      const rotated = deps.access.rotate(name)!;
      if (disconnect) deps.stream(name)?.publisher?.disconnect('stream key rotated');
      deps.log.info({ stream: name, disconnected: disconnect === true }, 'stream key rotated');
      return { name, key: rotated.key, publishUrl: `${deps.urls.rtmp}/${rotated.key}` };
    });
  };
}

/** How the API shows streams. */
class StreamsView {
  private readonly deps: StreamsApiDeps;

  constructor(deps: StreamsApiDeps) {
    this.deps = deps;
  }

  /** The stored stream called `name`, if any. */
  stored(name: string): ReturnType<StreamAccess['list']>[number] | undefined {
    if (!STREAM_NAME_PATTERN.test(name)) return undefined;
    return this.deps.access.list().find((stream) => stream.name === name);
  }

  summary(stored: ReturnType<StreamAccess['list']>[number]): StreamSummary {
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
      requirePlaybackToken: stored.requirePlaybackToken,
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
