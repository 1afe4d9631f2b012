/**
 * Helpers for tests that drive the studio's UI in the web studio: what the host stored
 * (read straight from tally.db, as a user's next start would), settings written before the
 * page opens (a small output, so WebGL on SwiftShader stays quick), keyboard-only moves,
 * and screenshots kept as test artifacts in `test-results/screenshots/`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect } from 'vitest';
import { SceneCollection } from '../../../common/scene/schema.ts';
import { StudioSettingsPatch } from '../../../common/settings/studio-settings.ts';
import { loadSqlite } from '../../../native/sqlite.ts';
import { ENGINE_CHROMIUM_ARGS } from './engine-harness.ts';
import { projectRoot } from './processes.ts';
import { useWebStudio, type WebStudioUnderTest } from './web-studio.ts';

/** Where screenshots of the UI are kept for people to look at. */
export const SCREENSHOT_DIR = join(projectRoot, 'test-results', 'screenshots');

function withDb<T>(dataDir: string, readonly: boolean, use: (db: InstanceType<ReturnType<typeof loadSqlite>>) => T): T {
  const db = new (loadSqlite())(join(dataDir, 'tally.db'), { readonly });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** The active scene collection as stored, or null. */
export function storedCollection(dataDir: string): SceneCollection | null {
  return withDb(dataDir, true, (db) => {
    const active = db.prepare("SELECT value FROM settings WHERE key = 'scenes.activeCollectionId'").get() as { value: string } | undefined;
    if (!active) return null;
    const row = db.prepare('SELECT body FROM scene_collections WHERE id = ?').get(JSON.parse(active.value)) as { body: string } | undefined;
    return row ? SceneCollection.parse(JSON.parse(row.body)) : null;
  });
}

/** Every stored collection's name, most recent first. */
export function storedCollectionNames(dataDir: string): string[] {
  return withDb(dataDir, true, (db) =>
    (db.prepare('SELECT name FROM scene_collections ORDER BY updated_at DESC').all() as Array<{ name: string }>).map((row) => row.name),
  );
}

/** A stored settings section (`video`, `hotkeys`, …), or undefined. */
export function storedSetting(dataDir: string, section: string): unknown {
  return storedHostSetting(dataDir, `studio.${section}`);
}

/** A setting the host keeps under `key` (`outputs.encoder`, `host.ffmpegPath`, …), or undefined. */
export function storedHostSetting(dataDir: string, key: string): unknown {
  return withDb(dataDir, true, (db) => {
    const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as unknown) : undefined;
  });
}

/** The stored destinations as rows of `output_destinations` (keys sealed), in list order. */
export function storedDestinations(
  dataDir: string,
): Array<{ id: string; name: string; server_url: string; stream_key: string | null; enabled: number }> {
  return withDb(dataDir, true, (db) => db.prepare('SELECT * FROM output_destinations ORDER BY position, created_at').all() as never);
}

/** Writes settings sections as the host would (validated), before a page opens. */
export function seedSettings(dataDir: string, patch: StudioSettingsPatch): void {
  const parsed = StudioSettingsPatch.parse(patch);
  withDb(dataDir, false, (db) => {
    const write = db.prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    );
    for (const [section, value] of Object.entries(parsed))
      if (value !== undefined) write.run(`studio.${section}`, JSON.stringify(value), Date.now());
  });
}

/** A studio past its first run, with a small output (SwiftShader renders every pixel on the CPU). */
export function seedSmallStudio(dataDir: string, output = { width: 320, height: 180, fps: 15 }): void {
  seedSettings(dataDir, { video: { output }, firstRun: { completedAtMs: Date.now() } });
}

/** Opens the studio and waits for the main window. */
export async function openMainWindow(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('application', { name: 'Scene editor' }).waitFor({ timeout: 30_000 });
}

/**
 * For a test file: the web studio (past its first run, with a small output) and one page
 * of its main window at 1280x720, shared by the file's tests, which tell one story in order.
 */
