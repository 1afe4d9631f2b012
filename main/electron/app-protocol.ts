/**
 * Serves the built renderer on `tally://app/` with the studio's CSP. A custom standard,
 * secure scheme gives the renderer a real origin (for sender checks and the CSP's 'self')
 * without file:// and its broad access.
 */
import { readFile } from 'node:fs/promises';
import { STUDIO_CSP } from '../../common/csp.ts';
import { contentTypeOf, resolveInside } from '../services/static-content.ts';
import { isAppUrl } from './security.ts';

/** Answers one tally:// request from `rendererDir`. */
export async function serveAppRequest(rendererDir: string, request: Pick<Request, 'url' | 'method'>): Promise<Response> {
  const url = new URL(request.url);
  if (!isAppUrl(request.url)) return new Response('not found', { status: 404 });
  if (request.method !== 'GET') return new Response('method not allowed', { status: 405 });
  const file = resolveInside(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
  if (!file) return new Response('bad path', { status: 400 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: { 'content-type': contentTypeOf(file), 'content-security-policy': STUDIO_CSP, 'x-content-type-options': 'nosniff' },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}
