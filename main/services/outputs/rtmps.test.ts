import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRtmpServerUrl, parseRtmpUrl, RtmpClient, RtmpStatusError } from '../../../net/rtmp/client.ts';
import { silentLogger } from '../../../server/log.ts';
import { fixtureTags, sendTags, startTestOrigin, TEST_KEY, until, type TestOrigin } from '../../../server/testing.ts';
import { DestinationPublisher } from './destination-publisher.ts';
import { encodeTestProgram } from './testing.ts';

/** A certificate authority and a server certificate for 127.0.0.1, made with openssl for this run. */
function makeCertificates(dir: string): { caPem: string; key: string; cert: string } {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=Tally Test Venue CA');
  run('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '1',
    '-extfile',
    'san.ext',
  );
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return { caPem: read('ca.pem'), key: read('server.key'), cert: read('server.pem') };
}

const dir = mkdtempSync(join(tmpdir(), 'tally-rtmps-'));
let origin: TestOrigin;
let tls: TlsServer;
let rtmpsUrl: string;
let selfSigned: TlsServer;
let selfSignedUrl: string;
let caPem: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  origin = await startTestOrigin({ hls: { enabled: false } });
  const certificates = makeCertificates(dir);
  caPem = certificates.caPem;
  const target = parseRtmpUrl(`${origin.urls.rtmp}/x`);
  // A venue's TLS terminator in front of its RTMP origin (what nginx's stream module or stunnel do).
  tls = createTlsServer({ key: certificates.key, cert: certificates.cert }, (secure) => {
    const plain = connect(target.port, target.host);
    for (const socket of [secure as unknown as Socket, plain]) {
      sockets.add(socket);
      socket.on('error', () => {});
    }
    secure.pipe(plain).pipe(secure);
  });
  tls.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  rtmpsUrl = `rtmps://127.0.0.1:${(tls.address() as { port: number }).port}/live`;
  // A server whose certificate is its own authority (the CA's certificate, served as is): self-signed.
  selfSigned = createTlsServer({ key: readFileSync(join(dir, 'ca.key')), cert: certificates.caPem }, (secure) => secure.destroy());
  selfSigned.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => selfSigned.listen(0, '127.0.0.1', resolve));
  selfSignedUrl = `rtmps://127.0.0.1:${(selfSigned.address() as { port: number }).port}/live`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  tls.close();
  selfSigned.close();
  await origin.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('RTMPS (TLS, verification on)', () => {
  it('publishes through a venue certificate authority given as PEM', async () => {
    const client = await RtmpClient.connect(parseRtmpServerUrl(rtmpsUrl), { ca: caPem });
    await client.publish(TEST_KEY);
    await sendTags(client, fixtureTags());
    const viewer = await RtmpClient.connect(`${origin.urls.rtmp}/main`);
    let media = 0;
    viewer.onMedia = () => media++;
    await viewer.play('main');
    await until(() => media > 0, 5000, 'media relayed from the RTMPS publisher');
    viewer.destroy();
    await client.close();
  });

  it('refuses a server whose certificate it cannot verify, saying so', async () => {
    const failure = await RtmpClient.connect(parseRtmpServerUrl(rtmpsUrl)).then(
      () => null,
      (error: Error & { code?: string }) => error,
    );
    expect(failure?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(failure?.message).toMatch(/certificate/);
  });

  it("reports the server's refusal of a key over RTMPS", async () => {
    const client = await RtmpClient.connect(parseRtmpServerUrl(rtmpsUrl), { ca: caPem });
    await expect(client.publish('wrong-key-0123456789abc')).rejects.toThrow(RtmpStatusError);
    client.destroy();
  });

  /** A destination publishing to the venue's rtmps:// server, trusting `ca` or only the system's authorities. */
  const venueDestination = (ca: string | null, serverUrl = rtmpsUrl) =>
    new DestinationPublisher({
      id: 'dst-venue',
      target: { serverUrl, streamKey: TEST_KEY, caPem: ca },
      log: silentLogger,
      adaptive: false,
      videoKbps: 600,
      audioKbps: 128,
      onChange() {},
    });

  /** Starts `destination` and returns its status once it has failed. */
  async function failedStatus(destination: DestinationPublisher) {
    destination.start(encodeTestProgram({ seconds: 1 }).config);
    await until(() => destination.state === 'failed', 10_000, 'failed');
    const status = destination.status();
    await destination.stop();
    return status;
  }

  it('a destination on an rtmps:// server it cannot verify fails with the reason in plain words and does not retry', async () => {
    expect((await failedStatus(venueDestination(null))).reason).toBe(
      "the server's certificate is not trusted (signed by an unknown authority); add the venue's certificate authority to this destination (UNABLE_TO_VERIFY_LEAF_SIGNATURE)",
    );
  });

  it('a self-signed server certificate is named as such', async () => {
    expect((await failedStatus(venueDestination(null, selfSignedUrl))).reason).toBe(
      "the server's certificate is not trusted (self-signed); add the venue's certificate authority to this destination (DEPTH_ZERO_SELF_SIGNED_CERT)",
    );
  });

  it('rtmps:// to a plain RTMP server fails at once with a hint, instead of retrying on "read ECONNRESET"', async () => {
    expect(await failedStatus(venueDestination(null, origin.urls.rtmp.replace(/^rtmp:/, 'rtmps:')))).toMatchObject({
      reason: 'the server closed the connection during the TLS handshake: is it an rtmps:// server? (ECONNRESET)',
      reconnects: 0,
      nextRetryInMs: null,
    });
  });

  it('the same destination with the venue CA goes live', async () => {
    const destination = venueDestination(caPem);
    destination.start(encodeTestProgram({ seconds: 1 }).config);
    await until(() => destination.state === 'live', 10_000, 'live');
    await destination.stop();
  });
});
