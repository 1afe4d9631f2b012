/**
 * Tally Origin, in-process: `startOrigin(options)` opens the store, the RTMP and HTTP
 * listeners and everything between, and returns the URLs and `close()`. It holds no
 * process-global state (no signal handlers, no default registries, no env reads), so the
 * studio can embed it and two origins can share a process. `cli.ts` is the command-line face.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AdminAuth, StreamAccess, type StreamCredentials } from './auth/stream-access.ts';
import { Webhooks, type WebhookOptions } from './auth/webhooks.ts';
import { createOriginMetrics } from './api/metrics.ts';
import { StreamsApi } from './api/streams-api.ts';
import { HlsService } from './hls/hls-service.ts';
import type { HlsOptions } from './hls/hls-muxer.ts';
import { silentLogger, type Logger } from './log.ts';
import { serveHttpFlv } from './protocols/http/http-flv.ts';
import { OriginHttpServer } from './protocols/http/http-server.ts';
import { servePlayerAsset, servePlayerPage } from './protocols/http/player-page.ts';
import type { RtmpLimits } from './protocols/rtmp/conn.ts';
import { RtmpListener } from './protocols/rtmp/listener.ts';
import type { PlayAdmission, PublishAdmission, SessionHost } from './protocols/rtmp/session-host.ts';
import { LiveStream } from './stream/live-stream.ts';
import { DEFAULT_BACKPRESSURE } from './stream/reader-gate.ts';
import { StreamHub } from './stream/stream-hub.ts';
import { OriginStore } from './store/origin-store.ts';
import { createUpdateFeed } from './updates/update-feed.ts';

/** Everything `startOrigin` accepts. Only `dataDir` is required. */
export interface OriginOptions {
  /** Where `origin.db` lives. */
  dataDir: string;
  /** Address both listeners bind. Default 127.0.0.1. */
  host?: string;
  /** Default 1935; 0 picks a free port. */
  rtmpPort?: number;
  /** Default 8080; 0 picks a free port. */
  httpPort?: number;
  /** The RTMP application name. Default `live`. */
  app?: string;
  /** Streams to create or re-key at start (`--stream NAME:KEY`). */
  streams?: StreamCredentials[];
  /** The admin API token; otherwise one is generated on first start and stored hashed. */
  adminToken?: string;
  hls?: Partial<HlsOptions> & { enabled?: boolean };
  webhooks?: WebhookOptions;
  limits?: Partial<RtmpLimits> & {
    /** Open RTMP connections at most. Default 1000. */
    maxConnections?: number;
    /** Largest GOP kept for viewers who join. Default 32 MiB. */
    maxGopCacheBytes?: number;
  };
  /** On close, how long HTTP keeps answering (ended playlists) before it closes. Default 2000 ms. */
  shutdownGraceMs?: number;
  log?: Logger;
  /** Shown in webhook user agents. */
  version?: string;
  /** A folder of update feeds (`latest/`, `beta/`, `alpha/` as `npm run release` writes them) served at `/updates/`. */
  updatesDir?: string;
}

/** A running origin. */
export interface Origin {
  /** `rtmp://HOST:PORT/live` and `http://HOST:PORT/`. */
  urls: { rtmp: string; http: string };
  /** Streams whose keys were generated at this start: show them once. */
  createdStreams: StreamCredentials[];
  /** The admin token generated at this start: show it once. */
  generatedAdminToken: string | undefined;
  /** Shuts down gracefully: ends HLS playlists, disconnects everyone, closes listeners and the store. */
  close(): Promise<void>;
}

