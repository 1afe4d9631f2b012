/**
 * Scene collections in the web studio: an OBS scene collection (the hand-written fixture)
 * becomes a new collection with its scenes and sources and a report of what was left out
 * or changed; a source whose file was on the OBS machine shows its error; the collection
 * exports to a file that imports back as a copy; collections are switched from the menu.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SceneCollection } from '../../common/scene/schema.ts';
import { projectRoot } from './support/processes.ts';
import { saveScreenshot, storedCollection, storedCollectionNames, useStudioPage } from './support/studio-ui.ts';

const OBS_FIXTURE = join(projectRoot, 'test', 'fixtures', 'obs', 'scene-collection.json');

describe('scene collections', () => {
  const opened = useStudioPage();
  const studio = opened.studio;
  let page: Page;
  beforeAll(() => {
    page = opened.page();
  });

  const importFile = async (path: string) => {
    await page.getByRole('button', { name: 'Scene Collection' }).click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('menuitem', { name: 'Import (Tally or OBS)…' }).click();
    await (await chooser).setFiles(path);
  };

  it('imports an OBS scene collection, with a report of what it left out, and shows the failed sources', async () => {
    await importFile(OBS_FIXTURE);
    const report = page.getByRole('dialog', { name: 'OBS import report' });
    await report.waitFor({ timeout: 20_000 });
    expect(await report.innerText()).toMatch(/Imported “Evening Show” from OBS: 3 scenes, \d+ sources, \d+ items/);
    const left = await report.getByRole('region', { name: 'Not imported' }).innerText();
    for (const line of ['Chat overlay: Tally has no browser sources', 'Slides: Tally has no image slide shows', 'Webcam › LUT'])
      expect(left).toContain(line);
    expect(await report.getByRole('region', { name: 'Imported with changes' }).innerText()).toMatch(
      /Logo: shows C:\/Users\/host\/Pictures\/logo\.png/,
    );
    await saveScreenshot(page, 'obs-import-report');
    await report.getByRole('button', { name: 'OK' }).click();

    await expect.poll(() => storedCollection(studio.dataDir)?.name).toBe('Evening Show');
    const stored = storedCollection(studio.dataDir)!;
    expect(stored.scenes.map((scene) => scene.name)).toEqual(['Live', 'Be Right Back', 'Picture in picture']);
    expect(new Set(stored.sources.map((source) => source.settings.kind))).toEqual(
      new Set(['camera', 'image', 'text', 'color', 'media', 'screen', 'microphone', 'desktopAudio']),
    );
    // The Scenes dock shows them, program ("Live") selected; the imported collection's items are listed.
    const scenes = page.getByRole('region', { name: 'Scenes' });
    await expect.poll(() => scenes.getByRole('option').allInnerTexts()).toEqual(['Live', 'Be Right Back', 'Picture in picture']);
    expect(await scenes.getByRole('option', { name: 'Live' }).getAttribute('aria-selected')).toBe('true');
    // The logo's file was on the OBS machine: its row says why it does not show.
    const logo = page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Logo', exact: true });
    await expect.poll(() => logo.innerText(), { timeout: 20_000 }).toMatch(/404|image/i);
  });

  it('exports the collection to a file that imports back as a copy, and switches between collections', async () => {
    await page.getByRole('button', { name: 'Scene Collection' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'Export' }).click();
    const file = join(studio.dataDir, 'exported.json');
    await (await download).saveAs(file);
    const exported = SceneCollection.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(exported).toEqual(storedCollection(studio.dataDir));

    await importFile(file);
    await expect.poll(() => storedCollection(studio.dataDir)?.name).toBe('Evening Show 2');
    const copy = storedCollection(studio.dataDir)!;
    expect(copy.id).not.toBe(exported.id);
    expect(copy.scenes).toEqual(exported.scenes);

    await page.getByRole('button', { name: 'Scene Collection' }).click();
    await page.getByRole('menuitemcheckbox', { name: 'Untitled' }).click();
    await expect.poll(() => storedCollection(studio.dataDir)?.name).toBe('Untitled');
    await expect.poll(() => page.getByRole('region', { name: 'Scenes' }).getByRole('option').allInnerTexts()).toEqual(['Scene']);
    expect(storedCollectionNames(studio.dataDir).sort()).toEqual(['Evening Show', 'Evening Show 2', 'Untitled']);
  });
});
