/**
 * The content library in the studio, through the real web host in Chromium: files made by
 * ffmpeg are uploaded and imported by host path, found by search, played in the in-app player,
 * trimmed, and put into the preview by "Add to scene" and by dragging onto it; what the
 * program shows is read back as pixels.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeImage, makeVideo } from '../../main/services/library/testing-media.ts';
import { ENGINE_CHROMIUM_ARGS } from './support/engine-harness.ts';
import { programPixel, seedSmallStudio } from './support/studio-ui.ts';
import { useWebStudio } from './support/web-studio.ts';

const media = mkdtempSync(join(tmpdir(), 'tally-library-e2e-'));
let redClip: string;

beforeAll(async () => {
  [redClip] = await Promise.all([
    makeVideo(join(media, 'Red concert.mp4'), { seconds: 2, size: '320x180', color: 'red' }),
    makeImage(join(media, 'uploads', 'Blue card.png'), '320x180', 'blue'),
  ]);
});
afterAll(() => rmSync(media, { recursive: true, force: true }));

/** The scene editor, which shows the program (out of Studio Mode): the engine's canvas and an overlay. */
const editor = (page: Page) => page.getByRole('application', { name: 'Scene editor' });

const isRed = ([r, g, b]: [number, number, number]) => r > 180 && g < 80 && b < 80;
const isBlue = ([r, g, b]: [number, number, number]) => b > 180 && r < 80 && g < 80;

async function openStudio(url: string, page: Page): Promise<Locator> {
  await page.goto(url);
  await waitForEngine(page);
  return page.getByRole('region', { name: 'Library' });
}

/** The engine runs (SwiftShader in a loaded machine can take a while): the scene editor shows its canvas. */
async function waitForEngine(page: Page): Promise<void> {
  await editor(page).waitFor({ timeout: 60_000 });
  await expect.poll(() => editor(page).locator('canvas').count(), { timeout: 60_000 }).toBe(2);
}

/**
 * Clicks a control once it is enabled, as a dispatched event: Playwright's click waits for two
 * animation frames of a stable layout, and a page compositing WebGL on the CPU of a loaded
 * machine may not paint for seconds.
 */
/** What a failed pixel check shows: the pixel, the Sources dock and the Stats dock (how the engine's frame loop was doing). */
async function describeStudio(page: Page, pixel: number[]): Promise<string> {
  const text = async (locator: Locator) => ((await locator.count()) ? (await locator.innerText()).replace(/\s+/g, ' ') : 'not shown');
  const sources = page.getByRole('region', { name: 'Sources' });
  return `rgb ${pixel.join(',')}; Sources: ${await text(sources)}; Stats: ${await text(page.getByRole('table', { name: 'Stats' }))}`;
}

async function press(control: Locator): Promise<void> {
  await expect.poll(() => control.isEnabled(), { timeout: 30_000 }).toBe(true);
  await control.dispatchEvent('click');
}

function card(library: Locator, title: string): Locator {
  return library.getByRole('list', { name: 'Library items' }).getByRole('button', { name: title, exact: true });
}

