/**
 * The web host: serves the built studio renderer and the same host API over WebSocket,
 * so the whole studio runs in any Chromium. Control is JSON on one socket; media is binary
 * frames on another, so a burst of video never delays a call.
 *
 * Security: it checks Host (DNS rebinding) and Origin (cross-site sockets), and requires a
 * token, exchanged once for an HttpOnly cookie, on loopback too: any local user could
 * otherwise drive the studio. Only tests turn the token off (`--no-token`, loopback only).
 * Beyond loopback it listens only with TLS, so neither the token nor the cookie crosses a
 * network in clear text.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { STUDIO_CSP } from '../../common/csp.ts';
import { isLoopbackHost } from '../../common/loopback.ts';
import {
  ClientMessage,
  MAX_CONTROL_MESSAGE_BYTES,
  WEB_CONTROL_PATH,
  WEB_MEDIA_PATH,
  type HostMessage,
} from '../../common/host/web-wire.ts';
import { decodeMediaFrame, encodeMediaFrame, MAX_MEDIA_PAYLOAD_BYTES, MEDIA_HEADER_BYTES } from '../../common/host/media-frame.ts';
import type { Host } from '../services/host.ts';
import { handleLibraryHttp, isLibraryPath } from '../services/library/http.ts';
import type { Logger } from '../services/logger.ts';
import type { MediaPeer } from '../services/media-hub.ts';
import { serveStatic } from './static-files.ts';

export interface WebStudioOptions {
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default 0. */
  port?: number;
  /** The built renderer (`dist/renderer`). */
  rendererDir: string;
  hostServices: Host;
  log: Logger;
  /**
   * Require the access token. Default true, on loopback too; `false` (tests, `--no-token`)
   * is accepted only on a loopback address.
   */
  requireToken?: boolean;
  /** PEM certificate and key: serve HTTPS/WSS. Required to listen beyond loopback. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** The token to require; generated when not given. */
  token?: string;
}

export interface WebStudio {
  /** The URL to open; carries `?token=` when a token is required. */
  readonly url: string;
  /** Whether this listener requires the token (true unless turned off for tests). */
  readonly requiresToken: boolean;
  close(): Promise<void>;
}

const SESSION_COOKIE = 'tally_studio';
/** Control sockets that stop reading get their events dropped past this backlog. */
const MAX_EVENT_BACKLOG_BYTES = 4 * 1024 * 1024;

/** A listener the web host refuses to open (beyond loopback without TLS, or without a token). */
export class UnsafeListenerError extends Error {
  override readonly name = 'UnsafeListenerError';
}

