/**
 * Editing with the mouse in the web studio: the canvas set in Settings → Video; an item
 * dragged, snapped to the canvas edge, resized with shift, cropped with alt, centred from
 * its context menu and nudged with the arrow keys, each landing in the stored collection;
 * scenes added, renamed, reordered, duplicated, removed (and undone) and switched by a
 * hotkey set in Settings; a source that fails shows its error in the list and the preview.
 * Screenshots of the main window (empty, editing) and of Settings are kept as artifacts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SceneCollection, SceneItem } from '../../common/scene/schema.ts';
import { itemCentreOnPage, saveScreenshot, storedCollection, storedSetting, useStudioPage } from './support/studio-ui.ts';

describe('editing in the studio', () => {
  const opened = useStudioPage();
  const studio = opened.studio;
  let page: Page;
  beforeAll(() => {
    page = opened.page();
  });

  const collection = (): SceneCollection => {
    const stored = storedCollection(studio.dataDir);
    if (!stored) throw new Error('nothing stored yet');
    return stored;
  };
  const onlyItem = (): SceneItem => {
    const items = collection().scenes.flatMap((scene) => scene.items);
    if (items.length !== 1) throw new Error(`expected one item, found ${items.length}`);
    return items[0]!;
  };
  /** Canvas pixels per page pixel of the preview. */
  const unit = async () => 1280 / (await page.getByRole('application', { name: 'Scene editor' }).boundingBox())!.width;
  const drag = async (from: { x: number; y: number }, by: { x: number; y: number }, modifier?: 'Shift' | 'Alt') => {
    await page.mouse.move(from.x, from.y);
    if (modifier) await page.keyboard.down(modifier);
    await page.mouse.down();
    await page.mouse.move(from.x + by.x / 2, from.y + by.y / 2, { steps: 3 });
    await page.mouse.move(from.x + by.x, from.y + by.y, { steps: 3 });
    await page.mouse.up();
    if (modifier) await page.keyboard.up(modifier);
  };
  /** Where a canvas point is on the page. */
  const onPage = async (point: { x: number; y: number }) => {
    const box = (await page.getByRole('application', { name: 'Scene editor' }).boundingBox())!;
    const k = box.width / 1280;
    return { x: box.x + point.x * k, y: box.y + point.y * k };
  };

  it('shows the empty main window, and sets the base canvas in Settings → Video', async () => {
    await expect.poll(() => page.getByText('This scene is empty.').count()).toBe(1);
    for (const dock of ['Scenes', 'Sources', 'Audio Mixer', 'Scene Transitions', 'Controls', 'Stats'])
      expect(await page.getByRole('region', { name: dock }).count(), dock).toBe(1);
    await saveScreenshot(page, 'main-window-empty');

    await page.getByRole('region', { name: 'Controls' }).getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('tab', { name: 'Video' }).click();
    expect(await settings.getByRole('combobox', { name: 'Output (scaled) resolution' }).inputValue()).toBe('320x180');
    const canvas = settings.getByRole('combobox', { name: 'Base (canvas) resolution' });
    await canvas.fill('1281x720');
    expect(await canvas.getAttribute('aria-invalid')).toBe('true');
    await canvas.fill('1280x720');
    await saveScreenshot(page, 'settings-video');
    await settings.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => storedCollection(studio.dataDir)?.canvas).toEqual({ width: 1280, height: 720 });

    // The layout is remembered: the dock row made taller from the keyboard, the Stats dock hidden and shown again.
    const splitter = page.getByRole('separator', { name: 'Resize the dock row' });
    const height = Number(await splitter.getAttribute('aria-valuenow'));
    await splitter.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect
      .poll(() => (storedSetting(studio.dataDir, 'layout') as { bottomHeightPx?: number } | undefined)?.bottomHeightPx)
      .toBe(height + 32);
    await page.getByRole('button', { name: 'Docks' }).click();
    await page.getByRole('menuitemcheckbox', { name: 'Stats' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Stats' }).count()).toBe(0);
    await expect.poll(() => (storedSetting(studio.dataDir, 'layout') as { hidden?: string[] } | undefined)?.hidden).toEqual(['stats']);
    await page.getByRole('button', { name: 'Docks' }).click();
    await page.getByRole('menuitemcheckbox', { name: 'Stats' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Stats' }).count()).toBe(1);
  });

  it('drags, snaps, resizes with shift, crops with alt, centres from the menu and nudges with the keys, all stored', async () => {
    const sources = page.getByRole('region', { name: 'Sources' });
    await sources.getByRole('button', { name: 'Add Source' }).click();
    await page.getByRole('menuitem', { name: 'Colour' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add Colour' });
    await dialog.getByRole('spinbutton', { name: 'Width (px)' }).fill('320');
    await dialog.getByRole('spinbutton', { name: 'Height (px)' }).fill('180');
    await dialog.getByRole('button', { name: 'OK' }).click();
    const size = { width: 320, height: 180 };
    // A new picture smaller than the canvas is centred.
    await expect.poll(() => onlyItem().position).toEqual({ x: 480, y: 270 });
    const k = await unit();

    // Drag: the item moves by the pointer's travel, in canvas pixels.
    await drag(await itemCentreOnPage(page, collection(), onlyItem().id, size), { x: 100, y: 60 });
    await expect.poll(() => onlyItem().position.x).toBeCloseTo(480 + 100 * k, -0.5);
    const moved = onlyItem().position;
    expect(moved.y).toBeCloseTo(270 + 60 * k, -0.5);

    // Snap: dropped 5 screen pixels from the canvas's left edge, the item's edge lands on it exactly.
    await drag(await itemCentreOnPage(page, collection(), onlyItem().id, size), { x: -(moved.x / k) + 5, y: 0 });
    await expect.poll(() => onlyItem().position.x).toBe(0);

    // Resize from the bottom-right handle with shift: the ratio stays, the top-left stays.
    const before = onlyItem();
    await drag(await onPage({ x: before.position.x + 320, y: before.position.y + 180 }), { x: 80, y: 10 }, 'Shift');
    // (Poll for the final value: the debounced autosave may have stored a step of the drag first.)
    await expect.poll(() => onlyItem().scale.x).toBeCloseTo(1 + (80 * k) / 320, 1);
    const resized = onlyItem();
    expect(resized.scale.y).toBeCloseTo(resized.scale.x, 3);
    expect(resized.position.x).toBeCloseTo(before.position.x, 3);
    expect(resized.position.y).toBeCloseTo(before.position.y, 3);

    // Alt-drag the left handle inwards: the source is cropped, the rest stays where it was.
    const width = 320 * resized.scale.x;
    const height = 180 * resized.scale.y;
    await drag(await onPage({ x: resized.position.x, y: resized.position.y + height / 2 }), { x: 40, y: 0 }, 'Alt');
    await expect.poll(() => onlyItem().crop.left).toBeCloseTo((40 * k) / resized.scale.x, -0.5);
    const cropped = onlyItem();
    expect({ ...cropped.crop, left: 0 }).toEqual({ left: 0, top: 0, right: 0, bottom: 0 });
    expect(cropped.scale).toEqual(resized.scale);
    // The right edge did not move: the picture lost its left part only.
    expect(cropped.position.x + (320 - cropped.crop.left) * cropped.scale.x).toBeCloseTo(resized.position.x + width, 3);
    await saveScreenshot(page, 'main-window-editing');

    // The context menu centres it.
    await page.mouse.click(...(Object.values(await itemCentreOnPage(page, collection(), cropped.id, size)) as [number, number]), {
      button: 'right',
    });
    const menu = page.getByRole('menu', { name: 'Item' });
    await menu.getByRole('menuitem', { name: 'Transform' }).hover();
    await page.getByRole('menuitem', { name: 'Centre on screen' }).click();
    const shownWidth = (320 - cropped.crop.left) * cropped.scale.x;
    await expect.poll(() => onlyItem().position.x).toBeCloseTo((1280 - shownWidth) / 2, 3);
    expect(onlyItem().position.y).toBeCloseTo((720 - height) / 2, 3);

    // Arrow keys nudge the selection: 1 pixel, 10 with shift.
    const centred = onlyItem().position;
    await page.getByRole('application', { name: 'Scene editor' }).focus();
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'Shift+ArrowDown']) await page.keyboard.press(key);
    await expect.poll(() => onlyItem().position).toEqual({ x: centred.x + 3, y: centred.y + 10 });
  });

  it('adds, renames, reorders, duplicates, removes (with undo) and switches scenes, by click and by a hotkey set in Settings', async () => {
    const scenes = page.getByRole('region', { name: 'Scenes' });
    const names = () => collection().scenes.map((scene) => scene.name);
    const programName = () => {
      const stored = collection();
      return stored.scenes.find((scene) => scene.id === stored.programSceneId)?.name;
    };
    await scenes.getByRole('button', { name: 'Add scene' }).click();
    const rename = scenes.getByRole('textbox', { name: 'Scene name' });
    await rename.fill('Interview');
    await rename.press('Enter');
    await expect.poll(names).toEqual(['Scene', 'Interview']);
    expect(programName()).toBe('Interview');

    await scenes.getByRole('button', { name: 'Move scene up' }).click();
    await expect.poll(names).toEqual(['Interview', 'Scene']);
    await scenes.getByRole('button', { name: 'More scene actions' }).click();
    await page.getByRole('menuitem', { name: 'Duplicate' }).click();
    await expect.poll(names).toEqual(['Interview', 'Interview 2', 'Scene']);

    await scenes.getByRole('option', { name: 'Interview 2' }).click();
    await expect.poll(programName).toBe('Interview 2');
    await scenes.getByRole('button', { name: 'Remove scene' }).click();
    await expect.poll(names).toEqual(['Interview', 'Scene']);
    await page.getByRole('region', { name: 'Notifications' }).getByRole('button', { name: 'Undo' }).click();
    await expect.poll(names).toEqual(['Interview', 'Interview 2', 'Scene']);

    // A hotkey for "Scene", set in Settings → Hotkeys, switches to it.
    await page.getByRole('region', { name: 'Controls' }).getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('tab', { name: 'Hotkeys' }).click();
    await settings.getByRole('table', { name: 'Hotkeys' }).getByRole('button', { name: 'Set hotkey for Switch to “Scene”' }).click();
    await page.keyboard.press('Control+Digit1');
    await expect.poll(() => settings.getByText('Ctrl+1').count()).toBe(1);
    await saveScreenshot(page, 'settings-hotkeys');
    await settings.getByRole('button', { name: 'OK' }).click();
    const sceneId = collection().scenes.find((scene) => scene.name === 'Scene')!.id;
    await expect.poll(() => storedSetting(studio.dataDir, 'hotkeys')).toEqual({ [`scene.switch:${sceneId}`]: ['Ctrl+Digit1'] });
    await expect.poll(() => settings.count()).toBe(0);
    await page.keyboard.press('Control+Digit1');
    await expect.poll(programName).toBe('Scene');

    // Studio Mode: a click puts a scene on preview only; Transition takes it to program.
    await page.getByRole('region', { name: 'Controls' }).getByRole('button', { name: 'Studio Mode' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Program' }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Preview' }).count()).toBe(1);
    await scenes.getByRole('option', { name: 'Interview', exact: true }).click();
    const previewName = () => {
      const stored = collection();
      return stored.scenes.find((scene) => scene.id === stored.previewSceneId)?.name;
    };
    await expect.poll(previewName).toBe('Interview');
    expect(programName()).toBe('Scene');
    await page.getByRole('group', { name: 'Transition controls' }).getByRole('button', { name: 'Transition' }).click();
    await expect.poll(programName).toBe('Interview');
    await saveScreenshot(page, 'main-window-studio-mode');
    await page.getByRole('region', { name: 'Controls' }).getByRole('button', { name: 'Studio Mode' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Program' }).count()).toBe(0);
    await expect.poll(() => (storedSetting(studio.dataDir, 'layout') as { studioMode?: boolean } | undefined)?.studioMode).toBe(false);
  });

  it('mixes a microphone: meters move, the fader, mute, sync offset and monitoring are stored', async () => {
    await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Add Source' }).click();
    await page.getByRole('menuitem', { name: 'Microphone' }).click();
    await page.getByRole('dialog', { name: 'Add Microphone' }).getByRole('button', { name: 'OK' }).click();
    const strip = page.getByRole('region', { name: 'Audio Mixer' }).getByRole('group', { name: 'Microphone audio' });
    // Chromium's fake microphone beeps: the meter lights up (painted outside React, read back from its canvas).
    const lit = () =>
      strip.getByRole('img', { name: 'Microphone level meter' }).evaluate((canvas: HTMLCanvasElement) => {
        const data = canvas.getContext('2d')!.getImageData(0, 0, Math.max(1, Math.floor(canvas.width / 4)), 1).data;
        for (let offset = 0; offset < data.length; offset += 4) if (data[offset + 1]! > 150) return true;
        return false;
      });
    await expect.poll(lit, { timeout: 20_000 }).toBe(true);
    const audio = () => collection().sources.find((source) => source.name === 'Microphone')?.audio;
    await strip.getByRole('slider', { name: 'Microphone volume' }).fill('-12');
    await strip.getByRole('button', { name: 'Mute Microphone' }).click();
    await expect.poll(audio).toMatchObject({ gainDb: -12, muted: true });
    await page.getByRole('region', { name: 'Audio Mixer' }).getByRole('button', { name: 'Advanced audio properties' }).click();
    const advanced = page.getByRole('dialog', { name: 'Advanced audio properties' });
    await advanced.getByRole('spinbutton', { name: 'Microphone sync offset (ms)' }).fill('120');
    await advanced.getByRole('combobox', { name: 'Microphone audio monitoring' }).selectOption('monitorAndOutput');
    await advanced.getByRole('button', { name: 'Close', exact: true }).click();
    await expect.poll(audio).toEqual({ gainDb: -12, muted: true, syncOffsetMs: 120, monitoring: 'monitorAndOutput' });
  });

  it('a source that fails shows its error in its dialog, in the Sources list and in the preview', async () => {
    const broken = join(studio.dataDir, 'broken.png');
    writeFileSync(broken, 'this is not a picture');
    await page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Add Source' }).click();
    await page.getByRole('menuitem', { name: 'Image' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add Image' });
    await dialog.getByLabel('Image file').setInputFiles(broken);
    await expect.poll(() => dialog.getByRole('alert').innerText(), { timeout: 20_000 }).toMatch(/decoded|image/i);
    await dialog.getByRole('button', { name: 'OK' }).click();
    const row = page.getByRole('region', { name: 'Sources' }).getByRole('button', { name: 'Image', exact: true });
    await expect.poll(async () => (await row.getAttribute('aria-describedby')) !== null).toBe(true);
    expect(await row.innerText()).toMatch(/decoded|image/i);
    // The preview paints a red box where the picture would be (top-left: it never had a size to be placed by).
    const pixel = await page.evaluate(() => {
      const overlay = document.querySelector<HTMLCanvasElement>('.stage-overlay')!;
      const ratio = overlay.width / overlay.clientWidth;
      const margin = 30 * ratio;
      return Array.from(overlay.getContext('2d')!.getImageData(margin + 20 * ratio, margin + 60 * ratio, 1, 1).data);
    });
    expect(pixel[3]).toBeGreaterThan(20);
    expect(pixel[0]).toBeGreaterThan(150);
    expect(pixel[1]).toBeLessThan(130);
  });
});
