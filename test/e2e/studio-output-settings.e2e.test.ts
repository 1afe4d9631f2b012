/**
 * Settings → Output, General and Stream at 1280x720, in the web studio with Chromium's fake
 * devices: the software encoder chosen, stored, and what the engine really configured (the
 * Stats dock reads WebCodecs' accepted configuration); the ffmpeg path checked by the host (a
 * bad path refused inline, the real /usr/bin/ffmpeg taken); a destination edited with its key
 * kept and never shown; the local origin in or out of Go Live; live and recording, every
 * control of the Controls dock shows whole without scrolling. Screenshots of the main window
 * (empty, live, live and recording) and of Settings → Output are kept as artifacts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fileKeyCipher, openSecret } from '../../main/services/outputs/secret-box.ts';
import { closeSettings, controls, destinationRow, openSettings } from './support/outputs-panel.ts';
import { saveScreenshot, storedDestinations, storedHostSetting, useStudioPage } from './support/studio-ui.ts';

const KEY = 'venue-key-0123456789wxyz';

describe('output settings in the studio window at 1280x720', () => {
  const opened = useStudioPage();
  const { studio } = opened;
  const page = () => opened.page();

  it('the empty main window fits: every Stats value is inside the window, every dock title shows whole', async () => {
    const stats = page().getByRole('table', { name: 'Stats' });
    await stats.getByRole('row', { name: /^Host CPU/ }).waitFor();
    await saveScreenshot(page(), 'main-window-empty-1280x720');
    await expectInsideWindow(stats.getByRole('cell'));
    const titles = page().getByRole('heading', { level: 2 });
    const cut = await titles.evaluateAll((headings) =>
      headings.filter((heading) => heading.scrollWidth > heading.clientWidth).map((heading) => heading.textContent),
    );
    expect(await titles.count()).toBeGreaterThanOrEqual(7);
    expect(cut, 'dock titles cut short').toEqual([]);
  });

  it('the software encoder is stored and is what the engine configures when live', async () => {
    const output = await openSettings(page(), 'Output');
    const form = output.getByRole('form', { name: 'Encoder settings' });
    await form.getByRole('combobox', { name: 'Video encoder' }).selectOption('prefer-software');
    await form.getByRole('button', { name: 'Save encoder settings' }).click();
    await output.getByRole('status', { name: 'Settings result' }).getByText('Encoder settings saved').waitFor();
    expect(storedHostSetting(studio.dataDir, 'outputs.encoder')).toMatchObject({ hardwareAcceleration: 'prefer-software' });
    await saveScreenshot(page(), 'settings-output-1280x720');
    await closeSettings(page());

    await controls(page()).getByRole('button', { name: 'Go Live', exact: true }).click();
    const encoderRow = page()
      .getByRole('table', { name: 'Stats' })
      .getByRole('row', { name: /^Video encoder/ });
    await expect.poll(() => encoderRow.innerText().catch(() => ''), { timeout: 60_000 }).toMatch(/H\.264 \w+ · software$/);
    await expect
      .poll(
        () =>
          page()
            .getByRole('table', { name: 'Stats' })
            .getByRole('row', { name: /^Local origin/ })
            .innerText()
            .catch(() => ''),
        {
          timeout: 30_000,
        },
      )
      .toMatch(/live · \d+ kbps/);
    await saveScreenshot(page(), 'main-window-live-1280x720');
    // Leaving the page while live asks first (the browser's "Leave site?"); dismissed, the studio stays, still live.
    // (Chromium 156 headless asks on a navigation, not on page.close({ runBeforeUnload }).)
    const asked = new Promise<string>((resolve) =>
      page().once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.dismiss();
      }),
    );
    const left = await page()
      .goto(page().url(), { timeout: 15_000 })
      .then(
        () => 'navigated',
        (error: unknown) => String(error),
      );
    expect(await asked).toBe('beforeunload');
    expect(left).toMatch(/ERR_ABORTED/);
    await controls(page()).getByRole('button', { name: 'End Stream', exact: true }).waitFor();
    await expectInsideWindow(page().getByRole('table', { name: 'Stats' }).getByRole('cell'));
    // Live and recording, both timers running: every control in the Controls dock, the viewer link's too, shows whole, without scrolling.
    await controls(page()).getByRole('button', { name: 'Start Recording', exact: true }).click();
    // The buttons keep their names; each timer runs beside its button, named for what it times.
    const stopRecording = controls(page()).getByRole('button', { name: 'Stop Recording', exact: true });
    await stopRecording.waitFor({ timeout: 30_000 });
    await controls(page()).getByRole('button', { name: 'End Stream', exact: true }).waitFor();
    for (const timer of ['Live time', 'Recording time'])
      await expect.poll(() => controls(page()).getByRole('timer', { name: timer }).innerText()).toMatch(/^\d\d:\d\d$/);
    await expectWholeInDock(controls(page()), [
      'End Stream',
      'Stop Recording',
      'Screenshot',
      'Studio Mode',
      'Settings',
      'Copy viewer link',
    ]);
    // Nothing in it scrolls (a scrollbar would also narrow the dock to one button a row).
    const body = controls(page()).locator('.dock-body');
    expect(await body.evaluate((element) => element.scrollHeight - element.clientHeight)).toBeLessThanOrEqual(0);
    await saveScreenshot(page(), 'main-window-live-recording-1280x720');
    // Some video reached the recorder (a recording stopped before its first keyframe saves nothing, and says so).
    await expect
      .poll(
        () =>
          page()
            .getByRole('table', { name: 'Stats' })
            .getByRole('row', { name: /^Recorded/ })
            .innerText(),
        { timeout: 30_000 },
      )
      .not.toMatch(/ 0 B$/);
    await stopRecording.click();
    // Saved: said in a notification (for a few seconds), and the recording shows in the Library dock without
    // scrolling past its toolbar (its rarer filters fold away; the import job's row leaves by itself once it ended well).
    await page()
      .getByRole('region', { name: 'Notifications' })
      .getByText(/^Recording saved: \S.*\.mp4$/)
      .waitFor({ timeout: 30_000 });
    await controls(page()).getByRole('button', { name: 'Start Recording', exact: true }).waitFor({ timeout: 30_000 });
    const library = page().getByRole('region', { name: 'Library' });
    const newest = library.getByRole('list', { name: 'Library items' }).getByRole('button').first();
    await newest.waitFor({ timeout: 30_000 });
    await expect.poll(() => library.getByRole('list', { name: 'Library jobs' }).count(), { timeout: 30_000 }).toBe(0);
    await saveScreenshot(page(), 'main-window-after-recording-1280x720');
    await expectWhole([newest]);
    const output2 = await openSettings(page(), 'Output');
    expect(await output2.getByLabel('Video encoder in use').innerText()).toMatch(/^In use: H\.264 \w+ · software$/);
    await closeSettings(page());
    await controls(page()).getByRole('button', { name: 'End Stream', exact: true }).click();
    await controls(page()).getByRole('button', { name: 'Go Live', exact: true }).waitFor();
  });

  it('a bad ffmpeg path is refused inline with the reason; /usr/bin/ffmpeg is taken and stored', async () => {
    const general = await openSettings(page(), 'General');
    const form = general.getByRole('form', { name: 'ffmpeg path' });
    await form.getByRole('textbox', { name: 'Path to ffmpeg' }).fill('/opt/nowhere/ffmpeg');
    await form.getByRole('button', { name: 'Use this ffmpeg' }).click();
    await expect.poll(() => general.getByRole('alert').innerText()).toBe('/opt/nowhere/ffmpeg does not exist');
    await saveScreenshot(page(), 'settings-general-ffmpeg-1280x720');
    expect(storedHostSetting(studio.dataDir, 'host.ffmpegPath')).toBeUndefined();

    await form.getByRole('textbox', { name: 'Path to ffmpeg' }).fill('/usr/bin/ffmpeg');
    await form.getByRole('button', { name: 'Use this ffmpeg' }).click();
    await expect
      .poll(() => general.getByRole('status', { name: 'ffmpeg result' }).innerText())
      .toMatch(/^Using ffmpeg \S+ at \/usr\/bin\/ffmpeg$/);
    expect(await general.getByRole('alert').count()).toBe(0);
    expect(storedHostSetting(studio.dataDir, 'host.ffmpegPath')).toBe('/usr/bin/ffmpeg');
    expect(await general.getByLabel('Host information').innerText()).toMatch(/configured: \/usr\/bin\/ffmpeg/);
    await closeSettings(page());
  });

  it('a recordings folder under a file or in /proc is refused beside the field with the reason; a good one is taken and stored', async () => {
    const output = await openSettings(page(), 'Output');
    const form = output.getByRole('form', { name: 'Recordings folder' });
    const field = form.getByRole('textbox', { name: 'Recordings folder' });
    // The field fills in once the host's settings arrive; read it only then.
    await expect.poll(() => field.inputValue()).not.toBe('');
    const before = await field.inputValue();
    writeFileSync(join(studio.dataDir, 'a-file'), 'x');
    const underFile = join(studio.dataDir, 'a-file', 'recordings');
    await field.fill(underFile);
    await form.getByRole('button', { name: 'Save folder' }).click();
    await expect
      .poll(() => output.getByRole('alert').innerText())
      .toBe(`${underFile} cannot be the recordings folder: a file is in the way, not a folder. Recordings still go to ${before}.`);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(storedHostSetting(studio.dataDir, 'recording.folder')).not.toBe(underFile);
    // A folder where nothing can be made: refused at once (Node's recursive mkdir never returned there and froze the host).
    await field.fill('/proc/nope');
    await form.getByRole('button', { name: 'Save folder' }).click();
    await expect
      .poll(() => output.getByRole('alert').innerText())
      .toBe(`/proc/nope cannot be the recordings folder: new folders or files cannot be made there. Recordings still go to ${before}.`);

    const chosen = join(studio.dataDir, 'Shows');
    await field.fill(chosen);
    await form.getByRole('button', { name: 'Save folder' }).click();
    await expect.poll(() => output.getByRole('status', { name: 'Recordings folder result' }).count()).toBe(1);
    expect(await output.getByRole('alert').count()).toBe(0);
    expect(storedHostSetting(studio.dataDir, 'recording.folder')).toBe(chosen);
    await closeSettings(page());
  });

  it('a destination is edited from the list, an empty key keeps the stored one, and the key is never shown', async () => {
    const stream = await openSettings(page(), 'Stream');
    // The page applies at once, so the dialog offers Close only; the Video page keeps Cancel, Apply and OK.
    const footer = () =>
      Promise.all(['Cancel', 'Apply', 'OK', 'Close'].map((name) => stream.getByRole('button', { name, exact: true }).count()));
    expect(await footer()).toEqual([0, 0, 0, 1]);
    await stream.getByRole('tab', { name: 'Video' }).click();
    expect(await footer()).toEqual([1, 1, 1, 0]);
    await stream.getByRole('tab', { name: 'Stream' }).click();
    const add = stream.getByRole('form', { name: 'Add destination' });
    await add.getByLabel('Service').selectOption('custom');
    await add.getByLabel('Name').fill('Venue');
    await add.getByLabel('Server URL').fill('rtmp://127.0.0.1:1935/live');
    await add.getByLabel('Stream key').fill(KEY);
    await add.getByRole('button', { name: 'Add destination' }).click();
    await destinationRow(page(), 'Venue').waitFor();

    await destinationRow(page(), 'Venue').getByRole('button', { name: 'Edit Venue' }).click();
    const edit = stream.getByRole('form', { name: 'Edit Venue' });
    expect(await edit.getByLabel('Server URL').inputValue()).toBe('rtmp://127.0.0.1:1935/live');
    expect(await edit.getByLabel('Stream key').inputValue()).toBe('');
    expect(await edit.getByLabel('Stream key').getAttribute('placeholder')).toBe('empty keeps ••••••••wxyz');
    await saveScreenshot(page(), 'settings-stream-edit-1280x720');
    await edit.getByLabel('Name').fill('Venue hall');
    await edit.getByLabel('Server URL').fill('rtmp://127.0.0.1:1936/hall');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await destinationRow(page(), 'Venue hall').waitFor();
    await edit.waitFor({ state: 'detached' });
    expect(await destinationRow(page(), 'Venue hall').innerText()).toContain('key ••••••••wxyz');
    const row = storedDestinations(studio.dataDir).find((candidate) => candidate.name === 'Venue hall')!;
    expect(row.server_url).toBe('rtmp://127.0.0.1:1936/hall');
    expect(openSecret(fileKeyCipher(studio.dataDir), row.stream_key!)).toBe(KEY);
    expect(await page().content()).not.toContain(KEY);
  });

  it('the local origin can be left out of Go Live like any destination', async () => {
    await openSettings(page(), 'Stream');
    const hall = destinationRow(page(), 'Venue hall').getByRole('checkbox', { name: 'Include Venue hall in Go Live' });
    // Controlled by the host's state: click, then wait for the host.
    await hall.click();
    await expect.poll(() => storedDestinations(studio.dataDir).find((row) => row.name === 'Venue hall')?.enabled).toBe(0);
    const local = destinationRow(page(), 'Local origin').getByRole('checkbox', { name: 'Include Local origin in Go Live' });
    await local.click();
    await expect.poll(() => storedDestinations(studio.dataDir).find((row) => row.id === 'local-origin')?.enabled).toBe(0);
    await closeSettings(page());
    await controls(page()).getByRole('button', { name: 'Go Live', exact: true }).click();
    const notifications = page().getByRole('region', { name: 'Notifications' });
    await notifications
      .getByText(/no destination is enabled/)
      .first()
      .waitFor();
    // Dismiss the notifications, as a user would.
    const dismiss = notifications.getByRole('button', { name: 'Dismiss notification' });
    while ((await dismiss.count()) > 0)
      await dismiss
        .first()
        .click({ timeout: 5_000 })
        .catch(() => undefined);
    await openSettings(page(), 'Stream');
    await local.click();
    await expect.poll(() => storedDestinations(studio.dataDir).find((row) => row.id === 'local-origin')?.enabled).toBe(1);
    await closeSettings(page());
  });
});

/** Each element's box lies within the 1280-pixel-wide window (nothing cut off on the right). */
/**
 * Each button is inside the window and wholly inside its dock's visible box: no ancestor that
 * scrolls or clips (the dock body) cuts any of it off, so it needs no scrolling to reach.
 */