export async function startWebStudio(options: WebStudioOptions): Promise<WebStudio> {
  const listenHost = options.host ?? '127.0.0.1';
  const loopback = isLoopbackHost(listenHost);
  if (!loopback && !options.tls)
    throw new UnsafeListenerError(
      `refusing to serve the studio on ${listenHost} without TLS: the access token would cross the network in clear text. ` +
        'Give --tls-cert and --tls-key, or listen on 127.0.0.1.',
    );
  if (!loopback && options.requireToken === false)
    throw new UnsafeListenerError(`refusing to serve the studio on ${listenHost} without a token: --no-token is for loopback only`);
  const requiresToken = options.requireToken !== false;
  const token = requiresToken ? (options.token ?? randomBytes(24).toString('base64url')) : null;
  const { hostServices, log } = options;
  // Each socket refuses frames over its own limit (ws closes with 1009 before buffering them).
  const controlSockets = new WebSocketServer({ noServer: true, maxPayload: MAX_CONTROL_MESSAGE_BYTES });
  const mediaSockets = new WebSocketServer({ noServer: true, maxPayload: MEDIA_HEADER_BYTES + MAX_MEDIA_PAYLOAD_BYTES });
  let actualPort = 0;

  const securityHeaders = {
    'content-security-policy': STUDIO_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };

  const hostHeaderAllowed = (req: IncomingMessage): boolean => {
    if (!loopback) return true; // the token, not the name, protects a public listener
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    const names = new Set(
      [listenHost, 'localhost', '127.0.0.1', '[::1]'].map(
        (name) => `${name.includes(':') && !name.startsWith('[') ? `[${name}]` : name}:${actualPort}`,
      ),
    );
    return names.has(hostHeader);
  };

  const hasSession = (req: IncomingMessage): boolean => {
    if (!token) return true;
    const cookie = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    return cookie !== undefined && safeEqual(cookie, token);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handleHttp(req, res).catch((error: unknown) => {
      log.error({ err: error, url: redactUrl(req.url) }, 'web studio request failed');
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
  const server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest) : createServer(onRequest);

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostHeaderAllowed(req)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('wrong Host header');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const libraryRequest = isLibraryPath(url.pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD' && !libraryRequest) {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const offered = url.searchParams.get('token');
    if (token && offered !== null) {
      if (!safeEqual(offered, token)) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('wrong token');
        return;
      }
      res.writeHead(303, {
        location: url.pathname,
        'set-cookie': `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/${options.tls ? '; Secure' : ''}`,
      });
      res.end();
      return;
    }
    if (!hasSession(req)) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('open the URL with its token that the studio printed');
      return;
    }
    if (libraryRequest) {
      await handleLibraryHttp(hostServices.library, req, res, { sameOrigin: sameOrigin(req), headers: securityHeaders });
      return;
    }
    await serveStatic(options.rendererDir, req, res, securityHeaders);
  }

  // A peer that resets mid-request, or sends bytes HTTP cannot parse, ends that connection only.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    log.warn({ err: error.code ?? error.message }, 'web studio connection error');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A page closed or reloaded resets its sockets: that is a page going away, not a fault worth a warning.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const fields = { err: error.code ?? error.message };
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') log.debug(fields, 'web studio socket error');
      else log.warn(fields, 'web studio socket error');
    });
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const refuse = (status: number, why: string) => {
      log.warn({ path, why }, 'web studio socket refused');
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\n\r\n`);
    };
    if (path !== WEB_CONTROL_PATH && path !== WEB_MEDIA_PATH) return refuse(404, 'Not Found');
    if (!hostHeaderAllowed(req)) return refuse(421, 'Misdirected Request');
    if (!sameOrigin(req)) return refuse(403, 'Forbidden');
    if (!hasSession(req)) return refuse(401, 'Unauthorized');
    if (path === WEB_CONTROL_PATH) controlSockets.handleUpgrade(req, socket, head, (ws) => serveControl(ws, hostServices, log));
    else mediaSockets.handleUpgrade(req, socket, head, (ws) => serveMedia(ws, hostServices, log));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, listenHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  actualPort = (server.address() as AddressInfo).port;
  const displayHost = listenHost.includes(':') ? `[${listenHost}]` : listenHost;
  const url = `${options.tls ? 'https' : 'http'}://${displayHost}:${actualPort}/${token ? `?token=${token}` : ''}`;

  return {
    url,
    requiresToken,
    async close() {
      for (const sockets of [controlSockets, mediaSockets]) {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Every socket gets an error listener: invalid UTF-8 in a text frame (ws closes it with 1007),
 * a frame over the size limit (1009), a peer that resets. One log line; the process and the
 * other sockets carry on.
 */
function onSocketError(ws: WebSocket, log: Logger, which: 'control' | 'media'): void {
  ws.on('error', (error: Error & { code?: string }) => {
    log.warn({ socket: which, err: error.code ?? error.message }, 'web studio socket closed on an error');
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.terminate();
  });
}

function serveControl(ws: WebSocket, host: Host, log: Logger): void {
  onSocketError(ws, log, 'control');
  const subscribed = new Set<string>();
  const knownEvents = new Set(host.events.channels);
  const send = (message: HostMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const events = host.events.subscribeAll((channel, payload) => {
    if (!subscribed.has(channel)) return;
    if (ws.bufferedAmount > MAX_EVENT_BACKLOG_BYTES) return; // a stalled page misses events, never grows our memory
    send({ type: 'event', channel, payload });
  });
  ws.on('close', () => events.dispose());
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const message = parseControlMessage(data, isBinary);
    if (message === 'too-big') {
      log.warn({}, 'oversized control message; closing the socket');
      ws.close(1009, 'message too big');
      return;
    }
    if (!message) {
      log.warn({}, 'malformed control message; closing the socket');
      ws.close(1007, 'malformed message');
      return;
    }
    switch (message.type) {
      case 'call':
        void host.router.invoke(message.channel, message.args).then((outcome) => send({ type: 'outcome', id: message.id, outcome }));
        break;
      case 'subscribe':
        if (knownEvents.has(message.channel)) subscribed.add(message.channel);
        break;
      case 'unsubscribe':
        subscribed.delete(message.channel);
        break;
    }
  });
}

function parseControlMessage(data: RawData, isBinary: boolean): ClientMessage | 'too-big' | null {
  if (isBinary) return null;
  const text = Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]);
  if (text.byteLength > MAX_CONTROL_MESSAGE_BYTES) return 'too-big';
  try {
    const parsed = ClientMessage.safeParse(JSON.parse(text.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function serveMedia(ws: WebSocket, host: Host, log: Logger): void {
  onSocketError(ws, log, 'media');
  ws.binaryType = 'nodebuffer';
  const peer: MediaPeer = {
    send(frame) {
      if (ws.readyState === ws.OPEN) ws.send(encodeMediaFrame(frame));
    },
  };
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (!isBinary || !Buffer.isBuffer(data)) {
      log.warn({}, 'text on the media socket; closing it');
      ws.close(1003, 'media frames are binary');
      return;
    }
    try {
      host.media.receive(decodeMediaFrame(data), peer);
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'malformed media frame; closing the socket');
      ws.close(1007, 'malformed media frame');
    }
  });
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return cookies;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Strips a token from a URL before it reaches a log line. */
function redactUrl(url: string | undefined): string {
  return (url ?? '').replace(/([?&]token=)[^&]*/g, '$1[secret]');
}
