/**
 * Going live from the studio UI, end to end: Chromium with a fake camera and microphone,
 * the real web host, its embedded Tally Origin and nginx-rtmp as a second destination, with
 * ffprobe as the viewer. One encode feeds both; each destination starts, stops, fails and
 * reconnects on its own. Go Live and End Stream are the Controls dock's; destinations are
 * added, started and stopped in Settings → Stream.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSqlite } from '../../native/sqlite.ts';
import { launchChromium } from './support/browser.ts';
import { ENGINE_CHROMIUM_ARGS } from './support/engine-harness.ts';
import { ffprobe, summary } from './support/media.ts';
import { nginxRtmpAvailable, startNginxRtmp, type NginxRtmp } from './support/nginx-rtmp.ts';
import { tempDataDir } from './support/processes.ts';
import {
  addCustomDestination,
  closeSettings,
  controls,
  destinationRow,
  openSettings,
  removeDestination,
  seedPastFirstRun,
} from './support/outputs-panel.ts';
import { startStudioProcess, type StudioProcess } from './support/studio-process.ts';

const NGINX_STREAM = 'tally-e2e';
const WRONG_KEY = 'not-the-key-0123456789';
/** The origin replays the current GOP to a new viewer: a short analysis sees both tracks. */
const LIVE_PROBE = { timeoutMs: 60_000, analyzeDurationUs: 1_000_000 };
/** nginx-rtmp starts a new viewer's video at the next keyframe (every 2 s): analyse longer. */
const NGINX_PROBE = { timeoutMs: 60_000, analyzeDurationUs: 4_000_000 };

