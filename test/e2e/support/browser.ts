/**
 * Launches Debian's Chromium through playwright-core with fake camera, microphone and
 * screen, and without the background traffic this machine's closed network refuses.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.TALLY_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}; install it (apt-get install -y chromium) or set TALLY_CHROMIUM`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Running as root (CI) needs --no-sandbox; the studio's own sandbox is Electron's, not this test browser's.
    args: [...CHROMIUM_ARGS, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ...extraArgs],
  });
}