const DEFAULT_HLS: HlsOptions = { segmentDurationMs: 2000, windowSegments: 6, reconnectWindowMs: 10_000 };

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts an origin. */
export async function startOrigin(options: OriginOptions): Promise<Origin> {
  const log = options.log ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const app = options.app ?? 'live';
  const limits: RtmpLimits = {
    maxMessageBytes: options.limits?.maxMessageBytes ?? 16 * 1024 * 1024,
    handshakeTimeoutMs: options.limits?.handshakeTimeoutMs ?? 10_000,
    startTimeoutMs: options.limits?.startTimeoutMs ?? 15_000,
    idleTimeoutMs: options.limits?.idleTimeoutMs ?? 30_000,
    maxStreamsPerConnection: options.limits?.maxStreamsPerConnection ?? 8,
    backpressure: options.limits?.backpressure ?? DEFAULT_BACKPRESSURE,
  };
  const hlsOptions: HlsOptions = { ...DEFAULT_HLS, ...options.hls };
  const hlsEnabled = options.hls?.enabled ?? true;

  const store = new OriginStore(options.dataDir);
  const resources: { close(): Promise<void> | void }[] = [{ close: () => store.dispose() }];
  try {
    const access = new StreamAccess(store);
    const createdStreams = access.ensureStreams(options.streams ?? []);
    const admin = new AdminAuth(store, options.adminToken);
    const webhooks = new Webhooks(options.webhooks ?? {}, log, options.version ?? '0.0.0');

    const sessionHost: SessionHost = {
      async admitPublisher(key, publisher, context): Promise<PublishAdmission> {
        const name = access.streamForKey(key);
        if (!name) return { ok: false, code: 'NetStream.Publish.BadName', description: 'Invalid stream key', reason: 'unknown stream key' };
        const busy = (): PublishAdmission => ({
          ok: false,
          code: 'NetStream.Publish.BadName',
          description: 'Stream is already being published',
          reason: `stream ${name} already has a publisher`,
        });
        if (hub.get(name).live) return busy();
        const decision = await webhooks.decide('on_publish', {
          stream: name,
          protocol: 'rtmp',
          clientIp: context.remoteAddress,
          sessionId: context.sessionId,
        });
        if (!decision.allowed)
          return {
            ok: false,
            code: 'NetStream.Publish.BadName',
            description: 'Publishing denied',
            reason: `on_publish denied (${decision.reason})`,
          };
        // Looked up again: the stream may have been deleted while the webhook was asked.
        if (!access.exists(name))
          return { ok: false, code: 'NetStream.Publish.BadName', description: 'Invalid stream key', reason: 'stream deleted' };
        const stream = hub.get(name);
        return stream.claim(publisher) ? { ok: true, name, stream } : busy();
      },
      async admitPlayer(name, context): Promise<PlayAdmission> {
        if (!access.exists(name))
          return { ok: false, code: 'NetStream.Play.StreamNotFound', description: 'No such stream', reason: 'unknown stream' };
        const decision = await webhooks.decide('on_play', {
          stream: name,
          protocol: context.protocol,
          clientIp: context.remoteAddress,
          sessionId: context.sessionId,
        });
        if (!decision.allowed)
          return {
            ok: false,
            code: 'NetStream.Play.Failed',
            description: 'Playback denied',
            reason: `on_play denied (${decision.reason})`,
          };
        if (!access.exists(name))
          return { ok: false, code: 'NetStream.Play.StreamNotFound', description: 'No such stream', reason: 'stream deleted' };
        return { ok: true, name, stream: hub.get(name) };
      },
      publisherLeft(name, context, summary) {
        webhooks.notify('on_unpublish', {
          stream: name,
          protocol: 'rtmp',
          clientIp: context.remoteAddress,
          sessionId: context.sessionId,
          ...summary,
        });
      },
      playerLeft(name, context, summary) {
        webhooks.notify('on_stop', {
          stream: name,
          protocol: context.protocol,
          clientIp: context.remoteAddress,
          sessionId: context.sessionId,
          ...summary,
        });
      },
    };

    const hls = new HlsService(hlsOptions, log, sessionHost);
    resources.unshift({ close: () => hls.dispose() });
    const hub = new StreamHub((name) => {
      const stream = new LiveStream(name, { maxGopCacheBytes: options.limits?.maxGopCacheBytes });
      if (hlsEnabled) hls.attach(stream);
      return stream;
    });

    const rtmp = new RtmpListener({
      host,
      port: options.rtmpPort ?? 1935,
      app,
      maxConnections: options.limits?.maxConnections ?? 1000,
      limits,
      log,
      sessionHost,
    });
    const rtmpPort = await rtmp.listen();
    resources.unshift({ close: () => rtmp.close('origin shutting down') });
    const urls = { rtmp: `rtmp://${urlHost(host)}:${rtmpPort}/${app}`, http: '' };

    const registry = createOriginMetrics({
      streams: () => hub.all(),
      hlsViewers: (name) => hls.viewerCount(name),
      rtmpConnections: () => rtmp.connectionCount,
    });
    const api = new StreamsApi({
      access,
      admin,
      stream: (name) => hub.find(name),
      hlsViewers: (name) => hls.viewerCount(name),
      removeStream: (name, reason) => {
        hls.detach(name);
        hub.remove(name, reason);
      },
      urls,
      log,
    });
    const loopbackOnly = host === '127.0.0.1' || host === '::1' || host === 'localhost';
    let draining = false;
    let flvSessions = 0;
    const updateFeed = options.updatesDir ? createUpdateFeed(options.updatesDir, log.child({ service: 'updates' })) : undefined;
    const http = new OriginHttpServer(
      {
        health: () => (draining ? { status: 503, body: { status: 'draining' } } : { status: 200, body: { status: 'ok' } }),
        async metrics(request, response) {
          // Figures name streams and addresses: beyond loopback they need the admin token too.
          if (!loopbackOnly && !admin.authorizes(request.headers.authorization)) {
            response
              .writeHead(401, { 'www-authenticate': 'Bearer realm="tally-origin"', 'content-type': 'text/plain' })
              .end('admin token required\n');
            return;
          }
          const body = await registry.metrics();
          response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body);
        },
        api: (request, response, path) => api.handle(request, response, path),
        flv: (name, request, response) =>
          serveHttpFlv(name, request, response, {
            host: sessionHost,
            log,
            backpressure: limits.backpressure,
            nextSessionId: () => `flv-${++flvSessions}`,
            peek: (streamName) => (access.exists(streamName) ? hub.get(streamName) : undefined),
          }),
        hls: (name, file, request, response) => hls.serve(name, file, request, response),
        playerPage: (name, response) => {
          if (!access.exists(name)) return false;
          servePlayerPage(name, response);
          return true;
        },
        playerAsset: (file, response) => servePlayerAsset(file, response),
        ...(updateFeed
          ? { updates: (path: string, request: IncomingMessage, response: ServerResponse) => updateFeed.serve(path, request, response) }
          : {}),
      },
      log,
    );
    const httpPort = await http.listen(host, options.httpPort ?? 8080);
    urls.http = `http://${urlHost(host)}:${httpPort}/`;
    resources.unshift({ close: () => http.close() });

    log.info({ rtmp: urls.rtmp, http: urls.http, dataDir: options.dataDir, hls: hlsEnabled }, 'origin started');
    let closing: Promise<void> | undefined;
    return {
      urls,
      createdStreams,
      generatedAdminToken: admin.generatedToken,
      close: () =>
        (closing ??= (async () => {
          draining = true;
          log.info({}, 'origin shutting down');
          await rtmp.close('origin shutting down');
          hls.endAll();
          hub.closeAll('origin shutting down');
          // Players fetch the ended playlists while HTTP still answers.
          await new Promise((resolve) => setTimeout(resolve, options.shutdownGraceMs ?? 2000));
          await http.close();
          await webhooks.drain();
          hls.dispose();
          store.dispose();
          log.info({}, 'origin stopped');
        })()),
    };
  } catch (error) {
    for (const resource of resources) await resource.close();
    throw error;
  }
}
