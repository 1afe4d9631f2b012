import { afterEach, describe, expect, it } from 'vitest';
import { RtmpClient, RtmpStatusError } from '../../net/rtmp/client.ts';
import type { StreamSummary } from './streams.ts';
import { publishFixture, startTestOrigin, until, TEST_ADMIN_TOKEN, TEST_KEY, type TestOrigin } from '../testing.ts';

let origin: TestOrigin | undefined;
afterEach(async () => {
  await origin?.close();
  origin = undefined;
});

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

/** What the API answers: a stream, a list of them, a freshly shown key, or an error. */
type ApiBody = Partial<StreamSummary> & { streams: StreamSummary[]; key?: string; publishUrl?: string; error?: string };

async function api(path: string, init: RequestInit = {}): Promise<{ status: number; body: ApiBody }> {
  const response = await fetch(`${origin!.urls.http}api/v1/${path}`, {
    ...init,
    headers: { ...auth, ...(init.headers as Record<string, string>) },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as ApiBody };
}

describe('the admin API', () => {
  it('needs the admin token', async () => {
    origin = await startTestOrigin();
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: TEST_ADMIN_TOKEN },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${origin.urls.http}api/v1/streams`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('lists a live stream with codecs, size, fps, bitrate, viewers per protocol and uptime', async () => {
    origin = await startTestOrigin();
    const publisher = await publishFixture(origin.urls.rtmp, TEST_KEY, { loops: 4 });
    const viewer = await RtmpClient.connect(origin.urls.rtmp);
    await viewer.play('main');
    const flv = await fetch(`${origin.urls.http}live/main.flv`);
    const reader = flv.body!.getReader();
    await reader.read();
    const { status, body } = await api('streams');
    expect(status).toBe(200);
    const [main] = body.streams;
    expect(main).toMatchObject({
      name: 'main',
      live: true,
      video: { codec: 'h264', codecString: 'avc1.4d400b', width: 160, height: 90, fps: 30 },
      audio: { codec: 'aac', codecString: 'mp4a.40.2', sampleRateHz: 44100, channels: 1 },
      viewers: { rtmp: 1, flv: 1, hls: 0, total: 2 },
      publisher: { protocol: 'rtmp', remoteAddress: '127.0.0.1' },
    });
    expect(main!.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(main!.bitrateKbps).toBeGreaterThanOrEqual(0);
    expect(main!.bytesIn).toBeGreaterThan(50_000);
    expect(JSON.stringify(body)).not.toContain(TEST_KEY);
    await reader.cancel();
    viewer.destroy();
    publisher.destroy();
  });

  it('creates a stream and shows its key once; the key publishes; rotation replaces it; delete removes it and its publisher', async () => {
    origin = await startTestOrigin();
    const created = await api('streams', { method: 'POST', body: JSON.stringify({ name: 'venue-2' }) });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.body.publishUrl).toBe(`${origin.urls.rtmp}/${created.body.key}`);
    expect((await api('streams', { method: 'POST', body: JSON.stringify({ name: 'venue-2' }) })).status).toBe(409);
    expect((await api('streams', { method: 'POST', body: JSON.stringify({ name: '../etc' }) })).status).toBe(400);
    expect((await api('streams', { method: 'POST', body: '{' })).status).toBe(400);
    const listed = await api('streams/venue-2');
    expect(listed.body.key).toBeUndefined();

    const publisher = await publishFixture(origin.urls.rtmp, created.body.key!);
    await until(async () => (await api('streams/venue-2')).body.live, 3000, 'live');

    const rotated = await api('streams/venue-2/rotate-key', { method: 'POST', body: JSON.stringify({ disconnect: true }) });
    expect(rotated.status).toBe(200);
    expect(rotated.body.key).not.toBe(created.body.key);
    await publisher.closed;
    const old = await RtmpClient.connect(origin.urls.rtmp);
    await expect(old.publish(created.body.key!)).rejects.toBeInstanceOf(RtmpStatusError);
    const again = await publishFixture(origin.urls.rtmp, rotated.body.key!);

    const deleted = await fetch(`${origin.urls.http}api/v1/streams/venue-2`, { method: 'DELETE', headers: auth });
    expect(deleted.status).toBe(204);
    await again.closed;
    expect((await api('streams/venue-2')).status).toBe(404);
    expect((await fetch(`${origin.urls.http}live/venue-2`)).status).toBe(404);
  });
});

describe('metrics and health', () => {
  it('serves Prometheus text with bytes, publishers, viewers, dropped frames and process figures, and /healthz', async () => {
    origin = await startTestOrigin();
    const publisher = await publishFixture(origin.urls.rtmp, TEST_KEY, { loops: 2 });
    const viewer = await RtmpClient.connect(origin.urls.rtmp);
    await viewer.play('main');
    const used = process.cpuUsage();
    const response = await fetch(`${origin.urls.http}metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^tally_origin_publishers 1$/m);
    expect(text).toMatch(/^tally_origin_viewers\{stream="main",protocol="rtmp"\} 1$/m);
    const received = Number(/^tally_origin_bytes_received_total\{stream="main"\} (\d+)$/m.exec(text)?.[1]);
    expect(received).toBeGreaterThan(40_000);
    expect(Number(/^tally_origin_bytes_sent_total\{stream="main",protocol="rtmp"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(1000);
    expect(text).toMatch(/^tally_origin_dropped_frames_total\{stream="main"\} 0$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    // CPU since the process started, not since the first scrape (a test process has used plenty by now).
    const cpuSeconds = Number(/^process_cpu_seconds_total ([\d.e+-]+)$/m.exec(text)?.[1]);
    expect(cpuSeconds).toBeGreaterThanOrEqual((used.user + used.system) / 1e6 - 0.01);
    const health = await fetch(`${origin.urls.http}healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    viewer.destroy();
    publisher.destroy();
  });

  it('keeps two origins in one process apart', async () => {
    origin = await startTestOrigin();
    const second = await startTestOrigin();
    try {
      const publisher = await publishFixture(origin.urls.rtmp, TEST_KEY);
      const [one, two] = await Promise.all(
        [fetch(`${origin.urls.http}metrics`), fetch(`${second.urls.http}metrics`)].map(async (r) => (await r).text()),
      );
      expect(one).toMatch(/^tally_origin_publishers 1$/m);
      expect(two).toMatch(/^tally_origin_publishers 0$/m);
      publisher.destroy();
    } finally {
      await second.close();
    }
  });
});