export function useStudioPage(): { studio: WebStudioUnderTest; page(): Page } {
  const studio = useWebStudio(ENGINE_CHROMIUM_ARGS);
  let page: Page | undefined;
  beforeAll(async () => {
    seedSmallStudio(studio.dataDir);
    page = await studio.browser().newPage({ viewport: { width: 1280, height: 720 } });
    await openMainWindow(page, studio.url());
  });
  return {
    studio,
    page() {
      if (!page) throw new Error('the studio page has not opened');
      return page;
    },
  };
}

/** Presses Tab (or Shift+Tab) until `target` has focus: a keyboard user's way there. */
export async function tabTo(page: Page, target: Locator, options: { backwards?: boolean; maxPresses?: number } = {}): Promise<void> {
  for (let press = 0; press < (options.maxPresses ?? 80); press++) {
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

/** Presses `key` on the focused control until `done` says so (a select stepped with the arrow keys). */
export async function pressUntil(page: Page, key: string, done: () => Promise<boolean>, maxPresses = 20): Promise<void> {
  for (let press = 0; press < maxPresses; press++) {
    if (await done()) return;
    await page.keyboard.press(key);
  }
  expect(await done()).toBe(true);
}

/** Saves a screenshot of the page as a test artifact. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, timeout: 30_000 });
  return path;
}

/**
 * The RGB of the program at a point given as fractions of its size: the scene editor's canvas
 * (the program, out of Studio Mode) drawn into a 2D one.
 */
export async function programPixel(page: Page, fx: number, fy: number): Promise<[number, number, number]> {
  const canvas = page.getByRole('application', { name: 'Scene editor' }).locator('canvas').first();
  const [r, g, b] = await canvas.evaluate(
    (element: HTMLCanvasElement, [x, y]) => {
      const probe = document.createElement('canvas');
      probe.width = element.width;
      probe.height = element.height;
      const context = probe.getContext('2d')!;
      context.drawImage(element, 0, 0);
      return [...context.getImageData(Math.floor(x! * element.width), Math.floor(y! * element.height), 1, 1).data];
    },
    [fx, fy],
  );
  return [r!, g!, b!];
}

/** The centre of an item of the edited scene, in page pixels, from the stored collection and the editor's box. */
export async function itemCentreOnPage(
  page: Page,
  collection: SceneCollection,
  itemId: string,
  size: { width: number; height: number },
): Promise<{ x: number; y: number }> {
  const box = await page.getByRole('application', { name: 'Scene editor' }).boundingBox();
  if (!box) throw new Error('the scene editor is not on screen');
  const item = collection.scenes.flatMap((scene) => scene.items).find((candidate) => candidate.id === itemId);
  if (!item) throw new Error(`no item ${itemId}`);
  const k = box.width / collection.canvas.width;
  const width = (size.width - item.crop.left - item.crop.right) * Math.abs(item.scale.x);
  const height = (size.height - item.crop.top - item.crop.bottom) * Math.abs(item.scale.y);
  return { x: box.x + (item.position.x + width / 2) * k, y: box.y + (item.position.y + height / 2) * k };
}

/** The text of an element as laid out, one string per line box (where the browser wrapped it). */
export async function textLines(element: Locator): Promise<string[]> {
  return element.evaluate((node) => {
    const lines: Array<{ top: number; text: string }> = [];
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      for (let i = 0; i < text.textContent!.length; i++) {
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        const top = Math.round(range.getBoundingClientRect().top);
        const last = lines.at(-1);
        if (last && Math.abs(last.top - top) < 2) last.text += text.textContent![i];
        else lines.push({ top, text: text.textContent![i]! });
      }
    }
    return lines.map((line) => line.text);
  });
}

/** `overlay` (a notification) overlaps none of `controls` on screen: each control it would hide is named in the failure. */
export async function expectCoversNoControl(overlay: Locator, controls: Locator): Promise<void> {
  const over = await overlay.boundingBox();
  if (!over) throw new Error(`${overlay.toString()} is not on screen`);
  const covered: string[] = [];
  for (const control of await controls.all()) {
    const box = await control.boundingBox();
    if (!box) continue;
    const overlaps =
      box.x < over.x + over.width && over.x < box.x + box.width && box.y < over.y + over.height && over.y < box.y + box.height;
    if (overlaps) covered.push((await control.getAttribute('aria-label')) ?? (await control.innerText()));
  }
  expect(covered, 'controls under the notification').toEqual([]);
}