async function expectWholeInDock(dock: Locator, names: readonly (string | RegExp)[]): Promise<void> {
  await expectWhole(names.map((name) => dock.getByRole('button', { name, exact: typeof name === 'string' })));
}

/** Each control lies inside the window and inside every scrolling or clipping box around it, at the scroll it has. */
async function expectWhole(controls: readonly Locator[]): Promise<void> {
  for (const button of controls) {
    const viewport = button.page().viewportSize()!;
    const placed = await button.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const clippedBy: string[] = [];
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const bounds = parent.getBoundingClientRect();
        const inside =
          box.left >= bounds.left + parent.clientLeft - 0.5 &&
          box.top >= bounds.top + parent.clientTop - 0.5 &&
          box.right <= bounds.left + parent.clientLeft + parent.clientWidth + 0.5 &&
          box.bottom <= bounds.top + parent.clientTop + parent.clientHeight + 0.5;
        if (!inside) clippedBy.push(parent.className || parent.tagName);
      }
      return { box: { left: box.left, top: box.top, right: box.right, bottom: box.bottom }, clippedBy, text: element.textContent };
    });
    expect(placed.clippedBy, `"${placed.text}" is cut off by its dock`).toEqual([]);
    expect(placed.box.left, `"${placed.text}" starts left of the window`).toBeGreaterThanOrEqual(0);
    expect(placed.box.top, `"${placed.text}" starts above the window`).toBeGreaterThanOrEqual(0);
    expect(placed.box.right, `"${placed.text}" ends past the window`).toBeLessThanOrEqual(viewport.width);
    expect(placed.box.bottom, `"${placed.text}" ends below the window`).toBeLessThanOrEqual(viewport.height);
  }
}

async function expectInsideWindow(cells: Locator): Promise<void> {
  const width = cells.page().viewportSize()!.width;
  for (const cell of await cells.all()) {
    const overflow = await cell.evaluate((element) => {
      const box = element.getBoundingClientRect();
      // Inside the window, and not clipped by a parent that scrolls or hides its overflow sideways.
      let clipped = false;
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (style.overflowX === 'visible') continue;
        const bounds = parent.getBoundingClientRect();
        if (box.right > bounds.right + 0.5 || element.scrollWidth > element.clientWidth + 1) clipped = true;
      }
      return { right: box.right, clipped, text: element.textContent };
    });
    expect(overflow.right, `"${overflow.text}" ends past the window`).toBeLessThanOrEqual(width);
    expect(overflow.clipped, `"${overflow.text}" is cut off`).toBe(false);
  }
}
