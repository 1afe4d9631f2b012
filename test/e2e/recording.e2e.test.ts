/**
 * Recording and screenshots from the studio UI through the real web host: a normal stop
 * gives an MP4 that ffprobe reads and Chromium's <video> plays; FLV chosen in Settings →
 * Output gives an .flv that ffprobe reads and the Library lists; a kill -9 mid-recording
 * (hybrid MP4) leaves a file that plays up to its last second; the host comes back after the
 * crash with its destinations and settings, and no key in its logs; a
 * screenshot is a PNG at the output resolution, indexed in the store.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { basename, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSqlite } from '../../native/sqlite.ts';
import { launchChromium } from './support/browser.ts';
import { ENGINE_CHROMIUM_ARGS } from './support/engine-harness.ts';
import { tempDataDir } from './support/processes.ts';
import { addCustomDestination, closeSettings, controls, destinationRow, openSettings, seedPastFirstRun } from './support/outputs-panel.ts';
import { startStudioProcess, type StudioProcess } from './support/studio-process.ts';
import { execFileSync } from 'node:child_process';

const KEY = 'venue-secret-key-0123456789';

/** ffprobe's duration and streams of a file. */
function probeFile(path: string): { durationSec: number; streams: string[] } {
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'format=duration:stream=codec_name,width,height', '-of', 'json', path],
    { timeout: 60_000 },
  );
  const json = JSON.parse(out.toString()) as {
    format: { duration?: string };
    streams: { codec_name: string; width?: number; height?: number }[];
  };
  return {
    durationSec: Number(json.format.duration ?? NaN),
    streams: json.streams.map((s) => (s.width ? `${s.codec_name} ${s.width}x${s.height}` : s.codec_name)).sort(),
  };
}

/** Paths of the content library's items. */
function libraryPaths(dataDir: string): string[] {
  const db = new (loadSqlite())(join(dataDir, 'tally.db'), { readonly: true });
  try {
    return (db.prepare('SELECT path FROM library_items').all() as { path: string }[]).map((row) => row.path);
  } finally {
    db.close();
  }
}

function outputFiles(dataDir: string): { kind: string; path: string; status: string; width: number | null; height: number | null }[] {
  const db = new (loadSqlite())(join(dataDir, 'tally.db'), { readonly: true });
  try {
    return db.prepare('SELECT kind, path, status, width, height FROM output_files ORDER BY started_at').all() as ReturnType<
      typeof outputFiles
    >;
  } finally {
    db.close();
  }
}

