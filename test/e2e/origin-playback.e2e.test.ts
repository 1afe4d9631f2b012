import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import { ffprobe, publishTestPattern, summary, waitFor, type Publisher } from './support/media.ts';
import { startOriginProcess, type OriginProcess } from './support/origin.ts';

const KEY = 'e2e-playback-key-0123456789';

const currentTime = (page: Page) => page.getByLabel('Live stream main').evaluate((video: HTMLVideoElement) => video.currentTime);

describe('watching Tally Origin in Chromium, across a publisher reconnect', () => {
  let origin: OriginProcess;
  let rtmp: string;
  let http: string;
  let publisher: Publisher;
  let browser: Browser;

  beforeAll(async () => {
    origin = await startOriginProcess(KEY, ['--shutdown-grace-ms', '0']);
    ({ rtmp, http } = origin);
    publisher = publishTestPattern(`${rtmp}/${KEY}`, { size: '640x360' });
    browser = await launchChromium();
    await waitFor(async () => (await fetch(`${http}live/main/index.m3u8`)).ok, 20_000, 'the first HLS segment');
  });

  afterAll(async () => {
    await publisher?.stop('SIGKILL');
    await browser?.close();
    await origin?.stop();
  });

  it('the player page plays HLS with hls.js served by the origin: the video time advances', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(http) && !request.url().startsWith('blob:') && !request.url().startsWith('data:'))
        external.push(request.url());
    });
    await page.goto(`${http}live/main`);
    await expect.poll(() => page.getByRole('status', { name: 'Player status' }).innerText(), { timeout: 20_000 }).toBe('Playing (HLS)');
    const start = await currentTime(page);
    await expect.poll(() => currentTime(page), { timeout: 15_000 }).toBeGreaterThan(start + 1);
    expect(external).toEqual([]);
    await page.close();
  });

  it('the player page plays HTTP-FLV with mpegts.js', async () => {
    const page = await browser.newPage();
    await page.goto(`${http}live/main?mode=flv`);
    await expect.poll(() => page.getByRole('status', { name: 'Player status' }).innerText(), { timeout: 20_000 }).toBe('Playing (FLV)');
    const start = await currentTime(page);
    await expect.poll(() => currentTime(page), { timeout: 15_000 }).toBeGreaterThan(start + 1);
    await page.close();
  });

  it('a publisher that drops and reconnects leaves HLS playable: a discontinuity, ffprobe reads it, hls.js keeps playing', async () => {
    const page = await browser.newPage();
    await page.goto(`${http}live/main`);
    await expect.poll(() => currentTime(page), { timeout: 20_000 }).toBeGreaterThan(0.5);
    await publisher.stop('SIGKILL'); // an abrupt drop, as a crashed encoder or a lost uplink
    publisher = publishTestPattern(`${rtmp}/${KEY}`, { size: '640x360' });
    await expect
      .poll(async () => (await fetch(`${http}live/main/index.m3u8`)).text(), {
        timeout: 25_000,
        interval: 250,
      })
      .toMatch(/#EXT-X-DISCONTINUITY[\s\S]*#EXTINF[\s\S]*#EXTINF/);
    const playlist = await (await fetch(`${http}live/main/index.m3u8`)).text();
    expect(playlist).not.toContain('#EXT-X-ENDLIST');
    expect(summary(await ffprobe(`${http}live/main/index.m3u8`))).toEqual({ video: 'h264 640x360', audio: 'aac' });
    // Past whatever was buffered before the drop (hls.js keeps about three segments), without a restart.
    const before = await currentTime(page);
    await expect.poll(() => currentTime(page), { timeout: 30_000 }).toBeGreaterThan(before + 8);
    expect(await page.getByLabel('Live stream main').getAttribute('data-restarts')).toBeNull();
    await page.close();
  });

  it('a stream that ends says so on the HLS player page, and plays again when its publisher comes back', async () => {
    const page = await browser.newPage();
    await page.goto(`${http}live/main`);
    const status = page.getByRole('status', { name: 'Player status' });
    await expect.poll(() => status.innerText(), { timeout: 20_000 }).toBe('Playing (HLS)');
    await publisher.stop('SIGINT'); // a clean end: ffmpeg unpublishes
    // The origin keeps the playlist open for its 10 s reconnect window, then ends it (EXT-X-ENDLIST).
    await expect.poll(() => status.innerText(), { timeout: 45_000, interval: 250 }).toBe('The stream ended; waiting for it to come back…');
    expect(await (await fetch(`${http}live/main/index.m3u8`)).text()).toContain('#EXT-X-ENDLIST');
    publisher = publishTestPattern(`${rtmp}/${KEY}`, { size: '640x360' });
    await expect.poll(() => status.innerText(), { timeout: 45_000 }).toBe('Playing (HLS)');
    const resumed = await currentTime(page);
    await expect.poll(() => currentTime(page), { timeout: 20_000 }).toBeGreaterThan(resumed + 1);
    await page.close();
  });
});