describe.skipIf(!nginxRtmpAvailable())('going live from the studio to the local origin and nginx-rtmp', () => {
  const data = tempDataDir();
  let studio: StudioProcess;
  let nginx: NginxRtmp;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let viewerUrl = '';

  beforeAll(async () => {
    [studio, nginx, browser] = await Promise.all([startStudioProcess(data.dir), startNginxRtmp(), launchChromium(ENGINE_CHROMIUM_ARGS)]);
    seedPastFirstRun(data.dir);
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(studio.url);
  });
  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
    await nginx?.stop();
    data.remove();
  });

  const destination = (name: string) => destinationRow(page, name);
  const stateOf = async (name: string) => {
    await openSettings(page, 'Stream');
    return (await destination(name).innerText()).replace(/\s+/g, ' ');
  };
  const streamButton = (name: 'Go Live' | 'End Stream') => controls(page).getByRole('button', { name, exact: true });
  const stream = (name: string) => page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name, exact: true });
  const flvUrl = () => viewerUrl.replace(/\/live\/studio$/, '/live/studio.flv');

  it("a new user's first Go Live streams to the local origin, started on demand, and a viewer watches", async () => {
    await streamButton('Go Live').click({ timeout: 60_000 });
    const link = controls(page).getByRole('link', { name: 'Viewer link' });
    await link.waitFor({ timeout: 60_000 });
    viewerUrl = (await link.getAttribute('href'))!;
    expect(viewerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/live\/studio$/);
    await expect.poll(() => streamButton('End Stream').count()).toBe(1);
    await expect.poll(() => stateOf('Local origin'), { timeout: 30_000 }).toMatch(/live/);
    expect(summary(await ffprobe(flvUrl(), LIVE_PROBE))).toEqual({ video: 'h264 1280x720', audio: 'aac' });
    await closeSettings(page);
  });

  it('when the AAC encoder (ffmpeg) dies, the page says so, it is restarted, and the stream goes on', async () => {
    const aacChild = () =>
      execFileSync('ps', ['--ppid', String(studio.pid), '-o', 'pid=,comm='])
        .toString()
        .split('\n')
        .find((line) => line.includes('ffmpeg'));
    const before = Number(aacChild()!.trim().split(/\s+/)[0]);
    process.kill(before, 'SIGKILL');
    await expect
      .poll(() => page.getByRole('alert').allInnerTexts(), { timeout: 30_000 })
      .toContainEqual(
        expect.stringMatching(/^Audio: the audio encoder \(ffmpeg\) was killed \(SIGKILL\); restarting it \(video continues\)/),
      );
    await expect.poll(() => Number(aacChild()?.trim().split(/\s+/)[0] ?? before), { timeout: 30_000 }).not.toBe(before);
    expect(await stateOf('Local origin')).toMatch(/live/);
    expect(summary(await ffprobe(flvUrl(), LIVE_PROBE))).toEqual({ video: 'h264 1280x720', audio: 'aac' });
  });

  it('streams the same encode to nginx-rtmp at the same time', async () => {
    await addCustomDestination(page, { name: 'nginx', serverUrl: nginx.serverUrl, streamKey: NGINX_STREAM });
    await stream('Start nginx').click();
    await expect.poll(() => stateOf('nginx'), { timeout: 30_000 }).toMatch(/^nginx .*live/);
    const [atNginx, atOrigin] = await Promise.all([
      ffprobe(`${nginx.serverUrl}/${NGINX_STREAM}`, NGINX_PROBE),
      ffprobe(flvUrl(), LIVE_PROBE),
    ]);
    expect(summary(atNginx)).toEqual({ video: 'h264 1280x720', audio: 'aac' });
    expect(summary(atOrigin)).toEqual({ video: 'h264 1280x720', audio: 'aac' });
    // The list shows what each sends.
    await expect.poll(async () => Number(/(\d+) kbps/.exec(await stateOf('nginx'))?.[1] ?? 0), { timeout: 15_000 }).toBeGreaterThan(0);
  });

  it('stopping one destination leaves the other live', async () => {
    await stream('Stop nginx').click();
    await expect.poll(() => stateOf('nginx')).toMatch(/idle/);
    await expect
      .poll(
        () =>
          ffprobe(`${nginx.serverUrl}/${NGINX_STREAM}`, { timeoutMs: 8000, analyzeDurationUs: 1_000_000 }).then(
            () => 'playing',
            () => 'gone',
          ),
        { timeout: 30_000 },
      )
      .toBe('gone');
    expect(await stateOf('Local origin')).toMatch(/live/);
    expect(summary(await ffprobe(flvUrl(), LIVE_PROBE))).toEqual({ video: 'h264 1280x720', audio: 'aac' });
  });

  it("a refused key shows failed with the server's reason, and the others carry on", async () => {
    const settings = (() => {
      const db = new (loadSqlite())(join(data.dir, 'tally.db'), { readonly: true });
      try {
        const row = db.prepare("SELECT value FROM settings WHERE key = 'outputs.localOrigin'").get() as { value: string };
        return JSON.parse(row.value) as { rtmpPort: number };
      } finally {
        db.close();
      }
    })();
    await addCustomDestination(page, { name: 'Wrong key', serverUrl: `rtmp://127.0.0.1:${settings.rtmpPort}/live`, streamKey: WRONG_KEY });
    // Each row names its server (two custom servers told apart), never the key.
    const row = await destination('Wrong key').innerText();
    expect(row).toContain(`Custom RTMP(S) · rtmp://127.0.0.1:${settings.rtmpPort}/live · key ••••`);
    expect(row).not.toContain(WRONG_KEY);
    await stream('Start Wrong key').click();
    await expect.poll(() => stateOf('Wrong key'), { timeout: 30_000 }).toContain('failed (NetStream.Publish.BadName: Invalid stream key)');
    // A notification says it in words to act on.
    await expect
      .poll(() => page.getByRole('alert').allInnerTexts(), { timeout: 15_000 })
      .toContainEqual(expect.stringMatching(/^Wrong key: the server refused the stream key/));
    expect(await stateOf('Local origin')).toMatch(/live/);
    expect(summary(await ffprobe(flvUrl(), LIVE_PROBE))).toEqual({ video: 'h264 1280x720', audio: 'aac' });
    // Remove asks first: Keep leaves it, Remove takes it away.
    await stream('Remove Wrong key').click();
    const ask = destination('Wrong key').getByRole('group', { name: 'Remove Wrong key?' });
    await ask.getByRole('button', { name: 'Keep', exact: true }).click();
    expect(await destination('Wrong key').count()).toBe(1);
    await removeDestination(page, 'Wrong key');
  });

  it('a destination whose server dies reconnects when it comes back, and the stream resumes there', async () => {
    await openSettings(page, 'Stream');
    await stream('Start nginx').click();
    await expect.poll(() => stateOf('nginx'), { timeout: 30_000 }).toMatch(/live/);
    await nginx.kill();
    await expect.poll(() => stateOf('nginx'), { timeout: 30_000 }).toMatch(/reconnecting/);
    expect(await stateOf('Local origin')).toMatch(/live/);
    await nginx.restart();
    await expect.poll(() => stateOf('nginx'), { timeout: 60_000 }).toMatch(/live .*1 reconnect\b/);
    expect(summary(await ffprobe(`${nginx.serverUrl}/${NGINX_STREAM}`, NGINX_PROBE))).toEqual({
      video: 'h264 1280x720',
      audio: 'aac',
    });
  });

  it('removing the local origin while live asks first, and the Controls dock then offers no viewer link that plays nothing', async () => {
    await openSettings(page, 'Stream');
    await stream('Remove Local origin').click();
    const ask = destination('Local origin').getByRole('group', { name: 'Remove Local origin?' });
    await ask.getByText(/Viewers of the viewer link lose the stream\./).waitFor();
    await ask.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => destination('Local origin').count()).toBe(0);
    await closeSettings(page);
    await expect.poll(() => controls(page).getByRole('link', { name: 'Viewer link' }).count()).toBe(0);
    await controls(page)
      .getByRole('status', { name: 'Hosting' })
      .getByText(/the stream does not go there/)
      .waitFor();
  });

  it('End Stream stops every destination', async () => {
    await closeSettings(page);
    await streamButton('End Stream').click();
    await expect.poll(() => streamButton('Go Live').count(), { timeout: 15_000 }).toBe(1);
    expect(await stateOf('nginx')).toMatch(/idle/);
    // (The local origin's destination was removed above.)
    expect(studio.log()).not.toContain(NGINX_STREAM);
    expect(studio.log()).not.toContain(WRONG_KEY);
  });
});
