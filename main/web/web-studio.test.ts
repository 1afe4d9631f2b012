import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { request as tlsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeMediaFrame, decodeMediaFrame, MediaKind } from '../../common/host/media-frame.ts';
import { WEB_CONTROL_PATH, WEB_MEDIA_PATH, type HostMessage } from '../../common/host/web-wire.ts';
import { startHost, type Host } from '../services/host.ts';
import { silentLogger } from '../services/logger.ts';
import { startWebStudio, UnsafeListenerError, type WebStudio } from './web-studio.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-web-'));
const rendererDir = join(scratch, 'renderer');
mkdirSync(rendererDir);
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
writeFileSync(join(scratch, 'secret.txt'), 'outside the renderer');

let host: Host;
let studio: WebStudio;
let origin: string;

beforeAll(async () => {
  host = await startHost({ version: '9.9.9', runtime: 'web', dataDir: join(scratch, 'data'), log: silentLogger, statsIntervalMs: 50 });
  studio = await startWebStudio({ rendererDir, hostServices: host, log: silentLogger, requireToken: false });
  origin = new URL(studio.url).origin;
});
afterAll(async () => {
  await studio.close();
  host.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

function rawGet(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(path: string, headers: Record<string, string> = { origin }): Promise<WebSocket> {
  const ws = new WebSocket(origin.replace('http', 'ws') + path, { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket, predicate: (message: HostMessage) => boolean): Promise<HostMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as HostMessage;
      if (!predicate(message)) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
  });
}

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

describe('the web host over real sockets (token off, as tests run it with --no-token)', () => {
  it('serves the renderer with the studio CSP', async () => {
    const response = await rawGet('/');
    expect(response.status).toBe(200);
    expect(response.body).toContain('<title>studio</title>');
    expect(response.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00', '/..\\secret.txt']) {
      const response = await rawGet(path);
      expect(response.body, path).not.toContain('outside the renderer');
      expect([400, 404], path).toContain(response.status);
    }
  });

  it('refuses a Host header that is not this listener (DNS rebinding)', async () => {
    const response = await rawGet('/', { host: `evil.example:${new URL(origin).port}` });
    expect(response.status).toBe(421);
  });

  it('answers app.getInfo over the control socket', async () => {
    const ws = await openSocket(WEB_CONTROL_PATH);
    ws.send(JSON.stringify({ type: 'call', id: 7, channel: 'tally:app.getInfo', args: [] }));
    const message = await nextMessage(ws, (m) => m.type === 'outcome');
    expect(message).toMatchObject({
      type: 'outcome',
      id: 7,
      outcome: { ok: true, value: { version: '9.9.9', runtime: 'web', dataDir: join(scratch, 'data') } },
    });
    ws.close();
  });

  it('delivers events only after subscribing', async () => {
    const ws = await openSocket(WEB_CONTROL_PATH);
    ws.send(JSON.stringify({ type: 'subscribe', channel: 'tally:app.onDidUpdateStats' }));
    const message = await nextMessage(ws, (m) => m.type === 'event');
    expect(message).toMatchObject({
      type: 'event',
      channel: 'tally:app.onDidUpdateStats',
      payload: { rssBytes: expect.any(Number) as unknown },
    });
    ws.close();
  });

  it('closes a control socket that sends garbage, and keeps serving others', async () => {
    const bad = await openSocket(WEB_CONTROL_PATH);
    const closed = closeOf(bad);
    bad.send('{not json');
    expect(await closed).toEqual({ code: 1007, reason: 'malformed message' });
    const good = await openSocket(WEB_CONTROL_PATH);
    good.send(JSON.stringify({ type: 'call', id: 1, channel: 'tally:app.getInfo', args: [] }));
    expect(await nextMessage(good, (m) => m.type === 'outcome')).toMatchObject({ outcome: { ok: true } });
    good.close();
  });

  it('refuses sockets from another origin or with no origin', async () => {
    await expect(openSocket(WEB_CONTROL_PATH, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(openSocket(WEB_MEDIA_PATH, {})).rejects.toThrow(/403/);
  });

  it('echoes a 1 MiB loopback media frame byte for byte', async () => {
    const ws = await openSocket(WEB_MEDIA_PATH);
    const payload = new Uint8Array(1024 * 1024).map((_, i) => (i * 31) & 0xff);
    const back = new Promise<Buffer>((resolve) => ws.once('message', (data: Buffer) => resolve(data)));
    ws.send(encodeMediaFrame({ kind: MediaKind.loopback, flags: 0, track: 3, timestampUs: 1234, payload: payload.slice().buffer }));
    const frame = decodeMediaFrame(await back);
    expect(frame).toMatchObject({ kind: MediaKind.loopback, track: 3, timestampUs: 1234 });
    expect(Buffer.from(frame.payload).equals(Buffer.from(payload))).toBe(true);
    ws.close();
  });

  it('closes a media socket that sends a malformed frame', async () => {
    const ws = await openSocket(WEB_MEDIA_PATH);
    const closed = closeOf(ws);
    ws.send(Buffer.from([1, 2, 3, 4]));
    expect((await closed).code).toBe(1007);
  });

  it('a half-sent upgrade on an unknown path is answered 404 and closed', async () => {
    const url = new URL(origin);
    const socket = connect(Number(url.port), url.hostname);
    socket.write(
      `GET /nope HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1.1 404/);
  });
});

describe('the web host with its token (the default, on loopback too)', () => {
  let guarded: WebStudio;
  let guardedOrigin: string;
  beforeAll(async () => {
    guarded = await startWebStudio({ rendererDir, hostServices: host, log: silentLogger, token: 'tok-123' });
    guardedOrigin = new URL(guarded.url).origin;
  });
  afterAll(() => guarded.close());

  it('prints a URL that carries the token', () => {
    expect(guarded.requiresToken).toBe(true);
    expect(guarded.url).toMatch(/\?token=tok-123$/);
  });

  it('refuses pages and sockets without the session cookie', async () => {
    const response = await fetch(guardedOrigin + '/');
    expect(response.status).toBe(401);
    const ws = new WebSocket(guardedOrigin.replace('http', 'ws') + WEB_CONTROL_PATH, { headers: { origin: guardedOrigin } });
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(401);
  });

  it('refuses a wrong token', async () => {
    expect((await fetch(guardedOrigin + '/?token=nope', { redirect: 'manual' })).status).toBe(401);
  });

  it('exchanges the right token for an HttpOnly cookie that opens the page and the sockets', async () => {
    const exchange = await fetch(guarded.url, { redirect: 'manual' });
    expect(exchange.status).toBe(303);
    const cookie = exchange.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const sessionCookie = cookie.split(';')[0]!;
    expect((await fetch(guardedOrigin + '/', { headers: { cookie: sessionCookie } })).status).toBe(200);
    const ws = new WebSocket(guardedOrigin.replace('http', 'ws') + WEB_CONTROL_PATH, {
      headers: { origin: guardedOrigin, cookie: sessionCookie },
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.close();
  });
});

describe('where the web host agrees to listen', () => {
  it('generates a token on loopback when none is given, and the printed URL carries it', async () => {
    const local = await startWebStudio({ rendererDir, hostServices: host, log: silentLogger });
    try {
      expect(local.requiresToken).toBe(true);
      expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
      expect((await fetch(new URL(local.url).origin + '/')).status).toBe(401);
    } finally {
      await local.close();
    }
  });

  it('refuses to listen beyond loopback without TLS, and never beyond loopback without a token', async () => {
    // Refused before anything binds, so no address but loopback is ever opened here.
    for (const address of ['0.0.0.0', '::', '192.0.2.10'])
      await expect(startWebStudio({ host: address, rendererDir, hostServices: host, log: silentLogger })).rejects.toThrow(
        /without TLS.*--tls-cert/,
      );
    const tls = { cert: 'unused', key: 'unused' };
    await expect(
      startWebStudio({ host: '0.0.0.0', rendererDir, hostServices: host, log: silentLogger, tls, requireToken: false }),
    ).rejects.toBeInstanceOf(UnsafeListenerError);
  });

  it('serves HTTPS with the token when given a certificate (a self-signed test certificate on 127.0.0.1)', async () => {
    const cert = readFileSync(join(import.meta.dirname, 'testdata', 'loopback-test.crt'));
    const key = readFileSync(join(import.meta.dirname, 'testdata', 'loopback-test.key'));
    const secure = await startWebStudio({ rendererDir, hostServices: host, log: silentLogger, tls: { cert, key }, token: 'tls-tok' });
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/\?token=tls-tok$/);
      const url = new URL(secure.url);
      const answer = await new Promise<{ status: number; cookie: string }>((resolve, reject) => {
        const req = tlsRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, ca: cert }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? '') });
        });
        req.on('error', reject);
        req.end();
      });
      expect(answer.status).toBe(303);
      expect(answer.cookie).toMatch(/HttpOnly; SameSite=Strict; Path=\/; Secure/);
    } finally {
      await secure.close();
    }
  });
});
