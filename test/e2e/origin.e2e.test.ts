import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobe, publishTestPattern, summary, waitFor, type Publisher } from './support/media.ts';
import { publishFixture } from '../../server/testing.ts';
import { readFileSync } from 'node:fs';
import { startOriginBin, startOriginProcess, type OriginProcess } from './support/origin.ts';
import { tempDataDir } from './support/processes.ts';

const KEY = 'e2e-stream-key-0123456789';
const TOKEN = 'e2e-admin-token-0123456789';

describe('Tally Origin with ffmpeg and ffprobe as peers', () => {
  let origin: OriginProcess;
  let rtmp: string;
  let http: string;
  let publisher: Publisher;

  beforeAll(async () => {
    origin = await startOriginProcess(KEY, ['--shutdown-grace-ms', '3000'], { TALLY_ADMIN_TOKEN: TOKEN });
    ({ rtmp, http } = origin);
    publisher = publishTestPattern(`${rtmp}/${KEY}`);
    // Live once the HLS playlist has its first segment (a keyframe every 2 s).
    await waitFor(async () => (await fetch(`${http}live/main/index.m3u8`)).ok, 20_000, 'the first HLS segment');
  });

  afterAll(async () => {
    await publisher?.stop('SIGKILL');
    await origin?.stop();
  });

  it('prints its URLs on their own lines, and no stream key; its secrets are not on its command line (ps)', () => {
    expect(origin.process.stdoutLines).toContain(`RTMP: ${rtmp}`);
    expect(rtmp).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+\/live$/);
    expect(origin.process.stdoutLines.join('\n')).not.toContain(KEY);
    expect(origin.process.stderr()).not.toContain(KEY);
    const commandLine = readFileSync(`/proc/${origin.process.child.pid}/cmdline`, 'utf8');
    expect(commandLine).toContain('dist/origin/cli.js');
    expect(commandLine).not.toContain(KEY);
    expect(commandLine).not.toContain(TOKEN);
  });

  it('ffprobe reads h264 1280x720 and aac back over HTTP-FLV, RTMP play and HLS', async () => {
    expect(summary(await ffprobe(`${http}live/main.flv`))).toEqual({ video: 'h264 1280x720', audio: 'aac' });
    expect(summary(await ffprobe(`${rtmp}/main`))).toEqual({ video: 'h264 1280x720', audio: 'aac' });
    expect(summary(await ffprobe(`${http}live/main/index.m3u8`))).toEqual({ video: 'h264 1280x720', audio: 'aac' });
  });

  it('a viewer who joins mid-stream gets a keyframe first, over HTTP-FLV and RTMP', async () => {
    for (const url of [`${http}live/main.flv`, `${rtmp}/main`]) {
      const probe = await ffprobe(url, { packets: 8 });
      const firstVideo = probe.packets!.find((packet) => packet.codec_type === 'video');
      expect(firstVideo?.flags).toMatch(/^K/);
    }
  });

  it('refuses a wrong key with an RTMP error status', async () => {
    const wrong = publishTestPattern(`${rtmp}/not-the-key-0123456789`, { seconds: 2, size: '320x180' });
    expect(await wrong.exited).not.toBe(0);
    expect(wrong.stderr()).toContain('Invalid stream key');
    expect(origin.process.stderr()).not.toContain('not-the-key-0123456789');
  });

  it('reports the stream in the API and in /metrics', async () => {
    const response = await fetch(`${http}api/v1/streams/main`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const stream = (await response.json()) as Record<string, unknown>;
    expect(stream).toMatchObject({
      name: 'main',
      live: true,
      video: { codec: 'h264', width: 1280, height: 720, fps: 30 },
      audio: { codec: 'aac', sampleRateHz: 48000 },
    });
    expect(stream.bitrateKbps).toBeGreaterThan(100);
    const metrics = await (await fetch(`${http}metrics`)).text();
    expect(metrics).toMatch(/^tally_origin_publishers 1$/m);
    expect(Number(/^tally_origin_bytes_received_total\{stream="main"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(100_000);
    expect(Number(/^tally_origin_bytes_sent_total\{stream="main",protocol="flv"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(10_000);
  });

  it('on SIGTERM ends the HLS playlist, reports draining, and exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => origin.process.child.once('exit', (code) => resolve(code)));
    origin.process.child.kill('SIGTERM');
    await expect
      .poll(async () => (await fetch(`${http}live/main/index.m3u8`)).text(), { timeout: 5000, interval: 100 })
      .toMatch(/#EXT-X-ENDLIST\n$/);
    expect((await fetch(`${http}healthz`)).status).toBe(503);
    expect(await exited).toBe(0);
    expect(await publisher.exited).not.toBeUndefined();
  });
});

describe('a fresh origin', () => {
  it('creates the stream "main", prints its key and an admin token once, and the printed key publishes', async () => {
    const data = tempDataDir();
    try {
      const args = ['--rtmp-port', '0', '--http-port', '0', '--data-dir', data.dir];
      const first = await startOriginBin(args);
      const keyLine = first.stdoutLines.find((line) => line.startsWith('Stream "main" created.'));
      const key = /shown only this once: (\S+)$/.exec(keyLine ?? '')?.[1];
      const token = /^Admin API token .* shown only this once: (\S+)$/m.exec(first.stdoutLines.join('\n'))?.[1];
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const rtmp = first.stdoutLines.find((line) => line.startsWith('RTMP: '))!.slice('RTMP: '.length);
      const publisher = await publishFixture(rtmp, key!);
      const streams = (await (
        await fetch(`${first.match[1]}api/v1/streams`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as {
        streams: { name: string; live: boolean }[];
      };
      expect(streams.streams).toEqual([expect.objectContaining({ name: 'main', live: true })]);
      publisher.destroy();
      await first.stop();
      expect(first.stderr()).not.toContain(key);

      const second = await startOriginBin(args);
      expect(second.stdoutLines.filter((line) => !/^(RTMP|HTTP): /.test(line))).toEqual([]);
      await second.stop();
    } finally {
      data.remove();
    }
  });
});
