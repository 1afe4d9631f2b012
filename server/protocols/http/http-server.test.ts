import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishFixture, startTestOrigin, until, TEST_ADMIN_TOKEN, TEST_KEY, type TestOrigin } from '../../testing.ts';
import { RtmpClient, type RtmpStatusError } from '../../../net/rtmp/client.ts';

describe('the origin over HTTP (fastify)', () => {
  let origin: TestOrigin;
  let hooks: Server;
  let publisher: RtmpClient;

  beforeAll(async () => {
    // The venue's system refuses every viewer of "main".
    hooks = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(request.url === '/on_play' ? 403 : 204).end());
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
    origin = await startTestOrigin({ webhooks: { onPlay: `${hookUrl}/on_play` }, hls: { segmentDurationMs: 500 } });
    publisher = await publishFixture(origin.urls.rtmp, TEST_KEY, { loops: 4 });
    await until(
      async () => (await fetch(`${origin.urls.http}live/main/index.m3u8`, { method: 'HEAD' })).status !== 404,
      5000,
      'a playlist',
    );
  });

  afterAll(async () => {
    publisher?.destroy();
    await origin?.close();
    hooks?.close();
  });

  it('maps one typed refusal to each protocol’s answer: 403 and NetStream.Play.Failed when denied, 404 and StreamNotFound when unknown', async () => {
    expect((await fetch(`${origin.urls.http}live/main.flv`)).status).toBe(403);
    expect((await fetch(`${origin.urls.http}live/main/index.m3u8`)).status).toBe(403);
    expect((await fetch(`${origin.urls.http}live/nope.flv`)).status).toBe(404);
    expect((await fetch(`${origin.urls.http}live/nope/index.m3u8`)).status).toBe(404);
    const denied = await RtmpClient.connect(origin.urls.rtmp);
    expect(await denied.play('main').catch((error: unknown) => (error as RtmpStatusError).code)).toBe('NetStream.Play.Failed');
    const unknown = await RtmpClient.connect(origin.urls.rtmp);
    expect(await unknown.play('nope').catch((error: unknown) => (error as RtmpStatusError).code)).toBe('NetStream.Play.StreamNotFound');
    denied.destroy();
    unknown.destroy();
  });

  it('answers CORS preflights for media only, and never for the API', async () => {
    const preflight = await fetch(`${origin.urls.http}live/main.flv`, {
      method: 'OPTIONS',
      headers: { origin: 'https://venue.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('range');
    const api = await fetch(`${origin.urls.http}api/v1/streams`, {
      headers: { origin: 'https://venue.example', authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(api.status).toBe(200);
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves the player’s assets and players from their packages, and nothing outside them', async () => {
    for (const file of ['player.js', 'live-edge.js', 'player.css', 'hls.min.js', 'mpegts.js']) {
      const response = await fetch(`${origin.urls.http}player/${file}`);
      expect({ file, status: response.status }).toEqual({ file, status: 200 });
      await response.arrayBuffer();
    }
    for (const path of ['player/..%2F..%2F..%2Fpackage.json', 'player/%2e%2e/http-server.ts', 'player/../origin.ts', 'live/..%2Fapi/page'])
      expect({ path, status: (await fetch(`${origin.urls.http}${path}`)).status }).toEqual({ path, status: 404 });
    const page = await fetch(`${origin.urls.http}live/main`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses API bodies that are too big or not JSON', async () => {
    const post = (body: string) =>
      fetch(`${origin.urls.http}api/v1/streams`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body });
    expect((await post(JSON.stringify({ name: 'x'.repeat(20_000) }))).status).toBe(413);
    expect((await post('{')).status).toBe(400);
    expect(((await (await post('{"name": 5}')).json()) as { error: string }).error).toMatch(/^name: /);
  });
});

describe('the one loopback test', () => {
  it('treats an origin bound to 127.0.0.2 as loopback: /metrics needs no token there', async () => {
    const origin = await startTestOrigin({ host: '127.0.0.2' });
    try {
      expect(origin.urls.http).toMatch(/^http:\/\/127\.0\.0\.2:/);
      expect((await fetch(`${origin.urls.http}metrics`)).status).toBe(200);
    } finally {
      await origin.close();
    }
  });
});
