/**
 * The origin's HTTP listener, on fastify: CORS for media routes (any page may play a stream;
 * `@fastify/cors`), `nosniff` on every answer, a plain-text 404, and one log line for a
 * request that fails. Resources register themselves as route files (`api/streams.ts`,
 * `api/metrics.ts`, `api/health.ts`, `protocols/http/http-flv.ts`, `protocols/http/player-page.ts`,
 * `hls/hls-routes.ts`, `updates/update-feed.ts`).
 */
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../log.ts';
import type { CertificatePair, SecureListener } from '../tls-certificates.ts';

const require = createRequire(import.meta.url);
type Compilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/**
 * Fastify's JSON-schema compilers (ajv, fast-json-stringify), loaded the first time a route
 * declares a schema rather than at start: no route does today, and an origin left running
 * should not hold two compilers it never uses.
 */
const lazyCompilers: Compilers = {
  buildValidator: (...args) => (require('@fastify/ajv-compiler') as () => NonNullable<Compilers['buildValidator']>)()(...args),
  buildSerializer: (...args) =>
    (require('@fastify/fast-json-stringify-compiler') as () => NonNullable<Compilers['buildSerializer']>)()(...args),
};

/** Stream names as they appear in URLs: letters, digits, `_` and `-`, 1 to 64. */
export const URL_STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Headers every media answer carries: any page may play it. */
export const MEDIA_CORS = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'content-type' } as const;

/** The query string of a request URL, as admission reads it. */
export function queryOf(url: string): URLSearchParams {
  const at = url.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
}

/** The HTTP side of an origin. */
export class OriginHttpServer {
  /** Routes register on it before `listen`. */
  readonly app: FastifyInstance;

  /** With `tls`, HTTPS with HTTP/2 for clients that offer it (ALPN) and HTTP/1.1 for the rest. */
  constructor(log: Logger, tls?: CertificatePair) {
    const options = {
      logger: false,
      // Long-lived answers (HTTP-FLV) end when the origin closes, not when they would finish.
      forceCloseConnections: true,
      bodyLimit: 16 * 1024,
      schemaController: { compilersFactory: lazyCompilers },
    } as const;
    // Routes see the same request and reply API over HTTP/2 (fastify's compatibility layer), so one type serves both.
    this.app = (tls
      ? Fastify({ ...options, http2: true, https: { allowHTTP1: true, ...tls } })
      : Fastify(options)) as unknown as FastifyInstance;
    void this.app.register(cors, {
      // Media is for any page's player (hls.js and mpegts.js fetch it); the API and metrics are not.
      delegator: (request, callback) =>
        callback(
          null,
          request.url?.startsWith('/live/')
            ? {
                origin: '*',
                methods: ['GET', 'HEAD', 'OPTIONS'],
                allowedHeaders: ['range'],
                exposedHeaders: ['content-type'],
                maxAge: 86_400,
              }
            : { origin: false },
        ),
    });
    this.app.addHook('onRequest', async (_request, reply) => {
      void reply.header('x-content-type-options', 'nosniff');
    });
    this.app.setNotFoundHandler(async (_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('not found\n'));
    this.app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
      const status = error.statusCode ?? 500;
      if (status >= 500) log.error({ url: request.url.split('?')[0], err: error.message }, 'http request failed');
      if (reply.sent || reply.raw.headersSent) return;
      return reply
        .code(status)
        .type('text/plain; charset=utf-8')
        .send(`${status >= 500 ? 'internal error' : error.message}\n`);
    });
  }

  /** The TLS listener, to reload its certificate (HTTPS only). */
  get secureListener(): SecureListener {
    return this.app.server as unknown as SecureListener;
  }

  /** Adds a route file. */
  register(plugin: FastifyPluginAsync): void {
    void this.app.register(plugin);
  }

  /** Starts listening; resolves with the bound port. */
  async listen(host: string, port: number): Promise<number> {
    await this.app.listen({ host, port });
    return (this.app.server.address() as AddressInfo).port;
  }

  /** Closes the listener and every connection (HTTP-FLV viewers included). */
  async close(): Promise<void> {
    await this.app.close();
  }
}