describe('the library in the web studio', { timeout: 180_000 }, () => {
  const studio = useWebStudio(ENGINE_CHROMIUM_ARGS);
  // A 640x360 canvas, so a 320x180 clip leaves the corners to the scene beneath.
  beforeAll(() => seedSmallStudio(studio.dataDir, { width: 640, height: 360, fps: 15 }));
  // Each test's page runs an engine: close it even when the test failed, so the next one has the CPU.
  const pages: Page[] = [];
  const newPage = async () => {
    const page = await studio.browser().newPage({ viewport: { width: 1400, height: 1800 } });
    // Every control is on screen at this size; a page rendering WebGL on the CPU answers slowly.
    page.setDefaultTimeout(60_000);
    pages.push(page);
    return page;
  };
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });

  it('imports an uploaded file, finds it by search, and "Add to scene" puts it in the preview', async () => {
    const page = await newPage();
    const library = await openStudio(studio.url(), page);
    await library.getByLabel('Upload files').setInputFiles(redClip);
    await card(library, 'Red concert').waitFor();
    await expect.poll(() => card(library, 'Red concert').locator('img').count()).toBe(1);

    const search = library.getByRole('searchbox', { name: 'Search library' });
    await search.fill('conc');
    await expect.poll(() => library.getByRole('list', { name: 'Library items' }).getByRole('listitem').count()).toBe(1);
    await search.fill('nothing like it');
    await expect.poll(() => library.getByText('Nothing matches "nothing like it".').count()).toBe(1);
    await search.fill('red co');
    await press(card(library, 'Red concert'));

    const details = library.getByRole('region', { name: 'Item details' });
    await expect.poll(() => details.innerText()).toContain('320x180');
    expect(await details.innerText()).toContain('h264 / aac');
    expect(isRed(await programPixel(page, 0.5, 0.5))).toBe(false);
    await press(details.getByRole('button', { name: 'Add to scene' }));
    const sources = page.getByRole('region', { name: 'Sources' });
    await expect.poll(() => sources.getByRole('button', { name: 'Red concert', exact: true }).count(), { timeout: 30_000 }).toBe(1);
    // Polled as a description, so a miss says what the program showed, what the Sources dock
    // said and how the engine's frame loop was doing (the Stats dock, where it is open).
    const centre = async () => {
      const pixel = await programPixel(page, 0.5, 0.5);
      return isRed(pixel) ? 'red' : describeStudio(page, pixel);
    };
    await expect.poll(centre, { timeout: 60_000 }).toBe('red');
    // It is a 320x180 clip centred on the 640x360 canvas: the corners still show the scene beneath.
    expect(isRed(await programPixel(page, 0.05, 0.05))).toBe(false);
  });

  it('imports by host path, and a card dragged onto the preview lands where it was dropped', async () => {
    const page = await newPage();
    const library = await openStudio(studio.url(), page);
    await library.getByText('Host path, watched folders').click();
    await library.getByLabel('Host path').fill(join(media, 'uploads'));
    await press(library.getByRole('button', { name: 'Import path' }));
    await card(library, 'Blue card').waitFor();
    // The drag itself, event by event (a pointer drag over a canvas SwiftShader keeps redrawing never
    // settles for Playwright's stability check): the card fills the drag data, the preview takes the drop.
    const program = editor(page);
    const box = (await program.boundingBox())!;
    const at = { clientX: box.x + box.width * 0.2, clientY: box.y + box.height * 0.25 };
    const transfer = await page.evaluateHandle(() => new DataTransfer());
    await library
      .getByRole('list', { name: 'Library items' })
      .getByRole('listitem')
      .filter({ hasText: 'Blue card' })
      .dispatchEvent('dragstart', { dataTransfer: transfer });
    await program.dispatchEvent('dragover', { dataTransfer: transfer, ...at });
    await program.dispatchEvent('drop', { dataTransfer: transfer, ...at });
    const dropped = async () => {
      const pixel = await programPixel(page, 0.2, 0.25);
      return isBlue(pixel) ? 'blue' : describeStudio(page, pixel);
    };
    // As long as "Add to scene" above: both wait for the engine to fetch, decode and draw the new
    // item, which a loaded CI machine (SwiftShader at 1-2 fps) has taken more than 30 s to do.
    await expect.poll(dropped, { timeout: 60_000 }).toBe('blue');
    expect(isBlue(await programPixel(page, 0.8, 0.8))).toBe(false);
  });

  it('plays an item in the in-app player and exports a trimmed clip that joins the library', async () => {
    const page = await newPage();
    const library = await openStudio(studio.url(), page);
    await press(card(library, 'Red concert'));
    const details = library.getByRole('region', { name: 'Item details' });
    await press(details.getByRole('button', { name: 'Play' }));
    const player = page.getByRole('dialog', { name: 'Player: Red concert' });
    const video = player.getByLabel('Video player');
    await expect
      .poll(() => video.evaluate((element: HTMLVideoElement) => element.readyState), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(1);
    expect(Math.abs((await video.evaluate((element: HTMLVideoElement) => element.duration)) - 2)).toBeLessThan(0.2);
    await press(player.getByRole('button', { name: 'Close player' }));

    await press(details.getByRole('button', { name: 'Trim…' }));
    const trim = page.getByRole('dialog', { name: 'Trim: Red concert' });
    await trim.getByLabel('In (seconds)').fill('0');
    await trim.getByLabel('Out (seconds)').fill('1');
    await expect.poll(() => trim.getByRole('status', { name: 'Trim plan' }).innerText()).toContain('stream copy');
    await press(trim.getByRole('button', { name: 'Export clip' }));
    await expect
      .poll(() => trim.getByRole('status', { name: 'Trim result' }).innerText(), { timeout: 30_000 })
      .toContain('Ready: Red concert (0:00–0:01)');
    await press(trim.getByRole('button', { name: 'Close trim' }));
    await card(library, 'Red concert (0:00–0:01)').waitFor();
  });
});
