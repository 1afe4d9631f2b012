import { _electron as electron } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/electron-binary.ts';
import { build } from '../../scripts/build-steps.ts';
import { projectRoot, tempDataDir } from './support/processes.ts';

const binary = findElectronBinary();

// Runs wherever Electron's binary exists (developer machines, a CI with network); skipped here.
describe.skipIf(!binary.found)('the Electron studio (needs the Electron binary)', () => {
  const data = tempDataDir();
  afterAll(() => data.remove());

  it('opens a sandboxed window whose page shows app.getInfo() through the preload and passes a media round trip', async () => {
    await build(['renderer', 'electron']);
    const app = await electron.launch({
      executablePath: binary.found ? binary.path : '',
      args: [projectRoot, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, TALLY_DATA_DIR: data.dir },
    });
    try {
      const page = await app.firstWindow();
      await page.getByRole('dialog', { name: 'Welcome to Tally' }).getByRole('button', { name: 'Skip setup' }).click({ timeout: 20_000 });
      await page.getByRole('region', { name: 'Controls' }).getByRole('button', { name: 'Settings' }).click({ timeout: 20_000 });
      await expect.poll(() => page.getByLabel('Host information').innerText(), { timeout: 20_000 }).toContain('Electron');
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      await page.getByRole('button', { name: 'Test media channel' }).click();
      await expect
        .poll(() => page.getByRole('status', { name: 'Media channel result' }).innerText(), { timeout: 15_000 })
        .toMatch(/round trip intact/);
    } finally {
      await app.close();
    }
  });
});
