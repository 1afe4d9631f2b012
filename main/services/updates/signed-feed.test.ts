import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dump } from 'js-yaml';
import {
  checkFeed,
  generateSigningKeyPair,
  parsePrivateKey,
  parsePublicKey,
  signFeedFile,
  verifyFeedSignature,
  type FeedCheck,
} from './signed-feed.ts';

const keys = generateSigningKeyPair();
const publicKey = parsePublicKey(keys.publicKeyPem);
const privateKey = parsePrivateKey(keys.privateKeyPem);
const installerSha512 = createHash('sha512').update('the installer').digest('base64');

function channelFile(version: string, sha512 = installerSha512): Buffer {
  const url = `Tally-${version}-linux-x86_64.AppImage`;
  return Buffer.from(dump({ version, files: [{ url, sha512, size: 13 }], path: url, sha512, releaseDate: '2026-01-01T00:00:00.000Z' }));
}

function check(bytes: Buffer, overrides: Partial<FeedCheck> = {}) {
  return checkFeed({
    fileName: 'latest-linux.yml',
    bytes,
    signature: signFeedFile(bytes, privateKey),
    publicKey,
    channel: 'latest',
    currentVersion: '1.0.0',
    ...overrides,
  });
}

describe('signed update feeds (ed25519 over the channel file)', () => {
  it('a valid signature of a newer release is accepted and its fields read', () => {
    const verdict = check(channelFile('1.1.0'));
    expect(verdict).toMatchObject({ ok: true, info: { version: '1.1.0', files: [{ sha512: installerSha512 }] } });
  });

  it('a channel file changed after signing is refused (a different version, a different installer sha512)', () => {
    const signed = channelFile('1.1.0');
    const signature = signFeedFile(signed, privateKey);
    const tamperedVersion = Buffer.from(signed.toString().replace('1.1.0', '1.1.1'));
    expect(check(tamperedVersion, { signature })).toMatchObject({ ok: false, reason: 'bad-signature' });
    const otherSha = createHash('sha512').update('malware').digest('base64');
    const tamperedSha = Buffer.from(signed.toString().replaceAll(installerSha512, otherSha));
    const verdict = check(tamperedSha, { signature });
    expect(verdict).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(!verdict.ok && verdict.message).toMatch(/changed after it was signed, or signed with another key/);
  });

  it('a signature made with another key is refused, and so is a missing or garbled one', () => {
    const bytes = channelFile('1.1.0');
    const stranger = parsePrivateKey(generateSigningKeyPair().privateKeyPem);
    expect(check(bytes, { signature: signFeedFile(bytes, stranger) })).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(check(bytes, { signature: null })).toMatchObject({ ok: false, reason: 'no-signature' });
    expect(check(bytes, { signature: 'not base64 at all' })).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(verifyFeedSignature(bytes, '', publicKey)).toBe(false);
  });

  it('the stable channel refuses a downgrade and a pre-release, with a clear message; beta may go back', () => {
    const older = check(channelFile('0.9.0'));
    expect(older).toMatchObject({ ok: false, reason: 'downgrade' });
    expect(!older.ok && older.message).toBe(
      'Update refused: the stable channel offers 0.9.0, older than the installed 1.0.0. The stable channel never downgrades; 1.0.0 stays installed until a newer release.',
    );
    expect(check(channelFile('1.1.0-beta.1'))).toMatchObject({ ok: false, reason: 'prerelease-on-stable' });
    expect(check(channelFile('1.0.0-beta.3'), { channel: 'beta', currentVersion: '1.0.0-beta.4' })).toMatchObject({ ok: true });
  });

  it('a signed but malformed file is still refused (no version, no files, a short sha512)', () => {
    for (const body of [
      { files: [] },
      { version: '1.1.0', files: [] },
      { version: '1.1.0', files: [{ url: 'x', sha512: 'c2hvcnQ=' }] },
      'just text',
    ])
      expect(check(Buffer.from(dump(body)))).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('only ed25519 keys are accepted', () => {
    expect(() => parsePublicKey('-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n')).toThrow();
  });
});
