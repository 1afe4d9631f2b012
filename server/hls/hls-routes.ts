/** `GET /live/NAME/FILE`: the HLS playlist, init and media segments of a stream, answered by `HlsService`. */
import type { FastifyPluginAsync } from 'fastify';
import { queryOf, URL_STREAM_NAME } from '../protocols/http/http-server.ts';
import type { HlsService } from './hls-service.ts';

/** The HLS routes. */
export function hlsRoutes(hls: Pick<HlsService, 'serve'>): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { name: string; file: string } }>('/live/:name/:file', async (request, reply) => {
      const { name, file } = request.params;
      const answer = URL_STREAM_NAME.test(name)
        ? await hls.serve({
            name,
            file,
            method: request.method,
            remoteAddress: request.socket.remoteAddress ?? '',
            userAgent: request.headers['user-agent'] ?? '',
            query: queryOf(request.url),
          })
        : null;
      if (!answer) return reply.callNotFound();
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    });
  };
}
