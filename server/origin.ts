/**
 * Tally Origin, in-process: `startOrigin(options)` opens the store, the RTMP and HTTP
 * listeners and everything between, and returns the URLs and `close()`. It holds no
 * process-global state (no signal handlers, no env reads, no default registries), so the
 * studio can embed it and two origins can share a process. This is the composition root:
 * it wires parts together and holds no policy of its own (admission is
 * `auth/admission-policy.ts`). `cli.ts` is the command-line face; `index.ts` is the entry
 * for embedders.
 */
import { isLoopbackHost } from '../common/loopback.ts';
import { AdmissionPolicy } from './auth/admission-policy.ts';
import { PlaybackTokens } from './auth/playback-tokens.ts';
import { AdminAuth, StreamAccess, type StreamCredentials } from './auth/stream-access.ts';
import { Webhooks } from './auth/webhooks.ts';
import { healthRoutes } from './api/health.ts';
import { metricsRoutes } from './api/metrics.ts';
import { playbackTokensRoutes } from './api/playback-tokens.ts';
import { streamsRoutes } from './api/streams.ts';
import { resolveOriginConfig, type OriginSettings } from './config.ts';
import { hlsRoutes } from './hls/hls-routes.ts';
import { HlsService } from './hls/hls-service.ts';
import { silentLogger, type Logger } from './log.ts';
import { httpFlvRoutes } from './protocols/http/http-flv.ts';
import { OriginHttpServer } from './protocols/http/http-server.ts';
import { playerRoutes } from './protocols/http/player-page.ts';
import { RtmpListener } from './protocols/rtmp/listener.ts';
import { TlsCertificates } from './protocols/tls-certificates.ts';
import { LiveStream } from './stream/live-stream.ts';
import { StreamHub } from './stream/stream-hub.ts';
import { OriginStore } from './store/origin-store.ts';
import { updateFeedRoutes } from './updates/update-feed.ts';

/**
 * What `startOrigin` accepts: the fields of the configuration schema (`config.ts`; only
 * `dataDir` is required, every other field has its default there), plus what only code can pass.
 */
export type OriginOptions = OriginSettings & {
  /** Where log lines go. Default: nowhere. */
  log?: Logger;
  /** Shown in webhook user agents. */
  version?: string;
};

/** A running origin. */
export interface Origin {
  /** `rtmp://HOST:PORT/live` and `http://HOST:PORT/`. */
  /** `rtmps://HOST:PORT/live` with a certificate; `http` is then `https://HOST:PORT/`. */
  urls: { rtmp: string; http: string; rtmps?: string };
  /** Streams whose keys were generated at this start: show them once. */
  createdStreams: StreamCredentials[];
  /** The admin token generated at this start: show it once. */
  generatedAdminToken: string | undefined;
  /** Reads the certificate and key again for new TLS connections (SIGHUP); false when they do not load. */
  reloadCertificates(): boolean;
  /** Shuts down gracefully: ends HLS playlists, disconnects everyone, closes listeners and the store. */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts an origin. Throws when the options break the schema (the message names each field)
 * or a port is taken; nothing is left open then.
 */
export async function startOrigin(options: OriginOptions): Promise<Origin> {
  const { log = silentLogger, version = '0.0.0', ...settings } = options;
  const config = resolveOriginConfig(settings, 'origin options');
  const { host, app, limits } = config;

  const store = new OriginStore(config.dataDir);
  const resources: { close(): Promise<void> | void }[] = [{ close: () => store.dispose() }];
  try {
    const access = new StreamAccess(store);
    const createdStreams = access.ensureStreams(config.streams);
    const admin = new AdminAuth(store, config.adminToken);
    const webhooks = new Webhooks(config.webhooks, log, version);
    const hub = new StreamHub((name) => {
      const stream = new LiveStream(name, {
        maxGopCacheBytes: limits.maxGopCacheBytes,
        maxMetadataBytes: limits.maxMetadataBytes,
        framesPerWrite: limits.framesPerWrite,
        log,
      });
      if (config.hls.enabled) hls.attach(stream);
      return stream;
    });
    const tokens = new PlaybackTokens(store, { current: config.playbackTokens.secret, previous: config.playbackTokens.previousSecret });
    const admission = new AdmissionPolicy({ access, webhooks, tokens, stream: (name) => hub.get(name) });
    const hls = new HlsService(config.hls, log, admission);
    resources.unshift({ close: () => hls.dispose() });

    const { certFile, keyFile } = config.tls;
    const certificates = certFile && keyFile ? new TlsCertificates(certFile, keyFile, log) : undefined;
    const rtmpOptions = { host, port: config.rtmpPort, app, maxConnections: limits.maxConnections, limits, log, admission };
    const rtmp = new RtmpListener(rtmpOptions);
    const rtmpPort = await rtmp.listen();
    resources.unshift({ close: () => rtmp.close('origin shutting down') });
    const urls: Origin['urls'] = { rtmp: `rtmp://${urlHost(host)}:${rtmpPort}/${app}`, http: '' };
    // RTMPS beside plain RTMP: the same sessions over TLS.
    const rtmps = certificates && new RtmpListener({ ...rtmpOptions, port: config.tls.rtmpsPort, tls: certificates.current });
    if (rtmps && certificates) {
      urls.rtmps = `rtmps://${urlHost(host)}:${await rtmps.listen()}/${app}`;
      resources.unshift({ close: () => rtmps.close('origin shutting down') });
      certificates.serve(rtmps);
    }

    let draining = false;
    const http = new OriginHttpServer(log, certificates?.current);
    if (certificates) certificates.serve(http.secureListener);
    http.register(healthRoutes(() => draining));
    http.register(
      metricsRoutes({
        source: {
          streams: () => hub.all(),
          hlsViewers: (name) => hls.viewerCount(name),
          rtmpConnections: () => rtmp.connectionCount,
        },
        // Figures name streams and addresses: beyond loopback they need the admin token too.
        tokenRequired: !isLoopbackHost(host),
        admin,
      }),
    );
    http.register(
      streamsRoutes({
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
      }),
    );
    http.register(playbackTokensRoutes({ access, admin, tokens, urls, log }));
    http.register(
      httpFlvRoutes({
        admission,
        log,
        backpressure: limits.backpressure,
        peek: (name) => (access.exists(name) ? hub.get(name) : undefined),
      }),
    );
    http.register(hlsRoutes(hls));
    http.register(playerRoutes({ exists: (name) => access.exists(name) }));
    if (config.updatesDir) http.register(updateFeedRoutes(config.updatesDir, log.child({ service: 'updates' })));
    const httpPort = await http.listen(host, config.httpPort);
    urls.http = `${certificates ? 'https' : 'http'}://${urlHost(host)}:${httpPort}/`;
    resources.unshift({ close: () => http.close() });

    log.info({ rtmp: urls.rtmp, http: urls.http, dataDir: config.dataDir, hls: config.hls.enabled }, 'origin started');
    let closing: Promise<void> | undefined;
    return {
      urls,
      createdStreams,
      generatedAdminToken: admin.generatedToken,
      reloadCertificates: () => certificates?.reload() ?? false,
      close: () =>
        (closing ??= (async () => {
          draining = true;
          log.info({}, 'origin shutting down');
          await Promise.all([rtmp.close('origin shutting down'), rtmps?.close('origin shutting down')]);
          hls.endAll();
          hub.closeAll('origin shutting down');
          // Players fetch the ended playlists while HTTP still answers.
          await new Promise((resolve) => setTimeout(resolve, config.shutdownGraceMs));
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
