import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import { ENGINE_CHROMIUM_ARGS } from './support/engine-harness.ts';
import { startNode, tempDataDir } from './support/processes.ts';
import { seedSettings } from './support/studio-ui.ts';

describe('npm start on a machine without Electronʼs binary', () => {
  const data = tempDataDir();
  // An empty dist folder stands in for a missing binary, even where one is installed.
  const emptyElectronDist = mkdtempSync(join(tmpdir(), 'tally-no-electron-'));
  afterAll(() => {
    data.remove();
    rmSync(emptyElectronDist, { recursive: true, force: true });
  });

  it('says why in one line, then prints the studio URL within 15 s, and the page loads', async () => {
    const started = await startNode(['scripts/start.ts', '--port', '0', '--data-dir', data.dir], /^Studio: (http:\/\/\S+)$/, {
      env: { ELECTRON_OVERRIDE_DIST_PATH: emptyElectronDist },
      timeoutMs: 15_000,
    });
    try {
      expect(started.stdoutLines).toHaveLength(2);
      expect(started.stdoutLines[0]).toBe(
        `Electron's binary is not installed (npx install-electron fetches it); starting the web studio instead.`,
      );
      // A small output keeps the engine quick on SwiftShader once the wizard is skipped.
      seedSettings(data.dir, { video: { output: { width: 320, height: 180, fps: 15 } } });
      const browser = await launchChromium(ENGINE_CHROMIUM_ARGS);
      try {
        const page = await browser.newPage();
        await page.goto(started.match[1]!);
        await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Tally Studio');
        await page.getByRole('dialog', { name: 'Welcome to Tally' }).getByRole('button', { name: 'Skip setup' }).click();
        await page.getByRole('region', { name: 'Controls' }).getByRole('button', { name: 'Settings' }).click();
        await expect.poll(() => page.getByLabel('Host information').innerText(), { timeout: 20_000 }).toContain(data.dir);
      } finally {
        await browser.close();
      }
    } finally {
      await started.stop();
    }
  });
});
