/**
 * HTTP-FLV: `GET /live/NAME.flv` streams the live FLV (header, then the metadata, decoder
 * configuration and GOP cache, then live tags) for players such as mpegts.js, flv.js, ffmpeg
 * and VLC. The answer is raw bytes on a hijacked reply: fastify routes and admits it, then the
 * reader writes to the socket itself, batched, with no framework in the media path. Open to
 * any origin (CORS). The response ends when the publisher leaves; the player reconnects.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { flvFileHeader } from '../../../common/media/flv.ts';
import type { Logger } from '../../log.ts';
import { httpStatusOf, type StreamAdmission } from '../../stream/admission.ts';
import { GatedReader } from '../../stream/gated-reader.ts';
import type { BackpressurePolicy } from '../../stream/reader-gate.ts';
import { MEDIA_CORS, queryOf, URL_STREAM_NAME } from './http-server.ts';

/** What the route needs. */
export interface HttpFlvDeps {
  admission: StreamAdmission;
  log: Logger;
  backpressure: BackpressurePolicy;
  /** A stream that exists, without asking webhooks (HEAD requests probe liveness only). */
  peek(name: string): { live: boolean } | undefined;
}

const REFUSALS = { 'not-found': 'No such stream', denied: 'Playback denied', 'bad-key': 'Playback denied', busy: 'Stream busy' };

/** The HTTP-FLV route. */
export function httpFlvRoutes(deps: HttpFlvDeps): FastifyPluginAsync {
  let sessions = 0;
  return async (app) => {
    app.head<{ Params: { name: string } }>('/live/:name.flv', async (request, reply) => {
      const { name } = request.params;
      // Liveness is playback information too: a stream that requires a signed link tells it only to a valid one.
      const refusal = URL_STREAM_NAME.test(name)
        ? deps.admission.checkPlayback(
            { name, query: queryOf(request.url) },
            { sessionId: 'flv-head', remoteAddress: request.socket.remoteAddress ?? '', protocol: 'flv' },
          )
        : null;
      const live = !refusal && URL_STREAM_NAME.test(name) && deps.peek(name)?.live === true;
      return reply
        .code(refusal ? httpStatusOf(refusal.kind) : live ? 200 : 404)
        .headers({ 'content-type': live ? 'video/x-flv' : 'text/plain; charset=utf-8', 'cache-control': 'no-cache', ...MEDIA_CORS })
        .send();
    });
    app.get<{ Params: { name: string } }>('/live/:name.flv', { exposeHeadRoute: false }, async (request, reply) => {
      const { name } = request.params;
      if (!URL_STREAM_NAME.test(name)) return notLive(reply, 'No such stream');
      const sessionId = `flv-${++sessions}`;
      const remoteAddress = request.socket.remoteAddress ?? '';
      const context = { sessionId, remoteAddress, protocol: 'flv' as const };
      const admission = await deps.admission.admitPlayer({ name, query: queryOf(request.url) }, context);
      if (!admission.ok) {
        if (admission.kind !== 'not-found')
          deps.log.warn({ session: sessionId, remote: remoteAddress, stream: name, reason: admission.reason }, 'http-flv play refused');
        return reply
          .code(httpStatusOf(admission.kind))
          .headers({ 'content-type': 'text/plain; charset=utf-8', ...MEDIA_CORS })
          .send(`${REFUSALS[admission.kind]}\n`);
      }
      const stream = admission.stream;
      if (!stream.live || request.raw.destroyed) return notLive(reply, 'stream is not live');
      reply.hijack();
      const response = reply.raw;
      // Over HTTP/2 (HTTPS) the answer is one stream of the connection, with no connection header nor cork.
      const http2Stream = (response as unknown as { stream?: { writableLength: number } }).stream;
      // A live FLV body has no length and ends when the stream does: plain bytes, then close. (Node 24 writes
      // a corked chunked body as one syscall per piece; unchunked it is one writev per batch.)
      response.useChunkedEncodingByDefault = false;
      response.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'video/x-flv',
        'cache-control': 'no-cache, no-store',
        ...(http2Stream ? {} : { connection: 'close' }),
        ...MEDIA_CORS,
      });
      const startedAtMs = Date.now();
      let bytes = 0;
      let ended = false;
      const write = (chunk: Uint8Array) => {
        if (ended) return;
        bytes += chunk.length;
        response.write(chunk);
      };
      write(flvFileHeader({ audio: stream.audio !== undefined || !stream.video, video: stream.video !== undefined || !stream.audio }));
      const finish = (reason: string, level: 'info' | 'warn', abort: boolean) => {
        if (ended) return;
        ended = true;
        const durationMs = Date.now() - startedAtMs;
        deps.log[level](
          { session: sessionId, remote: remoteAddress, stream: name, reason, bytesOut: bytes, durationMs },
          'http-flv session closed',
        );
        if (abort) response.destroy();
        else response.end();
        deps.admission.playerLeft(name, context, { durationMs, bytes });
      };
      const reader = new GatedReader(
        stream,
        {
          protocol: 'flv',
          bytesOf: (packet) => packet.flv(),
          sharedForm: () => 'flv',
          write,
          writeMany: (chunks) => {
            response.cork?.();
            for (const chunk of chunks) write(chunk);
            response.uncork?.();
          },
          queuedBytes: () => http2Stream?.writableLength ?? response.writableLength,
          publishStarted: () => {},
          publishStopped: () => reader.detach('publisher left', false),
          close: (reason, slow) => finish(reason, slow ? 'warn' : 'info', slow),
        },
        deps.backpressure,
      );
      response.on('close', () => reader.detach('client closed', false));
      stream.addReader(reader);
    });
  };
}

function notLive(reply: FastifyReply, text: string): FastifyReply {
  return reply
    .code(404)
    .headers({ 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache', ...MEDIA_CORS })
    .send(`${text}\n`);
}
