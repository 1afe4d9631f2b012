/**
 * Serves the engine to Chromium without the UI: a Vite dev server rooted at the project
 * serves `test/e2e/harness/engine.html`, which imports `renderer/engine` straight from
 * source. No build step, and a failing test points at the engine's own lines.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';
import { launchChromium } from './browser.ts';
import { projectRoot } from './processes.ts';

/**
 * Chromium flags for the engine: WebGL2 on SwiftShader where there is no GPU (newer
 * Chromium refuses the software fallback without the opt-in), and autoplay of sound.
 */
export const ENGINE_CHROMIUM_ARGS = [
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--autoplay-policy=no-user-gesture-required',
];

/** A running harness: the Vite server, Chromium, and a way to open harness pages. */
export interface EngineHarness {
  server: ViteDevServer;
  browser: Browser;
  url: string;
  /** A fresh page with the harness loaded (`window.tallyHarness`). */
  openPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Starts the Vite server and Chromium for the engine tests and benchmark. */
export async function startEngineHarness(): Promise<EngineHarness> {
  const server = await createServer({
    root: projectRoot,
    configFile: false,
    logLevel: 'error',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    // Pre-bundle the few dependencies up front, so no mid-test reload happens when they are discovered.
    optimizeDeps: { entries: ['test/e2e/harness/engine-harness.ts'], include: ['zod', 'mediabunny'] },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the Vite server has no address');
  const url = `http://127.0.0.1:${address.port}/test/e2e/harness/engine.html`;
  const browser = await launchChromium(ENGINE_CHROMIUM_ARGS);
  return {
    server,
    browser,
    url,
    async openPage() {
      const page = await browser.newPage();
      page.on('pageerror', (error) => console.error('page error:', error));
      await page.goto(url);
      // A string: this module is also compiled for Node (bench/), without DOM types.
      await page.waitForFunction("document.title === 'ready'", null, { timeout: 30_000 });
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * For a test file: starts the harness before its tests and closes it after; `page()` is one
 * page with the harness loaded, shared by the file's tests (each makes and disposes its own engine).
 */
export function useEnginePage(): { page(): Page } {
  let harness: EngineHarness | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    harness = await startEngineHarness();
    page = await harness.openPage();
  });
  afterAll(async () => harness?.close());
  return {
    page() {
      if (!page) throw new Error('the engine harness has not started');
      return page;
    },
  };
}
