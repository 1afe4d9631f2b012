import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveAppRequest } from './app-protocol.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-protocol-'));
const rendererDir = join(scratch, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<title>studio</title>');
writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(scratch, 'secret.txt'), 'secret');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const get = (url: string) => serveAppRequest(rendererDir, { url, method: 'GET' });

describe('the tally:// protocol (fake Electron request objects)', () => {
  it('serves the renderer with its content type and the CSP', async () => {
    const page = await get('tally://app/');
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<title>studio</title>');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const script = await get('tally://app/assets/app.js');
    expect(script.headers.get('content-type')).toMatch(/javascript/);
  });

  it('never serves outside the renderer folder, nor for another host', async () => {
    for (const url of ['tally://app/..%2fsecret.txt', 'tally://app/%2e%2e/secret.txt', 'tally://app/assets/..%2f..%2fsecret.txt']) {
      const response = await get(url);
      expect(await response.text(), url).not.toBe('secret');
    }
    expect((await get('tally://other/index.html')).status).toBe(404);
    expect((await serveAppRequest(rendererDir, { url: 'tally://app/', method: 'POST' })).status).toBe(405);
  });
});
