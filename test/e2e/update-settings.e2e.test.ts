import { describe, expect, it } from 'vitest';
import { useWebStudio } from './support/web-studio.ts';

describe('Settings > Updates in the web studio', () => {
  const studio = useWebStudio();

  it('keeps the chosen update channel across reloads, and says that updates come with the desktop app', async () => {
    const page = await studio.browser().newPage();
    await page.goto(studio.url());
    const channel = page.getByRole('combobox', { name: 'Update channel' });
    await expect.poll(() => channel.isEnabled()).toBe(true);
    expect(await channel.inputValue()).toBe('latest');
    await channel.selectOption({ label: 'Beta' });

    await page.reload();
    await expect.poll(() => page.getByRole('combobox', { name: 'Update channel' }).inputValue()).toBe('beta');
    await page.getByRole('button', { name: 'Check for updates' }).click();
    await expect
      .poll(() => page.getByRole('status', { name: 'Update status' }).innerText())
      .toMatch(/Updates come with the installed desktop app/);
  });
});
