import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLowLatencyPlaylist, checkLowLatencyReload } from '../../server/hls/ll-hls-rules.ts';
import { checkMediaPlaylist, checkPlaylistReload, parseMediaPlaylist, type ParsedMediaPlaylist } from '../../server/hls/playlist-rules.ts';
import { launchChromium } from './support/browser.ts';
import { ffprobe, publishTestPattern, summary, waitFor, type Publisher } from './support/media.ts';
import { probePackets } from './support/origin-media.ts';
import { startOriginProcess, type OriginProcess } from './support/origin.ts';

const KEY = 'e2e-ll-hls-key-0123456789';

/** The next part a player asks for after loading `playlist` (draft-pantos-hls-rfc8216bis 6.2.5.2). */
function nextPart(playlist: ParsedMediaPlaylist): { msn: number; part: number } {
  const last = playlist.segments.at(-1)!;
  return { msn: last.msn + 1, part: playlist.pendingParts.length };
}

describe('LL-HLS from a real ffmpeg publish (1 s GOP)', () => {
  let origin: OriginProcess;
  let publisher: Publisher;
  let playlistUrl: string;
  let browser: Browser | undefined;
  const work = mkdtempSync(join(tmpdir(), 'tally-ll-e2e-'));
  const load = async (query = '') => {
    const response = await fetch(`${playlistUrl}${query}`);
    return { status: response.status, text: await response.text(), cacheControl: response.headers.get('cache-control') };
  };

  beforeAll(async () => {
    origin = await startOriginProcess(KEY, ['--shutdown-grace-ms', '0']);
    publisher = publishTestPattern(`${origin.rtmp}/${KEY}`, { size: '320x180', gopFrames: 30 });
    playlistUrl = `${origin.http}live/main/index.m3u8`;
    await waitFor(async () => parseMediaPlaylist((await load()).text).segments.length >= 2, 30_000, 'two LL-HLS segments');
  });

  afterAll(async () => {
    await publisher?.stop('SIGKILL');
    await browser?.close();
    await origin?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('follows blocking reloads part by part like a player, every playlist within RFC 8216 and the LL-HLS rules', async () => {
    const versions = [parseMediaPlaylist((await load()).text)];
    const problems = new Set<string>();
    while (versions.length < 25) {
      const { msn, part } = nextPart(versions.at(-1)!);
      const answer = await load(`?_HLS_msn=${msn}&_HLS_part=${part}`);
      expect(answer.status).toBe(200);
      expect(answer.cacheControl).toMatch(/max-age=\d+/);
      const parsed = parseMediaPlaylist(answer.text);
      for (const problem of [...checkMediaPlaylist(answer.text), ...checkLowLatencyPlaylist(parsed)]) problems.add(problem);
      const before = versions.at(-1)!;
      for (const problem of [...checkPlaylistReload(before, parsed), ...checkLowLatencyReload(before, parsed)]) problems.add(problem);
      // The answer holds the part asked for (or, past a segment's last part, the next segment's first).
      const holdsIt = parsed.segments.at(-1)!.msn >= msn || (parsed.segments.at(-1)!.msn === msn - 1 && parsed.pendingParts.length > part);
      expect(holdsIt).toBe(true);
      versions.push(parsed);
    }
    expect([...problems]).toEqual([]);
    const last = versions.at(-1)!;
    expect(last.targetDurationS).toBe(1);
    expect(last.partTargetS).toBeGreaterThanOrEqual(0.17);
    expect(last.partTargetS).toBeLessThanOrEqual(0.21);
    // A segment per GOP, its first part INDEPENDENT, and that part starts on a keyframe as ffprobe reads it.
    const segment = last.segments.filter((listed) => listed.parts.length > 0).at(-1)!;
    expect(segment.parts[0]!.independent).toBe(true);
    const [init, part] = await Promise.all(
      [segment.map!, segment.parts[0]!.uri].map(async (uri) => Buffer.from(await (await fetch(new URL(uri, playlistUrl))).arrayBuffer())),
    );
    writeFileSync(join(work, 'part.mp4'), Buffer.concat([init!, part!]));
    const { packets } = await probePackets(join(work, 'part.mp4'));
    expect(packets.find((packet) => packet.codec_type === 'video')!.flags).toMatch(/^K/);
  });

  it('answers a blocking reload for the next _HLS_msn once that segment exists, and before the one after it', async () => {
    const now = parseMediaPlaylist((await load()).text);
    const wanted = now.segments.at(-1)!.msn + 1;
    const answer = await load(`?_HLS_msn=${wanted}`);
    expect(answer.status).toBe(200);
    const parsed = parseMediaPlaylist(answer.text);
    expect(parsed.segments.at(-1)!.msn).toBe(wanted);
  });

  it('holds a request for the hinted part and answers it with the part’s bytes', async () => {
    const now = parseMediaPlaylist((await load()).text);
    const hint = now.preloadHints[0]!.URI!;
    expect(now.pendingParts.map((part) => part.uri)).not.toContain(hint);
    const held = await fetch(new URL(hint, playlistUrl));
    expect(held.status).toBe(200);
    expect(held.headers.get('cache-control')).toContain('immutable');
    const bytes = Buffer.from(await held.arrayBuffer());
    const later = Buffer.from(await (await fetch(new URL(hint, playlistUrl))).arrayBuffer());
    expect(bytes.length).toBeGreaterThan(100);
    expect(Buffer.compare(bytes, later)).toBe(0);
  });

  it('refuses reloads too far ahead, and _HLS_part without _HLS_msn, with 400 at once', async () => {
    const now = parseMediaPlaylist((await load()).text);
    expect((await load(`?_HLS_msn=${now.segments.at(-1)!.msn + 10}`)).status).toBe(400);
    expect((await load(`?_HLS_msn=${now.segments.at(-1)!.msn + 1}&_HLS_part=500`)).status).toBe(400);
    expect((await load('?_HLS_part=1')).status).toBe(400);
    expect((await load('?_HLS_msn=abc')).status).toBe(400);
  });

  it('hls.js with lowLatencyMode plays it in Chromium through blocking reloads and parts, and ffprobe reads it', async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${origin.http}live/main`);
    await expect.poll(() => page.getByRole('status', { name: 'Player status' }).innerText(), { timeout: 30_000 }).toBe('Playing (HLS)');
    const video = page.getByLabel('Live stream main');
    const start = await video.evaluate((element: HTMLVideoElement) => element.currentTime);
    await expect
      .poll(() => video.evaluate((element: HTMLVideoElement) => element.currentTime), { timeout: 20_000 })
      .toBeGreaterThan(start + 2);
    expect(requests.some((url) => /index\.m3u8\?_HLS_msn=\d+&_HLS_part=\d+/.test(url))).toBe(true);
    expect(requests.some((url) => /\/part-[0-9a-f]+-\d+-\d+\.m4s$/.test(url))).toBe(true);
    await page.close();
    expect(summary(await ffprobe(playlistUrl))).toEqual({ video: 'h264 320x180', audio: 'aac' });
  });

  it('continues media sequence and part numbering across a publisher reconnect, after a discontinuity', async () => {
    const before = parseMediaPlaylist((await load()).text);
    await publisher.stop('SIGKILL');
    publisher = publishTestPattern(`${origin.rtmp}/${KEY}`, { size: '320x180', gopFrames: 30 });
    let after = before;
    await waitFor(
      async () => {
        after = parseMediaPlaylist((await load()).text);
        return (
          after.segments.some((segment) => segment.discontinuity && segment.msn > before.segments.at(-1)!.msn) &&
          after.segments.at(-1)!.parts.length > 0
        );
      },
      30_000,
      'segments after the reconnect',
    );
    expect([...checkPlaylistReload(before, after), ...checkLowLatencyReload(before, after), ...checkLowLatencyPlaylist(after)]).toEqual([]);
    const msns = after.segments.map((segment) => segment.msn);
    expect(msns).toEqual(msns.map((_, i) => msns[0]! + i));
    for (const segment of after.segments)
      segment.parts.forEach((part, index) => expect(part.uri).toMatch(new RegExp(`-${segment.msn}-${index}\\.m4s$`)));
  });
});
