/**
 * The engine in the studio UI, through the real web host: a camera added from Sources runs
 * in the program and the stats update, a change to the beauty filter is saved into the
 * host's SQLite file and is there after a reload, and an edit made just before the window
 * closes is kept. (The Screenshot button saves through the host: recording.e2e.test.ts reads
 * the PNG it writes.)
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_CHROMIUM_ARGS } from './support/engine-harness.ts';
import { openMainWindow, seedSmallStudio, storedCollection } from './support/studio-ui.ts';
import { useWebStudio } from './support/web-studio.ts';

describe('the studio engine in the web studio', () => {
  const studio = useWebStudio(ENGINE_CHROMIUM_ARGS);
  beforeAll(() => seedSmallStudio(studio.dataDir));

  async function openFilters(page: Page) {
    await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Camera', exact: true }).click();
    await page.getByRole('button', { name: 'Source filters' }).click();
    return page.getByRole('dialog', { name: 'Filters for “Camera”' });
  }

  it('shows the program with the camera running, and its stats', async () => {
    const page = await studio.browser().newPage();
    await openMainWindow(page, studio.url());
    expect(await page.getByRole('region', { name: 'Preview' }).locator('canvas').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Add Source' }).click();
    await page.getByRole('menuitem', { name: 'Camera' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add Camera' });
    await dialog.getByRole('combobox', { name: 'Resolution' }).selectOption('640x360');
    await dialog.getByRole('button', { name: 'OK' }).click();
    const camera = page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Camera', exact: true });
    await expect.poll(() => camera.innerText(), { timeout: 15_000 }).toBe('Camera');
    const stats = page.getByRole('table', { name: 'Stats' });
    await expect
      .poll(async () => Number(/Frame rate\s+(\d+)/.exec(await stats.innerText())?.[1] ?? 0), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await page.close();
  });

  it('saves a beauty change into tally.db and shows it again after a reload', async () => {
    const page = await studio.browser().newPage();
    await openMainWindow(page, studio.url());
    let filters = await openFilters(page);
    await filters.getByRole('button', { name: 'Add filter' }).click();
    await page.getByRole('menuitem', { name: 'Beauty' }).click();
    await filters.getByRole('slider', { name: 'Smoothing' }).fill('0.8');
    await filters.getByRole('checkbox', { name: 'Beauty enabled' }).uncheck();
    const stored = () => storedCollection(studio.dataDir)?.sources.find((source) => source.name === 'Camera')?.filters[0] ?? null;
    await expect.poll(stored, { timeout: 10_000 }).toMatchObject({ enabled: false, settings: { kind: 'beauty', smoothing: 0.8 } });
    await page.reload();
    await page.getByRole('application', { name: 'Scene editor' }).waitFor({ timeout: 30_000 });
    filters = await openFilters(page);
    expect(await filters.getByRole('checkbox', { name: 'Beauty enabled' }).isChecked()).toBe(false);
    expect(await filters.getByRole('slider', { name: 'Smoothing' }).inputValue()).toBe('0.8');
    await page.close();
  });

  it('keeps an edit made just before the window closes (within the autosave debounce)', async () => {
    const page = await studio.browser().newPage();
    await openMainWindow(page, studio.url());
    const before = storedCollection(studio.dataDir)!.scenes.length;
    await page.getByRole('region', { name: 'Scenes' }).getByRole('button', { name: 'Add scene' }).click();
    // Closed at once: the 500 ms debounce has not run; the page's pagehide saves the edit.
    await page.close();
    await expect.poll(() => storedCollection(studio.dataDir)?.scenes.length, { timeout: 15_000 }).toBe(before + 1);
  });
});
