import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { connect as connectHttp2 } from 'node:http2';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMediaPlaylist } from '../../server/hls/playlist-rules.ts';
import { ffprobe, publishTestPattern, summary, waitFor, type Publisher } from './support/media.ts';
import { startOriginBin } from './support/origin.ts';
import type { Started } from './support/processes.ts';

const KEY = 'e2e-tls-key-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'tally-tls-'));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A test CA, and a certificate for 127.0.0.1 it signs (`name`.pem, `name`-key.pem). */
function issue(name: string): void {
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-subj', `/CN=${name}`, '-out', `${name}.csr`);
  openssl(
    ...['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '2'],
    ...['-extfile', 'san.cnf', '-out', `${name}.pem`],
  );
}

/** The certificate a TLS client sees at `port`, by its fingerprint, verified against the test CA. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({ host: '127.0.0.1', port, ca: readFileSync(join(dir, 'ca.pem')), servername: 'localhost' }, () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

describe('HTTPS, HTTP/2 and RTMPS, with a certificate from a test CA', () => {
  let origin: Started;
  let publisher: Publisher;
  let https: string;
  let rtmps: string;
  const ca = () => readFileSync(join(dir, 'ca.pem'));

  beforeAll(async () => {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca-key.pem',
      '-subj',
      '/CN=Tally test CA',
      '-days',
      '2',
      '-out',
      'ca.pem',
    );
    execFileSync('sh', ['-c', 'printf "subjectAltName=IP:127.0.0.1,DNS:localhost\\n" > san.cnf'], { cwd: dir });
    issue('first');
    issue('second');
    const data = mkdtempSync(join(tmpdir(), 'tally-tls-data-'));
    origin = await startOriginBin(
      [
        ...['--rtmp-port', '0', '--http-port', '0', '--rtmps-port', '0', '--data-dir', data, '--shutdown-grace-ms', '0'],
        ...['--tls-cert', join(dir, 'first.pem'), '--tls-key', join(dir, 'first-key.pem')],
      ],
      { TALLY_STREAMS: `main:${KEY}` },
    );
    https = origin.match[1]!;
    rtmps = origin.stdoutLines.find((line) => line.startsWith('RTMPS: '))!.slice('RTMPS: '.length);
    expect(https).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    publisher = publishTestPattern(`${rtmps}/${KEY}`, { size: '320x180', gopFrames: 30 });
    await waitFor(async () => (await request(`${https}live/main/index.m3u8`)).status === 200, 30_000, 'HLS from the RTMPS publish');
  });

  afterAll(async () => {
    await publisher?.stop('SIGKILL');
    await origin?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A GET over HTTP/1.1 that trusts the test CA. */
  function request(url: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      httpsGet(url, { ca: ca(), servername: 'localhost' }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      }).on('error', reject);
    });
  }

  it('takes ffmpeg’s publish over rtmps:// and serves it over HTTPS, which ffprobe plays trusting only the test CA', async () => {
    expect(publisher.child.exitCode).toBeNull();
    const probe = await ffprobe(`${https}live/main/index.m3u8`, { extraArgs: ['-ca_file', join(dir, 'ca.pem'), '-tls_verify', '1'] });
    expect(summary(probe)).toEqual({ video: 'h264 320x180', audio: 'aac' });
  });

  it('speaks HTTP/2 to a client that offers it (ALPN h2), and HTTP/1.1 to one that does not', async () => {
    const session = connectHttp2(https, { ca: ca(), servername: 'localhost' });
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const stream = session.request({ ':path': '/live/main/index.m3u8' });
      let status = 0;
      let body = '';
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
      stream.on('end', () => resolve({ status, body }));
      stream.on('error', reject);
    });
    expect(session.alpnProtocol).toBe('h2');
    session.close();
    expect(answer.status).toBe(200);
    expect(parseMediaPlaylist(answer.body).partTargetS).toBeGreaterThan(0);
    expect((await request(`${https}healthz`)).status).toBe(200);
  });

  it('reloads its certificate on SIGHUP for new connections, while the RTMPS publish carries on', async () => {
    const port = Number(new URL(https).port);
    const rtmpsPort = Number(new URL(rtmps.replace('rtmps:', 'https:')).port);
    const before = await servedFingerprint(port);
    const segmentsBefore = parseMediaPlaylist((await request(`${https}live/main/index.m3u8`)).body);
    renameSync(join(dir, 'second.pem'), join(dir, 'first.pem'));
    renameSync(join(dir, 'second-key.pem'), join(dir, 'first-key.pem'));
    origin.child.kill('SIGHUP');
    await waitFor(async () => (await servedFingerprint(port)) !== before, 10_000, 'the new certificate over HTTPS');
    expect(await servedFingerprint(rtmpsPort)).not.toBe(before);
    // The publish that started before the reload is still going: new segments, no discontinuity.
    await waitFor(
      async () => {
        const now = parseMediaPlaylist((await request(`${https}live/main/index.m3u8`)).body);
        return now.segments.at(-1)!.msn >= segmentsBefore.segments.at(-1)!.msn + 2;
      },
      15_000,
      'segments after the reload',
    );
    const after = parseMediaPlaylist((await request(`${https}live/main/index.m3u8`)).body);
    expect(after.segments.filter((segment) => segment.discontinuity)).toEqual([]);
    expect(publisher.child.exitCode).toBeNull();
    expect(origin.stderr()).toContain('certificates reloaded');
  });
});
