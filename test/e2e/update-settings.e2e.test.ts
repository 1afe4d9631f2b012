import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_CHROMIUM_ARGS } from './support/engine-harness.ts';
import { openMainWindow, seedSmallStudio } from './support/studio-ui.ts';
import { useWebStudio } from './support/web-studio.ts';

describe('Settings > Updates in the web studio', () => {
  const studio = useWebStudio(ENGINE_CHROMIUM_ARGS);
  beforeAll(() => seedSmallStudio(studio.dataDir));

  it('keeps the chosen update channel across reloads, and says that updates come with the desktop app', async () => {
    const page = await studio.browser().newPage();
    const openUpdates = async () => {
      await openMainWindow(page, studio.url());
      await page.getByRole('region', { name: 'Controls' }).getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('dialog', { name: 'Settings' }).getByRole('tab', { name: 'Updates' }).click();
      return page.getByRole('combobox', { name: 'Update channel' });
    };
    let channel = await openUpdates();
    await expect.poll(() => channel.isEnabled()).toBe(true);
    expect(await channel.inputValue()).toBe('latest');
    await channel.selectOption({ label: 'Beta' });

    await page.reload();
    channel = await openUpdates();
    await expect.poll(() => channel.inputValue()).toBe('beta');
    await page.getByRole('button', { name: 'Check for updates' }).click();
    await expect
      .poll(() => page.getByRole('status', { name: 'Update status' }).innerText())
      .toMatch(/Updates come with the installed desktop app/);
  });
});
