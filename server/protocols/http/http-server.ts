/**
 * The origin's HTTP listener and router (node:http; the surface is small): health, metrics,
 * the admin API, the player page and its assets, HTTP-FLV and HLS. Media routes allow any
 * origin (CORS); the API needs the admin token; nothing else is served.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../../log.ts';

/** What the router dispatches to. */
export interface HttpRoutes {
  /** `GET /healthz`: ok, or draining during shutdown. */
  health(): { status: number; body: object };
  /** `GET /metrics`. */
  metrics(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** `/api/...`. */
  api(request: IncomingMessage, response: ServerResponse, path: string): Promise<void>;
  /** `GET /live/NAME.flv`. */
  flv(name: string, request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** `GET /live/NAME/FILE`; false when FILE is not an HLS file. */
  hls(name: string, file: string, request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  /** `GET /live/NAME`; false when there is no such stream. */
  playerPage(name: string, response: ServerResponse): boolean;
  /** `GET /player/FILE`; false when there is no such asset. */
  playerAsset(file: string, response: ServerResponse): boolean;
  /** `GET /updates/CHANNEL/FILE` (server/updates/update-feed.ts), when the origin hosts an update feed. */
  updates?(path: string, request: IncomingMessage, response: ServerResponse): Promise<boolean>;
}

const STREAM = '([A-Za-z0-9_-]{1,64})';
const FLV_ROUTE = new RegExp(`^/live/${STREAM}\\.flv$`);
const HLS_ROUTE = new RegExp(`^/live/${STREAM}/([A-Za-z0-9._-]{1,96})$`);
const PAGE_ROUTE = new RegExp(`^/live/${STREAM}/?$`);

function text(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  response.end(body.endsWith('\n') ? body : `${body}\n`);
}

/** The HTTP side of an origin. */
export class OriginHttpServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly routes: HttpRoutes;
  private readonly log: Logger;

  constructor(routes: HttpRoutes, log: Logger) {
    this.routes = routes;
    this.log = log;
    this.server = createServer((request, response) => {
      response.setHeader('x-content-type-options', 'nosniff');
      this.route(request, response).catch((error: unknown) => {
        this.log.error(
          { url: request.url?.split('?')[0], err: error instanceof Error ? error.message : String(error) },
          'http request failed',
        );
        if (!response.headersSent) text(response, 500, 'internal error');
        else response.destroy();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  /** Starts listening; resolves with the bound port. */
  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://origin');
    const path = url.pathname;
    const method = request.method ?? 'GET';
    if (path.startsWith('/api/')) return this.routes.api(request, response, path);
    if (method === 'OPTIONS' && path.startsWith('/live/')) {
      response.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, HEAD, OPTIONS',
        'access-control-allow-headers': 'range',
        'access-control-max-age': '86400',
      });
      response.end();
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') return text(response, 405, 'method not allowed', { allow: 'GET, HEAD' });
    if (path === '/healthz') {
      const health = this.routes.health();
      response.writeHead(health.status, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
      response.end(JSON.stringify(health.body));
      return;
    }
    if (path === '/metrics') return this.routes.metrics(request, response);
    if (path === '/' || path === '/index.html') return text(response, 200, 'Tally Origin. Watch a stream at /live/NAME.');
    if (path.startsWith('/player/') && this.routes.playerAsset(path.slice('/player/'.length), response)) return;
    if (path.startsWith('/updates/') && this.routes.updates && (await this.routes.updates(path, request, response))) return;
    let match = FLV_ROUTE.exec(path);
    if (match) return this.routes.flv(match[1]!, request, response);
    match = HLS_ROUTE.exec(path);
    if (match && (await this.routes.hls(match[1]!, match[2]!, request, response))) return;
    match = PAGE_ROUTE.exec(path);
    if (match && this.routes.playerPage(match[1]!, response)) return;
    text(response, 404, 'not found');
  }

  /** Stops accepting connections (existing ones keep going, for the drain). */
  stopAccepting(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  /** Closes the listener and every connection. */
  async close(): Promise<void> {
    const closed = this.stopAccepting();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
