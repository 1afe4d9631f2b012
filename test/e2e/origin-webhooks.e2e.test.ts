import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishTestPattern } from './support/media.ts';
import { startOriginProcess, type OriginProcess } from './support/origin.ts';

const KEY = 'e2e-webhook-key-0123456789';

describe('Tally Origin webhooks with ffmpeg publishing', () => {
  let origin: OriginProcess;
  let hooks: Server;
  const calls: { path: string; body: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    // The venue's system: allows the stream "main" only on the second attempt.
    let attempts = 0;
    hooks = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        calls.push({ path: request.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
        response.writeHead(request.url === '/on_publish' && ++attempts === 1 ? 403 : 204).end();
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
    origin = await startOriginProcess(KEY, [
      ...['--on-publish', `${hookUrl}/on_publish`, '--on-unpublish', `${hookUrl}/on_unpublish`],
      ...['--webhook-secret', 'shh', '--shutdown-grace-ms', '0'],
    ]);
  });

  afterAll(async () => {
    await origin?.stop();
    hooks?.close();
  });

  it('a webhook that denies blocks publishing; one that allows lets it through', async () => {
    const { rtmp } = origin;
    const denied = publishTestPattern(`${rtmp}/${KEY}`, { seconds: 2, size: '320x180' });
    expect(await denied.exited).not.toBe(0);
    expect(denied.stderr()).toContain('Publishing denied');
    const allowed = publishTestPattern(`${rtmp}/${KEY}`, { seconds: 2, size: '320x180' });
    expect(await allowed.exited).toBe(0);
    await expect.poll(() => calls.map((call) => call.path), { timeout: 5000 }).toEqual(['/on_publish', '/on_publish', '/on_unpublish']);
    expect(calls[0]!.body).toMatchObject({ event: 'on_publish', stream: 'main', protocol: 'rtmp', clientIp: '127.0.0.1' });
    expect(JSON.stringify(calls)).not.toContain(KEY);
  });
});
