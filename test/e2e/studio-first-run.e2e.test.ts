/**
 * A new user's first minutes, with the keyboard alone, in the web studio with Chromium's
 * fake camera and microphone: the first-run wizard (permission, devices, an output proposed
 * from the camera, this computer as where to go live), whose camera is in the scene as the
 * studio opens (checked in its properties dialog), then a text overlay added through its
 * dialog, then the beauty filter on the camera. What the user set up is what
 * tally.db holds. Then Go Live from the Controls dock, a viewer watches, and End Stream.
 */
import { describe, expect, it } from 'vitest';
import { ENGINE_CHROMIUM_ARGS } from './support/engine-harness.ts';
import { controls, expectViewerPlays } from './support/outputs-panel.ts';
import { pressUntil, storedCollection, storedSetting, tabTo } from './support/studio-ui.ts';
import { useWebStudio } from './support/web-studio.ts';

describe('a new user, with the keyboard only', () => {
  const studio = useWebStudio(ENGINE_CHROMIUM_ARGS);

  it('goes through the wizard, finds its camera in the scene, adds a text overlay, turns on beauty, goes live and a viewer watches', async () => {
    const page = await studio.browser().newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(studio.url());

    // The wizard: focus starts on its first action.
    const wizard = page.getByRole('dialog', { name: 'Welcome to Tally' });
    await wizard.waitFor({ timeout: 30_000 });
    const allow = wizard.getByRole('button', { name: 'Allow camera and microphone' });
    await tabTo(page, allow);
    await page.keyboard.press('Enter');
    await expect.poll(() => wizard.getByLabel('Camera preview').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => wizard.getByRole('combobox', { name: 'Camera' }).inputValue()).not.toBe('');
    const cameraId = await wizard.getByRole('combobox', { name: 'Camera' }).inputValue();
    await tabTo(page, wizard.getByRole('button', { name: 'Next' }));
    await page.keyboard.press('Enter');

    // The output is proposed from what the (fake, 1920x1080 at 20 fps) camera gives, no faster than it; the user picks a smaller one.
    const resolution = wizard.getByRole('combobox', { name: 'Output resolution' });
    await expect.poll(() => wizard.getByText(/Proposed from your camera/).count(), { timeout: 20_000 }).toBe(1);
    expect(await wizard.getByText(/Proposed from your camera/).innerText()).toMatch(/at up to 20 fps\): 1920x1080 at 20 fps/);
    expect(await resolution.inputValue()).toBe('1920x1080');
    expect(await wizard.getByRole('combobox', { name: 'Frame rate' }).inputValue()).toBe('20');
    await tabTo(page, resolution);
    await pressUntil(page, 'ArrowDown', async () => (await resolution.inputValue()) === '640x360');
    await tabTo(page, wizard.getByRole('button', { name: 'Next' }));
    await page.keyboard.press('Enter');
    // Where to go live: this computer is chosen already.
    expect(await wizard.getByRole('radio', { name: /^This computer/ }).isChecked()).toBe(true);
    await tabTo(page, wizard.getByRole('button', { name: 'Finish' }));
    await page.keyboard.press('Enter');

    const editor = page.getByRole('application', { name: 'Scene editor' });
    await editor.waitFor({ timeout: 30_000 });
    expect(storedSetting(studio.dataDir, 'video')).toEqual({ output: { width: 640, height: 360, fps: 20 } });
    expect(storedSetting(studio.dataDir, 'firstRun')).toMatchObject({ completedAtMs: expect.any(Number) as unknown });
    // The microphone the wizard allowed is the studio's global audio, on the mixer.
    await expect.poll(() => page.getByRole('group', { name: 'Mic/Aux audio' }).count()).toBe(1);

    // The wizard's camera is in the scene, selected: its properties show the device chosen, at the output's size, live.
    const sources = page.getByRole('region', { name: 'Sources' });
    const cameraRow = sources.getByRole('button', { name: 'Camera', exact: true });
    await expect.poll(() => cameraRow.getAttribute('aria-pressed'), { timeout: 20_000 }).toBe('true');
    await tabTo(page, sources.getByRole('button', { name: 'Source properties' }));
    await page.keyboard.press('Enter');
    const cameraDialog = page.getByRole('dialog', { name: 'Properties of “Camera”' });
    await cameraDialog.waitFor();
    expect(await cameraDialog.getByRole('combobox', { name: 'Resolution' }).inputValue()).toBe('640x360');
    // (The device list fills in once the browser lists the devices.)
    await expect.poll(() => cameraDialog.getByRole('combobox', { name: 'Device' }).inputValue()).toBe(cameraId);
    await expect.poll(() => cameraDialog.getByRole('img', { name: 'Live view of Camera' }).count()).toBe(1);
    await tabTo(page, cameraDialog.getByRole('button', { name: 'OK' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => cameraDialog.count()).toBe(0);

    // A text overlay, through Add Source and its dialog.
    const addSource = sources.getByRole('button', { name: 'Add Source' });
    await tabTo(page, addSource, { backwards: true });
    await page.keyboard.press('Enter');
    await pressUntil(page, 'ArrowDown', () =>
      page.getByRole('menuitem', { name: 'Text', exact: true }).evaluate((item) => item === document.activeElement),
    );
    await page.keyboard.press('Enter');
    const textDialog = page.getByRole('dialog', { name: 'Add Text' });
    const text = textDialog.getByRole('textbox', { name: 'Text', exact: true });
    await tabTo(page, text);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Live from Tally');
    await tabTo(page, textDialog.getByRole('button', { name: 'OK' }));
    await page.keyboard.press('Enter');
    await expect.poll(() => textDialog.count()).toBe(0);

    // Beauty on the camera: select it in Sources, open its filters, add Beauty.
    await tabTo(
      page,
      sources.getByRole('button', { name: 'Live from Tally', exact: false }).or(sources.getByRole('button', { name: 'Text', exact: true })),
      { backwards: true },
    );
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => cameraRow.getAttribute('aria-pressed')).toBe('true');
    await tabTo(page, sources.getByRole('button', { name: 'Source filters' }));
    await page.keyboard.press('Enter');
    const filters = page.getByRole('dialog', { name: 'Filters for “Camera”' });
    await tabTo(page, filters.getByRole('button', { name: 'Add filter' }));
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    const smoothing = filters.getByRole('slider', { name: 'Smoothing' });
    await tabTo(page, smoothing);
    await pressUntil(page, 'ArrowRight', async () => Number(await smoothing.inputValue()) >= 0.6);
    await page.keyboard.press('Escape');
    await expect.poll(() => filters.count()).toBe(0);

    // The camera runs (no error in the list) and everything is in the store.
    await expect.poll(() => sources.getByText(/starting|Error/).count(), { timeout: 20_000 }).toBe(0);
    await expect
      .poll(() => {
        const collection = storedCollection(studio.dataDir);
        const camera = collection?.sources.find((source) => source.settings.kind === 'camera');
        const title = collection?.sources.find((source) => source.settings.kind === 'text');
        return {
          cameras: collection?.sources.filter((source) => source.settings.kind === 'camera').length,
          camera: camera && {
            settings: camera.settings,
            filters: camera.filters.map((filter) => ({ enabled: filter.enabled, settings: filter.settings })),
          },
          title: title?.settings.kind === 'text' ? title.settings.text : null,
          items: collection?.scenes[0]?.items.length,
        };
      })
      .toMatchObject({
        camera: {
          settings: { kind: 'camera', deviceId: cameraId, width: 640, height: 360, fps: 20 },
          filters: [{ enabled: true, settings: { kind: 'beauty', smoothing: expect.closeTo(0.6, 1) as unknown } }],
        },
        cameras: 1,
        title: 'Live from Tally',
        items: 2,
      });

    // Go Live with the keyboard: the viewer link of the local origin the wizard chose, playing.
    const goLive = controls(page).getByRole('button', { name: 'Go Live', exact: true });
    await tabTo(page, goLive);
    await page.keyboard.press('Enter');
    const endStream = controls(page).getByRole('button', { name: 'End Stream', exact: true });
    await endStream.waitFor({ timeout: 60_000 });
    await expectViewerPlays((await controls(page).getByRole('link', { name: 'Viewer link' }).getAttribute('href'))!);
    await tabTo(page, endStream);
    await page.keyboard.press('Enter');
    await goLive.waitFor({ timeout: 30_000 });
    await page.close();
  }, 300_000);
});