describe('recording and screenshots from the studio', () => {
  const data = tempDataDir();
  let studio: StudioProcess;
  let browser: Browser;
  let page: Page;
  const logs: string[] = [];

  const openStudio = async () => {
    studio = await startStudioProcess(data.dir);
    seedPastFirstRun(data.dir);
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(studio.url);
    await controls(page).getByRole('button', { name: 'Start Recording', exact: true }).waitFor({ timeout: 60_000 });
  };
  const control = (name: string) => controls(page).getByRole('button', { name, exact: true });
  /** Media time recorded, as the Stats dock's "Recorded" row says (the host's count, not a wall clock). */
  const recordedSeconds = async () => {
    const row = page.getByRole('table', { name: 'Stats' }).getByRole('row', { name: /^Recorded/ });
    const match = /(?:(\d+):)?(\d\d):(\d\d) ·/.exec((await row.innerText().catch(() => '')).replace(/\s+/g, ' '));
    return match ? Number(match[1] ?? 0) * 3600 + Number(match[2]) * 60 + Number(match[3]) : 0;
  };

  beforeAll(async () => {
    browser = await launchChromium(ENGINE_CHROMIUM_ARGS);
    await openStudio();
  });
  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
    data.remove();
  });

  it('a normal stop gives an MP4 that ffprobe reads and a <video> element plays', { timeout: 180_000 }, async () => {
    await control('Start Recording').click();
    await expect.poll(recordedSeconds, { timeout: 60_000 }).toBeGreaterThanOrEqual(4);
    // While recording, the Stats dock says how much disk is left and how long it lasts.
    await expect
      .poll(
        () =>
          page
            .getByRole('table', { name: 'Stats' })
            .getByRole('row', { name: /^Disk space left/ })
            .innerText(),
        { timeout: 15_000 },
      )
      .toMatch(/GiB|MiB/);
    await control('Stop Recording').click();
    const saved = page.getByRole('status', { name: 'Last saved file' });
    await expect.poll(() => saved.innerText().catch(() => ''), { timeout: 30_000 }).toMatch(/^Recording saved: /);
    const path = (await saved.innerText()).replace(/^Recording saved: /, '');
    expect(path.startsWith(join(data.dir, 'Recordings'))).toBe(true);
    const probed = probeFile(path);
    expect(probed.streams).toEqual(['aac', 'h264 1280x720']);
    expect(probed.durationSec).toBeGreaterThan(3);

    // Chromium's own demuxer and decoders play it.
    const server: Server = createServer((_req, res) => {
      const bytes = readFileSync(path);
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': bytes.length }).end(bytes);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // Its own browser: a second window in the studio's would hide the studio's page, which then runs no animation frames.
    const playerBrowser = await launchChromium();
    try {
      const player = await playerBrowser.newPage();
      await player.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
      const played = await player.evaluate(async () => {
        const video = document.createElement('video');
        video.muted = true;
        video.src = '/recording.mp4';
        document.body.append(video);
        await new Promise((resolve, reject) => {
          video.onloadedmetadata = resolve;
          video.onerror = () => reject(new Error(`video error ${video.error?.code}: ${video.error?.message}`));
        });
        await video.play();
        await new Promise((resolve) => setTimeout(resolve, 1500));
        return { duration: video.duration, width: video.videoWidth, height: video.videoHeight, currentTime: video.currentTime };
      });
      expect(played.width).toBe(1280);
      expect(played.height).toBe(720);
      expect(played.duration).toBeGreaterThan(3);
      expect(played.currentTime).toBeGreaterThan(0.2);
    } finally {
      await playerBrowser.close();
      server.close();
    }
  });

  it('Screenshot saves a PNG of the program at the output resolution beside the recordings, and indexes it', async () => {
    await control('Screenshot').click();
    const saved = page.getByRole('status', { name: 'Last saved file' });
    await expect.poll(() => saved.innerText(), { timeout: 30_000 }).toMatch(/^Screenshot saved: /);
    const path = (await saved.innerText()).replace(/^Screenshot saved: /, '');
    expect(path.startsWith(join(data.dir, 'Recordings', 'Screenshots'))).toBe(true);
    const png = readFileSync(path);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 720]);
    expect(outputFiles(data.dir).find((file) => file.path === path)).toMatchObject({
      kind: 'screenshot',
      status: 'complete',
      width: 1280,
      height: 720,
    });
  });

  it(
    'FLV chosen in Settings → Output records an .flv that ffprobe reads whole, indexed and in the Library, which remuxes it to an MP4',
    { timeout: 180_000 },
    async () => {
      const output = await openSettings(page, 'Output');
      await output.getByRole('combobox', { name: 'Recording format' }).selectOption({ label: 'FLV (.flv)' });
      await expect.poll(() => output.getByRole('status', { name: 'Settings result' }).innerText()).toMatch(/^Recording format saved: FLV/);
      await closeSettings(page);

      await control('Start Recording').click();
      await expect.poll(recordedSeconds, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
      const recorded = await recordedSeconds();
      await control('Stop Recording').click();
      const saved = page.getByRole('status', { name: 'Last saved file' });
      await expect.poll(() => saved.innerText().catch(() => ''), { timeout: 30_000 }).toMatch(/^Recording saved: .*\.flv$/);
      const path = (await saved.innerText()).replace(/^Recording saved: /, '');
      const probed = probeFile(path);
      expect(probed.streams).toEqual(['aac', 'h264 1280x720']);
      expect(probed.durationSec).toBeGreaterThanOrEqual(recorded - 1);
      expect(outputFiles(data.dir).find((file) => file.path === path)).toMatchObject({
        kind: 'recording',
        status: 'complete',
        width: 1280,
      });
      // The content library adds it (ffprobe through the importer) under its file name.
      const title = basename(path, '.flv');
      const library = page.getByRole('region', { name: 'Library' }).getByRole('list', { name: 'Library items' });
      await expect.poll(() => library.getByRole('button', { name: title, exact: true }).count(), { timeout: 60_000 }).toBe(1);
      // Browsers do not play FLV: its details offer a remux to MP4, which joins the library under the same title.
      await library.getByRole('button', { name: title, exact: true }).dispatchEvent('click');
      const details = page.getByRole('region', { name: 'Library' }).getByRole('region', { name: 'Item details' });
      await details.getByRole('button', { name: 'Remux to MP4' }).dispatchEvent('click');
      await expect.poll(() => library.getByRole('button', { name: title, exact: true }).count(), { timeout: 60_000 }).toBe(2);
      const remuxed = libraryPaths(data.dir).find(
        (candidate) => candidate !== path && candidate.endsWith('.mp4') && candidate.includes(title),
      )!;
      expect(probeFile(remuxed).streams).toEqual(['aac', 'h264 1280x720']);

      // Back to the default, which the crash test below records in.
      const again = await openSettings(page, 'Output');
      await again.getByRole('combobox', { name: 'Recording format' }).selectOption({ label: 'Hybrid MP4 (.mp4)' });
      await expect
        .poll(() => again.getByRole('status', { name: 'Settings result' }).innerText())
        .toMatch(/^Recording format saved: Hybrid MP4/);
      await closeSettings(page);
    },
  );

  it(
    'a kill -9 mid-recording (hybrid MP4, the default) leaves a file that plays to its last second; the host comes back with its destinations and settings, and no key in its logs',
    { timeout: 240_000 },
    async () => {
      // Settings and a destination that must survive.
      const output = await openSettings(page, 'Output');
      await output.getByLabel('Video bitrate (kbps)').fill('3200');
      await output.getByRole('button', { name: 'Save encoder settings' }).click();
      await expect
        .poll(() => output.getByRole('status', { name: 'Settings result' }).innerText(), { timeout: 30_000 })
        .toBe('Encoder settings saved');
      await addCustomDestination(page, { name: 'Venue', serverUrl: 'rtmp://127.0.0.1:1/live', streamKey: KEY });
      // The key is never shown again in full.
      expect(await destinationRow(page, 'Venue').innerText()).not.toContain(KEY);
      await closeSettings(page);

      await control('Start Recording').click();
      await expect.poll(recordedSeconds, { timeout: 90_000 }).toBeGreaterThanOrEqual(10);
      const recording = outputFiles(data.dir).find((file) => file.status === 'recording')!;
      expect(recording.path).toMatch(/\.mp4$/);
      logs.push(studio.log());
      // The REC badge in the title bar and the timer beside Stop Recording.
      expect(await page.getByRole('timer', { name: 'Recording time' }).count()).toBe(2);
      expect(await controls(page).getByRole('timer', { name: 'Recording time' }).count()).toBe(1);
      await studio.kill();
      // The page outlives its host: it says the host is gone, and no longer claims a recording it cannot know about.
      await controls(page)
        .getByText(/the connection to the host was lost/)
        .waitFor({ timeout: 30_000 });
      expect(await page.getByRole('timer', { name: 'Recording time' }).count()).toBe(0);
      expect(await control('Start Recording').isDisabled()).toBe(true);

      const probed = probeFile(recording.path);
      expect(probed.streams).toEqual(['aac', 'h264 1280x720']);
      expect(probed.durationSec).toBeGreaterThanOrEqual(9);

      // The host comes back where the page looks for it: the same page reconnects, both its sockets.
      studio = await startStudioProcess(data.dir, { port: Number(new URL(studio.url).port) });
      await expect.poll(() => control('Start Recording').isEnabled(), { timeout: 60_000 }).toBe(true);
      expect(
        await controls(page)
          .getByText(/the connection to the host was lost/)
          .count(),
      ).toBe(0);
      const general = await openSettings(page, 'General');
      await general.getByRole('button', { name: 'Test media channel' }).click();
      await expect
        .poll(() => general.getByRole('status', { name: 'Media channel result' }).innerText(), { timeout: 45_000 })
        .toMatch(/^Media channel: 1\.0 MiB round trip intact/);
      await openSettings(page, 'Stream');
      await expect.poll(() => destinationRow(page, 'Venue').count(), { timeout: 30_000 }).toBe(1);
      const reopened = await openSettings(page, 'Output');
      await expect.poll(() => reopened.getByLabel('Video bitrate (kbps)').inputValue(), { timeout: 30_000 }).toBe('3200');
      expect(outputFiles(data.dir).find((file) => file.path === recording.path)?.status).toBe('interrupted');
      // The same page's Library lists the recording the restarted host recovered, without a reload.
      await closeSettings(page);
      const library = page.getByRole('region', { name: 'Library' }).getByRole('list', { name: 'Library items' });
      const recovered = basename(recording.path, '.mp4');
      await expect.poll(() => library.getByRole('button', { name: recovered, exact: true }).count(), { timeout: 60_000 }).toBe(1);
      logs.push(studio.log());
      for (const log of logs) expect(log).not.toContain(KEY);
      expect(readFileSync(join(data.dir, 'tally.db')).includes(KEY)).toBe(false);
    },
  );
});
