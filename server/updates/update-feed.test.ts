import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestOrigin, type TestOrigin } from '../testing.ts';
import { parseRanges } from './update-feed.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-feed-'));
const feed = join(scratch, 'feed');
const installer = Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 7) & 0xff));
mkdirSync(join(feed, 'beta'), { recursive: true });
mkdirSync(join(feed, 'latest'), { recursive: true });
writeFileSync(join(feed, 'beta', 'beta-linux.yml'), 'version: 1.2.0-beta.1\n');
writeFileSync(join(feed, 'beta', 'beta-linux.yml.sig'), 'c2ln\n');
writeFileSync(join(feed, 'beta', 'Tally-1.2.0-beta.1-linux-x86_64.AppImage'), installer);
writeFileSync(join(feed, 'beta', 'Tally-1.2.0-beta.1-win-x64.exe.blockmap'), 'blockmap');
writeFileSync(join(feed, 'beta', '.hidden'), 'hidden');
writeFileSync(join(scratch, 'secret.txt'), 'outside the feed');
symlinkSync(join(scratch, 'secret.txt'), join(feed, 'beta', 'escape.yml'));

let origin: TestOrigin;
let withoutFeed: TestOrigin;
beforeAll(async () => {
  origin = await startTestOrigin({ updatesDir: feed });
  withoutFeed = await startTestOrigin();
});
afterAll(async () => {
  await origin.close();
  await withoutFeed.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A raw GET that sends the path exactly as written (fetch would normalise `..`). */
function get(base: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const url = new URL(base);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the origin hosts an update feed at /updates/<channel>/ (real HTTP)', () => {
  it('serves channel files, signatures, installers and blockmaps with their content types', async () => {
    const yml = await get(origin.urls.http, '/updates/beta/beta-linux.yml');
    expect(yml.status).toBe(200);
    expect(yml.body.toString()).toBe('version: 1.2.0-beta.1\n');
    expect(yml.headers['content-type']).toBe('text/yaml; charset=utf-8');
    expect(yml.headers['cache-control']).toBe('no-cache');
    expect((await get(origin.urls.http, '/updates/beta/beta-linux.yml.sig')).headers['content-type']).toBe('text/plain; charset=utf-8');
    const appImage = await get(origin.urls.http, '/updates/beta/Tally-1.2.0-beta.1-linux-x86_64.AppImage');
    expect(appImage.headers['content-type']).toBe('application/vnd.appimage');
    expect(appImage.body.equals(installer)).toBe(true);
    expect(appImage.headers['accept-ranges']).toBe('bytes');
    const blockmap = await get(origin.urls.http, '/updates/beta/Tally-1.2.0-beta.1-win-x64.exe.blockmap');
    expect(blockmap.headers['content-type']).toBe('application/octet-stream');
    const head = await get(origin.urls.http, '/updates/beta/beta-linux.yml', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('22');
    expect(head.body.length).toBe(0);
  });

  it('refuses path tricks, hidden files, symlinks out, unknown channels and nested paths', async () => {
    for (const path of [
      '/updates/beta/../../secret.txt',
      '/updates/beta/..%2f..%2fsecret.txt',
      '/updates/beta/%2e%2e/secret.txt',
      '/updates/beta/.hidden',
      '/updates/beta/escape.yml',
      '/updates/stable/beta-linux.yml',
      '/updates/beta/sub/beta-linux.yml',
      '/updates/beta/',
      '/updates/beta/beta-linux.yml%00',
      '/updates/beta/missing.yml',
    ]) {
      const answer = await get(origin.urls.http, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body.toString(), path).not.toMatch(/outside the feed|hidden/);
    }
  });

  it('answers one byte range with 206, several with multipart/byteranges, and a range past the end with 416', async () => {
    const path = '/updates/beta/Tally-1.2.0-beta.1-linux-x86_64.AppImage';
    const one = await get(origin.urls.http, path, { range: 'bytes=100-199' });
    expect(one.status).toBe(206);
    expect(one.headers['content-range']).toBe(`bytes 100-199/${installer.length}`);
    expect(one.body.equals(installer.subarray(100, 200))).toBe(true);

    const several = await get(origin.urls.http, path, { range: 'bytes=0-9, 5000-5099, -10' });
    expect(several.status).toBe(206);
    const boundary = /boundary=(\S+)/.exec(String(several.headers['content-type']))![1]!;
    expect(several.headers['content-length']).toBe(String(several.body.length));
    const parts = several.body
      .toString('latin1')
      .split(`--${boundary}`)
      .slice(1, -1)
      .map((part) => {
        const [head, body] = part.split('\r\n\r\n') as [string, string];
        return { range: /content-range: (.+)/.exec(head)![1]!, body: Buffer.from(body.slice(0, -2), 'latin1') };
      });
    expect(parts.map((part) => part.range)).toEqual([
      `bytes 0-9/${installer.length}`,
      `bytes 5000-5099/${installer.length}`,
      `bytes ${installer.length - 10}-${installer.length - 1}/${installer.length}`,
    ]);
    expect(parts[1]!.body.equals(installer.subarray(5000, 5100))).toBe(true);
    expect(parts[2]!.body.equals(installer.subarray(-10))).toBe(true);

    const past = await get(origin.urls.http, path, { range: `bytes=${installer.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${installer.length}`);
  });

  it('an origin started without a feed folder has no /updates/', async () => {
    expect((await get(withoutFeed.urls.http, '/updates/beta/beta-linux.yml')).status).toBe(404);
  });
});

describe('Range header parsing (RFC 9110 §14.1.2)', () => {
  it('reads first-last, open-ended and suffix ranges; ignores what it cannot read', () => {
    expect(parseRanges('bytes=0-0', 10)).toEqual([[0, 0]]);
    expect(parseRanges('bytes=5-', 10)).toEqual([[5, 9]]);
    expect(parseRanges('bytes=-3', 10)).toEqual([[7, 9]]);
    expect(parseRanges('bytes=8-100', 10)).toEqual([[8, 9]]);
    expect(parseRanges('bytes=20-30', 10)).toBe('unsatisfiable');
    expect(parseRanges('bytes=5-2', 10)).toBeNull();
    expect(parseRanges('items=0-1', 10)).toBeNull();
    expect(parseRanges(undefined, 10)).toBeNull();
  });
});
