import { startNode, tempDataDir } from '../test/e2e/support/processes.ts';
import { launchChromium } from '../test/e2e/support/browser.ts';
import { ENGINE_CHROMIUM_ARGS } from '../test/e2e/support/engine-harness.ts';
const data = tempDataDir();
const studio = await startNode(['scripts/studio-web.ts', '--host', '127.0.0.1', '--port', '0', '--data-dir', data.dir], /^Studio: (http:\/\/\S+)$/);
const browser = await launchChromium(ENGINE_CHROMIUM_ARGS);
const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
await page.goto(studio.match[1]!);
await page.getByRole('group', { name: 'Scenes' }).waitFor({ timeout: 30000 });
await new Promise((r) => setTimeout(r, 3000));
for (let i = 0; i < 3; i++) {
  const t0 = Date.now();
  const px = await page.getByRole('region', { name: 'Program' }).locator('canvas').evaluate((canvas: HTMLCanvasElement, [fx, fy]) => {
    const probe = document.createElement('canvas');
    probe.width = canvas.width; probe.height = canvas.height;
    const ctx = probe.getContext('2d')!;
    ctx.drawImage(canvas, 0, 0);
    return [...ctx.getImageData(Math.floor(fx * canvas.width), Math.floor(fy * canvas.height), 1, 1).data];
  }, [0.5, 0.5]);
  console.log(px, Date.now() - t0, 'ms');
}
await browser.close(); await studio.stop(); data.remove();
