/**
 * `GET /metrics` in the Prometheus text format: bytes in and out, publishers, viewers and
 * dropped frames per stream, connections, and process figures (`metrics-registry.ts`). The
 * registry and prom-client are loaded on the first scrape, so an origin nobody scrapes does
 * not carry them. Open on a loopback listener; elsewhere the figures name streams and
 * addresses, so they need the admin token.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { AdminAuth } from '../auth/stream-access.ts';
import type { LiveStream } from '../stream/live-stream.ts';
import { adminGuard } from './admin-guard.ts';

/** What the metrics read. */
export interface MetricsSource {
  streams(): LiveStream[];
  hlsViewers(name: string): number;
  rtmpConnections(): number;
}

/** What `/metrics` serves: the origin's figures and the process's. */
export interface OriginMetrics {
  contentType: string;
  metrics(): Promise<string>;
}

/** The `/metrics` route; `tokenRequired` beyond loopback. */
export function metricsRoutes(deps: {
  source: MetricsSource;
  tokenRequired: boolean;
  admin: Pick<AdminAuth, 'authorizes'>;
}): FastifyPluginAsync {
  let registry: Promise<OriginMetrics> | undefined;
  return async (app) => {
    if (deps.tokenRequired) app.addHook('onRequest', adminGuard(deps.admin));
    app.get('/metrics', async (_request, reply) => {
      registry ??= import('./metrics-registry.ts').then(({ createOriginMetrics }) => createOriginMetrics(deps.source));
      const metrics = await registry;
      return reply.headers({ 'content-type': metrics.contentType, 'cache-control': 'no-store' }).send(await metrics.metrics());
    });
  };
}
