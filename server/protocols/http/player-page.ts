/**
 * The player page `GET /live/NAME` and its assets under `/player/`: our script and style,
 * and hls.js and mpegts.js straight from their npm packages, so nothing comes from a CDN.
 * The page has a strict Content-Security-Policy (no inline script; workers from blob: for
 * hls.js and mpegts.js; media from this origin and MSE blobs).
 */
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** The files under `/player/`, resolved once. */
const ASSETS: Record<string, { path: string; type: string }> = {
  'hls.min.js': { path: require.resolve('hls.js/dist/hls.min.js'), type: 'text/javascript; charset=utf-8' },
  'mpegts.js': { path: require.resolve('mpegts.js/dist/mpegts.js'), type: 'text/javascript; charset=utf-8' },
  'player.js': { path: join(import.meta.dirname, 'player', 'player.js'), type: 'text/javascript; charset=utf-8' },
  'player.css': { path: join(import.meta.dirname, 'player', 'player.css'), type: 'text/css; charset=utf-8' },
};

const cache = new Map<string, Buffer>();

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

/** Writes the player page for a stream name (already validated as [A-Za-z0-9_-]). */
export function servePlayerPage(name: string, response: ServerResponse): void {
  const safe = escapeHtml(name);
  const html = `<!doctype html>
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
<script src="/player/player.js" data-stream="${safe}"></script>
</body>
</html>
`;
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': PLAYER_CSP,
    'cache-control': 'no-cache',
  });
  response.end(html);
}

/** Serves `/player/FILE`; false when there is no such asset. */
export function servePlayerAsset(file: string, response: ServerResponse): boolean {
  const asset = ASSETS[file];
  if (!asset || !Object.hasOwn(ASSETS, file)) return false;
  let body = cache.get(file);
  if (!body) {
    body = readFileSync(asset.path);
    cache.set(file, body);
  }
  response.writeHead(200, { 'content-type': asset.type, 'content-length': body.length, 'cache-control': 'public, max-age=300' });
  response.end(body);
  return true;
}
