/** The admin token check for API routes: `Authorization: Bearer TOKEN`, or 401 with a `WWW-Authenticate` challenge. */
import type { onRequestAsyncHookHandler } from 'fastify';
import type { AdminAuth } from '../auth/stream-access.ts';

/** A hook that lets through only requests that carry the admin token. */
export function adminGuard(admin: Pick<AdminAuth, 'authorizes'>): onRequestAsyncHookHandler {
  return async (request, reply) => {
    if (admin.authorizes(request.headers.authorization)) return;
    return reply
      .code(401)
      .headers({ 'www-authenticate': 'Bearer realm="tally-origin"', 'cache-control': 'no-store' })
      .send({ error: 'missing or wrong admin token (Authorization: Bearer TOKEN)' });
  };
}
