import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../main/services/store.ts';
import { WEB_TOKEN_FILE } from '../../main/web/cli.ts';
import { ENGINE_CHROMIUM_ARGS } from './support/engine-harness.ts';
import { startNode, tempDataDir, type Started } from './support/processes.ts';
import { openMainWindow, seedSmallStudio } from './support/studio-ui.ts';
import { useWebStudio } from './support/web-studio.ts';

describe('the web studio in Chromium', () => {
  const studio = useWebStudio(ENGINE_CHROMIUM_ARGS);
  beforeAll(() => seedSmallStudio(studio.dataDir));

  async function openGeneralSettings() {
    const page = await studio.browser().newPage();
    await openMainWindow(page, studio.url());
    await page.getByRole('region', { name: 'Controls' }).getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    expect(await settings.getByRole('tab', { name: 'General' }).getAttribute('aria-selected')).toBe('true');
    return { page, settings };
  }

  it('shows the host information that app.getInfo() returns', async () => {
    const { page, settings } = await openGeneralSettings();
    const facts = settings.getByRole('definition');
    await expect.poll(() => facts.count()).toBeGreaterThan(5);
    const text = await settings.getByLabel('Host information').innerText();
    expect(text).toContain('Tally 0.1.0');
    expect(text).toContain('Web studio');
    expect(text).toContain(studio.dataDir);
    expect(text).toMatch(/ffmpeg\s+\d+\.\d+/);
    expect(text).toContain(`schema version ${loadMigrations().length}`);
    await page.close();
  });

  it('receives host stats events in the status bar', async () => {
    const page = await studio.browser().newPage();
    await openMainWindow(page, studio.url());
    const status = page.getByRole('contentinfo', { name: 'Status' });
    await expect.poll(() => status.innerText(), { timeout: 5000 }).toMatch(/CPU \d+\.\d%.*Memory \d+\.\d MiB/s);
    await expect.poll(() => status.innerText()).toContain('Host: connected');
    await page.close();
  });

  it("serves React's production build, also when the renderer was rebuilt from a test run (NODE_ENV=test)", async () => {
    // The web host rebuilds a stale renderer under the environment it was started with, here vitest's.
    const page = await studio.browser().newPage();
    await page.goto(studio.url());
    const scripts = await page.evaluate(() =>
      Promise.all([...document.scripts].filter((script) => script.src).map(async (script) => (await fetch(script.src)).text())),
    );
    await page.close();
    expect(scripts.length).toBeGreaterThan(0);
    // Only React's development build prints this, and only it runs StrictMode's effects twice.
    expect(scripts.filter((code) => code.includes('Download the React DevTools')).length, 'scripts with React development builds').toBe(0);
  });

  it('sends 1 MiB through the binary media channel and gets the same bytes back', async () => {
    const { page, settings } = await openGeneralSettings();
    await settings.getByRole('button', { name: 'Test media channel' }).click();
    await expect
      .poll(() => settings.getByRole('status', { name: 'Media channel result' }).innerText(), { timeout: 45_000 })
      .toMatch(/^Media channel: 1\.0 MiB round trip intact in \d+ ms$/);
    await page.close();
  });

  it('with its access token (the default), a page opened before a restart reconnects after it', async () => {
    const data = tempDataDir();
    const start = (port: number) =>
      startNode(
        ['scripts/studio-web.ts', '--host', '127.0.0.1', '--port', String(port), '--data-dir', data.dir],
        /^Studio: (http:\/\/\S+)$/,
        {
          timeoutMs: 60_000,
        },
      );
    let host: Started | null = null;
    try {
      host = await start(0);
      seedSmallStudio(data.dir);
      const url = host.match[1]!;
      expect(url).toMatch(/\/\?token=[\w-]{32}$/);
      expect(statSync(join(data.dir, WEB_TOKEN_FILE)).mode & 0o777).toBe(0o600);
      const page = await studio.browser().newPage();
      await openMainWindow(page, url);
      const status = page.getByRole('contentinfo', { name: 'Status' });
      await expect.poll(() => status.innerText()).toContain('Host: connected');

      await host.stop();
      await expect.poll(() => status.innerText()).not.toContain('Host: connected');
      host = await start(Number(new URL(url).port));
      // The same token: the page's cookie still opens the sockets.
      expect(host.match[1]).toBe(url);
      await expect.poll(() => status.innerText(), { timeout: 30_000 }).toContain('Host: connected');
      expect(host.stderr()).not.toContain('Unauthorized');
      await page.close();
    } finally {
      await host?.stop();
      data.remove();
    }
  });
});
