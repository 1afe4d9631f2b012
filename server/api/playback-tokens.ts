/**
 * Signed playback links in the admin API (`Authorization: Bearer TOKEN`), what a venue's
 * payment or login system calls once it has sold a ticket:
 * - `POST /api/v1/streams/NAME/playback-tokens` `{"ttlSeconds"?: 1..604800 (default 3600), "clientIp"?: "ADDR"}`:
 *   a token and the viewer's links carrying it (`?token=…`): HLS, HTTP-FLV, RTMP, the player page.
 * - `PUT /api/v1/streams/NAME/playback-policy` `{"requireToken": true|false}`: from now on every
 *   playback request of the stream needs a valid token (403, RTMP `NetStream.Play.Failed` without).
 * - `POST /api/v1/playback-secrets/rotate`: a new signing secret; tokens signed with the previous one
 *   stay valid until the next rotation (409 when the secrets are configured).
 */
import { isIP } from 'node:net';
import type { FastifyPluginAsync } from 'fastify';
import * as z from 'zod';
import type { PlaybackTokens } from '../auth/playback-tokens.ts';
import type { AdminAuth, StreamAccess } from '../auth/stream-access.ts';
import type { Logger } from '../log.ts';
import { adminJsonApi } from './streams.ts';

/** What the routes need. */
export interface PlaybackTokensApiDeps {
  access: Pick<StreamAccess, 'exists' | 'setRequirePlaybackToken'>;
  admin: AdminAuth;
  tokens: Pick<PlaybackTokens, 'mint' | 'rotate' | 'rotatable'>;
  urls: { rtmp: string; http: string };
  log: Logger;
}

const mintBody = z
  .object({
    ttlSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600)
      .optional(),
    clientIp: z
      .string()
      .refine((value) => isIP(value) !== 0, 'an IPv4 or IPv6 address')
      .optional(),
  })
  .strict();
const policyBody = z.object({ requireToken: z.boolean() }).strict();

type Named = { Params: { name: string } };

/** The playback-token routes. */
export function playbackTokensRoutes(deps: PlaybackTokensApiDeps): FastifyPluginAsync {
  return async (app) => {
    adminJsonApi(app, deps.admin);

    app.post<Named>('/api/v1/streams/:name/playback-tokens', async (request, reply) => {
      const { name } = request.params;
      if (!deps.access.exists(name)) return reply.code(404).send({ error: `no stream "${name}"` });
      const { ttlSeconds = 3600, clientIp } = mintBody.parse(request.body ?? {});
      const { token, expiresAtMs } = deps.tokens.mint(name, ttlSeconds * 1000, clientIp);
      const query = `token=${encodeURIComponent(token)}`;
      return reply.code(201).send({
        stream: name,
        token,
        expiresAt: new Date(expiresAtMs).toISOString(),
        boundTo: clientIp ?? null,
        urls: {
          hls: `${deps.urls.http}live/${name}/index.m3u8?${query}`,
          flv: `${deps.urls.http}live/${name}.flv?${query}`,
          rtmp: `${deps.urls.rtmp}/${name}?${query}`,
          player: `${deps.urls.http}live/${name}?${query}`,
        },
      });
    });

    app.put<Named>('/api/v1/streams/:name/playback-policy', async (request, reply) => {
      const { name } = request.params;
      const { requireToken } = policyBody.parse(request.body ?? {});
      if (!deps.access.exists(name) || !deps.access.setRequirePlaybackToken(name, requireToken))
        return reply.code(404).send({ error: `no stream "${name}"` });
      deps.log.info({ stream: name, requireToken }, 'playback policy changed');
      return { stream: name, requireToken };
    });

    app.post('/api/v1/playback-secrets/rotate', async (_request, reply) => {
      if (!deps.tokens.rotatable)
        return reply.code(409).send({ error: 'playback secrets are configured (--playback-secret); change them there' });
      deps.tokens.rotate();
      deps.log.info({}, 'playback secret rotated');
      return { rotated: true };
    });
  };
}
