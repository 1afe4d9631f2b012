import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryItem } from '../../../common/host/library-contract.ts';
import { makeImage, makeVideo, probe } from './testing-media.ts';
import { startWebStudio, type WebStudio } from '../../web/web-studio.ts';
import { startHost, type Host } from '../host.ts';
import { silentLogger } from '../logger.ts';
import { libraryFetchResponse, parseRange, safeUploadName } from './http.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-library-http-'));
const rendererDir = join(scratch, 'renderer');
mkdirSync(rendererDir);
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');

let host: Host;
let studio: WebStudio;
let guarded: WebStudio;
let origin: string;
let video: LibraryItem;
let image: LibraryItem;

beforeAll(async () => {
  host = await startHost({ version: '9.9.9', runtime: 'web', dataDir: join(scratch, 'data'), log: silentLogger, statsIntervalMs: 60_000 });
  studio = await startWebStudio({ rendererDir, hostServices: host, log: silentLogger, requireToken: false });
  guarded = await startWebStudio({ rendererDir, hostServices: host, log: silentLogger, requireToken: true, token: 'sekret' });
  origin = new URL(studio.url).origin;
  video = await host.library.addMade({ path: await makeVideo(join(scratch, 'media', 'clip.mp4'), { seconds: 1 }), kind: 'recording' });
  image = (await host.library.addMade({ path: await makeImage(join(scratch, 'media', 'still.png')), kind: 'screenshot' }))!;
});
afterAll(async () => {
  await studio.close();
  await guarded.close();
  host.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer; base?: string } = {},
): Promise<Answer> {
  const url = new URL(options.base ?? origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('library files over the web host', () => {
  it('serves an item by id, whole or by byte range, as a player and a media source ask for it', async () => {
    const bytes = readFileSync(video.path);
    const whole = await send(video.mediaUrl);
    expect(whole.status).toBe(200);
    expect(whole.headers).toMatchObject({ 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'content-length': String(bytes.length) });
    expect(whole.headers['content-security-policy']).toBeDefined();
    expect(whole.body.equals(bytes)).toBe(true);

    const head = await send(video.mediaUrl, { method: 'HEAD' });
    expect(head).toMatchObject({ status: 200, body: Buffer.alloc(0) });

    const first = await send(video.mediaUrl, { headers: { range: 'bytes=0-99' } });
    expect(first.status).toBe(206);
    expect(first.headers['content-range']).toBe(`bytes 0-99/${bytes.length}`);
    expect(first.body.equals(bytes.subarray(0, 100))).toBe(true);
    const tail = await send(video.mediaUrl, { headers: { range: 'bytes=-10' } });
    expect(tail.body.equals(bytes.subarray(bytes.length - 10))).toBe(true);
    const rest = await send(video.mediaUrl, { headers: { range: `bytes=${bytes.length - 5}-` } });
    expect(rest.body.equals(bytes.subarray(bytes.length - 5))).toBe(true);
    const past = await send(video.mediaUrl, { headers: { range: `bytes=${bytes.length}-` } });
    expect(past).toMatchObject({ status: 416, headers: { 'content-range': `bytes */${bytes.length}` } });
  });

  it('serves posters and hover strips as JPEG', async () => {
    const poster = await send(video.posterUrl!);
    expect(poster.status).toBe(200);
    expect(poster.headers['content-type']).toBe('image/jpeg');
    const file = join(scratch, 'poster.jpg');
    writeFileSync(file, poster.body);
    expect((await probe(file)).streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 160 });
    expect((await send(video.spriteUrl!)).status).toBe(200);
    expect((await send(`/library/sprite/${image.id}`)).status).toBe(404);
  });

  it('serves only library items by numeric id: path tricks, unknown ids and trashed items get nothing', async () => {
    for (const path of [
      '/library/media/../../../etc/passwd',
      '/library/media/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      `/library/media/${video.id}/../../data/tally.db`,
      '/library/media/1abc',
      '/library/media/0',
      '/library/media/-1',
      '/library/media/99999',
      `/library/media/${video.id}%00`,
      '/library/thumbnails/x.jpg',
      '/library/',
    ]) {
      const answer = await send(path);
      // A path that normalises out of /library/ is the page's own route: the app's index.html, nothing else.
      if (answer.status === 200) expect(answer.body.toString(), path).toBe('<!doctype html><title>studio</title>');
      else expect([400, 404], path).toContain(answer.status);
    }
    expect((await send(video.mediaUrl, { method: 'POST' })).status).toBe(405);
    await host.library.service.delete([image.id]);
    expect((await send(image.mediaUrl)).status).toBe(404);
    await host.library.service.restore([image.id]);
    expect((await send(image.mediaUrl)).status).toBe(200);
  });

  it('answers 410 for a file gone from disk, and the item shows missing', async () => {
    const gone = await host.library.addMade({
      path: await makeImage(join(scratch, 'media', 'gone.png'), '16x16', 'white'),
      kind: 'screenshot',
    });
    rmSync(gone.path);
    expect((await send(gone.mediaUrl)).status).toBe(410);
    expect((await host.library.service.get(gone.id))?.status).toBe('missing');
  });

  it('takes uploads from the studio page only, into the uploads folder, with safe names', async () => {
    const payload = readFileSync(video.path);
    const upload = (query: string, headers: Record<string, string> = { origin }) =>
      send(`/library/upload?${query}`, { method: 'POST', headers, body: payload });
    const stored = await upload(`name=${encodeURIComponent('../../evil clip.mp4')}`);
    expect(stored.status).toBe(201);
    const { path } = JSON.parse(stored.body.toString()) as { path: string };
    expect(path).toBe(join(host.library.uploadsDir, 'evil clip.mp4'));
    expect(readFileSync(path).equals(payload)).toBe(true);
    const nested = JSON.parse((await upload('name=a.mp4&folder=Trip%2FDay%201')).body.toString()) as { path: string };
    expect(nested.path).toBe(join(host.library.uploadsDir, 'Trip', 'Day 1', 'a.mp4'));
    expect((await upload('name=a.mp4&folder=..%2F..%2Fescape')).status).toBe(400);
    expect((await upload('name=notes.txt')).status).toBe(415);
    expect((await upload('name=x.mp4', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await upload('name=x.mp4', {})).status).toBe(403);
    expect((await send('/library/upload?name=x.mp4')).status).toBe(405);
  });

  it('needs the session where the studio needs a token', async () => {
    const base = new URL(guarded.url).origin;
    expect((await send(video.mediaUrl, { base })).status).toBe(401);
    expect((await send(video.mediaUrl, { base, headers: { cookie: 'tally_studio=sekret' } })).status).toBe(200);
    expect((await send('/library/upload?name=x.mp4', { base, method: 'POST', headers: { origin: base } })).status).toBe(401);
  });
});

describe('library files for Electron (the fetch adapter of protocol.handle)', () => {
  it('answers a Request with a Response, ranges included', async () => {
    const bytes = readFileSync(video.path);
    const ranged = await libraryFetchResponse(
      host.library,
      new Request(`tally://app${video.mediaUrl}`, { headers: { range: 'bytes=10-19' } }),
    );
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(10, 20))).toBe(true);
    expect((await libraryFetchResponse(host.library, new Request('tally://app/library/media/1x'))).status).toBe(404);
    expect((await libraryFetchResponse(host.library, new Request(`tally://app${video.mediaUrl}`, { method: 'POST' }))).status).toBe(405);
  });
});

describe('ranges and names', () => {
  it('parses byte ranges within the file, whatever the header says', () => {
    expect(parseRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=0-1,4-5', 10)).toBeNull();
    expect(parseRange('items=0-1', 10)).toBeNull();
    expect(parseRange('bytes=-0', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.nat(1_000_000), (header, size) => {
        const range = parseRange(header, size);
        if (range && range !== 'unsatisfiable') {
          expect(range.start).toBeGreaterThanOrEqual(0);
          expect(range.end).toBeLessThan(size);
          expect(range.start).toBeLessThanOrEqual(range.end);
        }
      }),
    );
  });

  it('keeps only a plain media file name from what a browser sends', () => {
    expect(safeUploadName('C:\\Users\\me\\Videos\\show.mp4')).toBe('show.mp4');
    expect(safeUploadName('../../.bashrc')).toBeNull();
    expect(safeUploadName('.hidden.mp4')).toBeNull();
    expect(safeUploadName('evil\u0000.mp4')).toBe('evil.mp4');
    expect(safeUploadName('script.sh')).toBeNull();
  });
});
