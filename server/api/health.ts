/** `GET /healthz`: `{"status":"ok"}`, or 503 `{"status":"draining"}` while the origin shuts down (load balancers stop sending). */
import type { FastifyPluginAsync } from 'fastify';

/** The health route; `draining()` says whether the origin is shutting down. */
export function healthRoutes(draining: () => boolean): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', async (_request, reply) =>
      reply
        .code(draining() ? 503 : 200)
        .header('cache-control', 'no-cache')
        .send({ status: draining() ? 'draining' : 'ok' }),
    );
  };
}
