/**
 * The engine in the studio UI, through the real web host: the program renders, stats
 * update, a change to the beauty filter is saved into the host's SQLite file and is there
 * after a reload, and a screenshot downloads as a full-resolution PNG.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSqlite } from '../../native/sqlite.ts';
import { ENGINE_CHROMIUM_ARGS } from './support/engine-harness.ts';
import { useWebStudio } from './support/web-studio.ts';

describe('the studio engine in the web studio', () => {
  const studio = useWebStudio(ENGINE_CHROMIUM_ARGS);

  it('shows the program with the camera running, and its stats', async () => {
    const page = await studio.browser().newPage();
    await page.goto(studio.url());
    await expect.poll(() => page.getByRole('region', { name: 'Program' }).locator('canvas').count(), { timeout: 20_000 }).toBe(1);
    const sources = page.getByRole('list', { name: 'Sources' });
    await expect.poll(() => sources.innerText(), { timeout: 15_000 }).toContain('Camera: ready');
    await expect
      .poll(async () => Number(/^(\d+) fps/.exec(await page.getByRole('status', { name: 'Engine stats' }).innerText())?.[1] ?? 0), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    await page.close();
  });

  it('saves a beauty change into tally.db and shows it again after a reload', async () => {
    const page = await studio.browser().newPage();
    await page.goto(studio.url());
    const toggle = page.getByRole('checkbox', { name: 'Beauty filter' });
    await expect.poll(() => toggle.isChecked(), { timeout: 20_000 }).toBe(true);
    await page.getByRole('slider', { name: 'Smoothing' }).fill('0.8');
    await toggle.uncheck();
    const stored = () => {
      const db = new (loadSqlite())(join(studio.dataDir, 'tally.db'), { readonly: true });
      try {
        const row = db.prepare("SELECT body FROM scene_collections WHERE id = 'default'").get() as { body: string } | undefined;
        const body = row
          ? (JSON.parse(row.body) as {
              sources: Array<{ id: string; filters: Array<{ enabled: boolean; settings: { smoothing?: number } }> }>;
            })
          : null;
        return body?.sources.find((source) => source.id === 'camera')?.filters[0] ?? null;
      } finally {
        db.close();
      }
    };
    await expect.poll(stored, { timeout: 10_000 }).toMatchObject({ enabled: false, settings: { smoothing: 0.8 } });
    await page.reload();
    await expect.poll(() => page.getByRole('checkbox', { name: 'Beauty filter' }).isChecked(), { timeout: 20_000 }).toBe(false);
    expect(await page.getByRole('slider', { name: 'Smoothing' }).inputValue()).toBe('0.8');
    await page.close();
  });

  it('downloads a screenshot of the program as a 1280x720 PNG', async () => {
    const page = await studio.browser().newPage();
    await page.goto(studio.url());
    const button = page.getByRole('button', { name: 'Take screenshot' });
    await button.waitFor({ timeout: 20_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const file = join(studio.dataDir, 'shot.png');
    await download.saveAs(file);
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 720]);
    await page.close();
  });
});
