import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RtmpClient, RtmpStatusError } from '../../net/rtmp/client.ts';
import { publishFixture, startTestOrigin, until, TEST_KEY, type TestOrigin } from '../testing.ts';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP receiver that answers each path with a status (or never, for timeouts). */
async function receiver(statuses: Record<string, number | 'hang'>): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body });
      const status = statuses[request.url ?? ''] ?? 200;
      if (status !== 'hang') response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

let origin: TestOrigin | undefined;
let hook: Awaited<ReturnType<typeof receiver>> | undefined;
afterEach(async () => {
  await origin?.close();
  hook?.server.closeAllConnections();
  hook?.server.close();
  origin = hook = undefined;
});

const SECRET = 'webhook-secret';

describe('webhooks', () => {
  it('sends signed on_publish, on_play, on_stop and on_unpublish; a 2xx allows', async () => {
    hook = await receiver({});
    origin = await startTestOrigin({
      webhooks: {
        onPublish: `${hook.url}/publish`,
        onUnpublish: `${hook.url}/unpublish`,
        onPlay: `${hook.url}/play`,
        onStop: `${hook.url}/stop`,
        secret: SECRET,
      },
    });
    const publisher = await publishFixture(origin.urls.rtmp, TEST_KEY);
    const viewer = await RtmpClient.connect(origin.urls.rtmp);
    await viewer.play('main');
    viewer.destroy();
    await until(() => hook!.received.some((r) => r.path === '/stop'), 3000, 'on_stop');
    await publisher.close();
    await until(() => hook!.received.some((r) => r.path === '/unpublish'), 3000, 'on_unpublish');
    expect(hook.received.map((r) => r.path)).toEqual(['/publish', '/play', '/stop', '/unpublish']);
    for (const request of hook.received) {
      const expected = `sha256=${createHmac('sha256', SECRET).update(request.body).digest('hex')}`;
      expect(request.headers['x-tally-signature']).toBe(expected);
      expect(request.headers['content-type']).toBe('application/json');
      const body = JSON.parse(request.body) as Record<string, unknown>;
      expect(body).toMatchObject({ stream: 'main', clientIp: '127.0.0.1' });
      expect(body.event).toBe(`on_${request.path.slice(1)}`);
      expect(typeof body.timestamp).toBe('number');
      expect(request.body).not.toContain(TEST_KEY);
    }
    const unpublish = JSON.parse(hook.received[3]!.body) as { protocol: string; bytes: number; durationMs: number };
    expect(unpublish.protocol).toBe('rtmp');
    expect(unpublish.bytes).toBeGreaterThan(20_000); // the fixture is 24 KB
    expect(unpublish.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('a denying on_publish blocks publishing; a timed-out on_play denies playback', async () => {
    hook = await receiver({ '/publish': 403, '/play': 'hang' });
    origin = await startTestOrigin({ webhooks: { onPublish: `${hook.url}/publish`, onPlay: `${hook.url}/play`, timeoutMs: 300 } });
    const client = await RtmpClient.connect(origin.urls.rtmp);
    const refusal = await client.publish(TEST_KEY).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RtmpStatusError);
    expect((refusal as RtmpStatusError).message).toMatch(/Publishing denied/);
    await client.closed;
    expect(origin.lines.find((line) => line.msg === 'rtmp connection closed')?.fields.reason).toBe(
      'publish refused: on_publish denied (webhook answered 403)',
    );
    const flv = await fetch(`${origin.urls.http}live/main.flv`);
    expect(flv.status).toBe(403);
    expect(origin.lines.some((line) => /on_play denied \(webhook timed out after 300 ms\)/.test(String(line.fields.reason)))).toBe(true);
  });
});
