import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../main/services/store.ts';
import { useWebStudio } from './support/web-studio.ts';

describe('the web studio in Chromium', () => {
  const studio = useWebStudio();

  it('shows the host information that app.getInfo() returns', async () => {
    const page = await studio.browser().newPage();
    await page.goto(studio.url());
    const facts = page.getByRole('definition');
    await expect.poll(() => facts.count()).toBeGreaterThan(5);
    const text = await page.getByLabel('Host information').innerText();
    expect(text).toContain('Tally 0.1.0');
    expect(text).toContain('Web studio');
    expect(text).toContain(studio.dataDir);
    expect(text).toMatch(/ffmpeg\s+\d+\.\d+/);
    expect(text).toContain(`schema version ${loadMigrations().length}`);
  });

  it('receives host stats events in the status bar', async () => {
    const page = await studio.browser().newPage();
    await page.goto(studio.url());
    const status = page.getByRole('contentinfo', { name: 'Status' });
    await expect.poll(() => status.innerText(), { timeout: 5000 }).toMatch(/CPU \d+\.\d%.*Memory \d+\.\d MiB/s);
    await expect.poll(() => status.innerText()).toContain('Host: connected');
  });

  it('sends 1 MiB through the binary media channel and gets the same bytes back', async () => {
    const page = await studio.browser().newPage();
    await page.goto(studio.url());
    await page.getByRole('button', { name: 'Test media channel' }).click();
    await expect
      .poll(() => page.getByRole('status', { name: 'Media channel result' }).innerText(), { timeout: 45_000 })
      .toMatch(/^Media channel: 1\.0 MiB round trip intact in \d+ ms$/);
  });
});
