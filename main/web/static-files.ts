/**
 * Serves the built renderer over HTTP from one folder. Unknown routes without an extension
 * get `index.html` so the single-page app can own its routes.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { contentTypeOf, resolveInside } from '../services/static-content.ts';

/** Answers a GET/HEAD for a file of the renderer build, with the given extra headers. */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
  const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
  let file = resolveInside(root, urlPath === '/' ? '/index.html' : urlPath);
  if (!file) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad path');
    return;
  }
  let info = await stat(file).catch(() => null);
  if ((!info || info.isDirectory()) && !extname(urlPath)) {
    file = join(root, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info || !info.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const isHashedAsset = urlPath.startsWith('/assets/');
  res.writeHead(200, {
    ...headers,
    'content-type': contentTypeOf(file),
    'content-length': String(info.size),
    'cache-control': isHashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
