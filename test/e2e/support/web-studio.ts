/** For a test file: the real web studio process (`npm run studio:web`) and a Chromium to open it in. */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchChromium } from './browser.ts';
import { startNode, tempDataDir, type Started } from './processes.ts';

export interface WebStudioUnderTest {
  /** The URL the studio printed on its `Studio:` line. */
  url(): string;
  browser(): Browser;
  /** The studio's data directory (fresh per file, removed after it). */
  readonly dataDir: string;
}

/**
 * Starts the web studio on a free loopback port before the file's tests, and stops it after.
 * Pages a test opens are closed when it ends, so the next test's page does not share Chromium's
 * two cores with engines left running by earlier ones.
 */
export function useWebStudio(chromiumArgs: string[] = []): WebStudioUnderTest {
  const data = tempDataDir();
  let studio: Started | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    studio = await startNode(
      ['scripts/studio-web.ts', '--host', '127.0.0.1', '--port', '0', '--data-dir', data.dir],
      /^Studio: (http:\/\/\S+)$/,
    );
    browser = await launchChromium(chromiumArgs);
  });
  let openBefore = new Set<BrowserContext>();
  beforeEach(() => {
    openBefore = new Set(browser?.contexts());
  });
  afterEach(async () => {
    for (const context of browser?.contexts() ?? []) if (!openBefore.has(context)) await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await studio?.stop();
    data.remove();
  });
  return {
    dataDir: data.dir,
    url() {
      if (!studio) throw new Error('the web studio has not started');
      return studio.match[1]!;
    },
    browser() {
      if (!browser) throw new Error('Chromium has not started');
      return browser;
    },
  };
}
