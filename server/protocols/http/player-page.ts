/**
 * The player page `GET /live/NAME` and its assets under `/player/`: our script and style
 * (from `player/`), and hls.js and mpegts.js straight from their npm packages, so nothing comes
 * from a CDN. Only the five files named here are served (no directory is exposed, so no path
 * can lead out of one), by `@fastify/send` (ETag, Last-Modified, ranges, `Cache-Control`),
 * loaded on the first asset request: an origin nobody watches through its page does not hold it.
 * The page has a strict Content-Security-Policy (no inline script; workers from blob: for hls.js
 * and mpegts.js; media from this origin and MSE blobs).
 */
import type { FastifyPluginAsync, RouteHandler } from 'fastify';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { URL_STREAM_NAME } from './http-server.ts';

const require = createRequire(import.meta.url);

/** Where `player.js` and `player.css` are: beside this file in the sources, beside the bundle in a build (copied there). */
export const PLAYER_ASSETS_DIR = join(import.meta.dirname, 'player');

/** Every file under `/player/`: file name → its folder (ours, or the player's npm package). */
const PLAYER_ASSETS: Readonly<Record<string, string>> = {
  'player.js': PLAYER_ASSETS_DIR,
  'player.css': PLAYER_ASSETS_DIR,
  'live-edge.js': PLAYER_ASSETS_DIR,
  'hls.min.js': dirname(require.resolve('hls.js/dist/hls.min.js')),
  'mpegts.js': dirname(require.resolve('mpegts.js/dist/mpegts.js')),
};

/** How long browsers may keep an asset without asking again, in ms. */
const ASSET_MAX_AGE_MS = 300_000;

/** The page's Content-Security-Policy. */
export const PLAYER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The player page for a stream name (already validated as [A-Za-z0-9_-]). */
export function playerPageHtml(name: string): string {
  const safe = escapeHtml(name);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${safe} · Tally Origin</title>
<link rel="stylesheet" href="/player/player.css">
</head>
<body>
<main>
<h1>${safe}</h1>
<video id="video" controls muted autoplay playsinline aria-label="Live stream ${safe}"></video>
<p id="status" role="status" aria-label="Player status">Connecting…</p>
<p>Play as: <a href="?mode=hls">HLS</a> · <a href="?mode=flv">HTTP-FLV (lower latency)</a> · <a href="/live/${safe}.flv">FLV URL</a> · <a href="/live/${safe}/index.m3u8">HLS URL</a></p>
</main>
<script src="/player/hls.min.js"></script>
<script src="/player/mpegts.js"></script>
<script src="/player/live-edge.js"></script>
<script src="/player/player.js" data-stream="${safe}"></script>
</body>
</html>
`;
}

/** The routes: the page for streams that exist, and the assets. */
export function playerRoutes(deps: { exists(name: string): boolean }): FastifyPluginAsync {
  return async (app) => {
    for (const [file, root] of Object.entries(PLAYER_ASSETS))
      app.get(`/player/${file}`, async (request, reply) => {
        const { default: send } = await import('@fastify/send');
        const { statusCode, headers, stream, type } = await send(request.raw, file, { root, maxAge: ASSET_MAX_AGE_MS });
        if (type === 'error' && statusCode === 404) return reply.callNotFound();
        return reply.code(statusCode).headers(headers).send(stream);
      });
    const page: RouteHandler<{ Params: { name: string } }> = async (request, reply) => {
      const { name } = request.params;
      if (!URL_STREAM_NAME.test(name) || !deps.exists(name)) return reply.callNotFound();
      return reply
        .headers({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PLAYER_CSP, 'cache-control': 'no-cache' })
        .send(playerPageHtml(name));
    };
    app.get('/', async (_request, reply) => reply.type('text/plain; charset=utf-8').send('Tally Origin. Watch a stream at /live/NAME.\n'));
    app.get('/live/:name', page);
    app.get('/live/:name/', page);
  };
}
