/**
 * Signed update feeds. electron-updater trusts its `latest*.yml` as served: it checks the
 * download's sha512 against that file, and Authenticode only on Windows (electron-builder
 * docs, "Auto Update"; electron-updater's AppImage and deb updaters verify the sha512
 * alone). Whoever can change the yml on the server can therefore ship anything. Tally's
 * release script signs each channel file with ed25519 (RFC 8032) over its exact bytes, and
 * the app verifies that signature with the public key shipped in `resources/` before it
 * reads a single field, on every OS. The signature is a detached file next to the yml:
 * `beta-linux.yml` and `beta-linux.yml.sig` (base64, one line).
 *
 * After the signature, the feed must be well-formed (a version, and a sha512 of 64 bytes
 * for every file) and must not take a stable install backwards.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { load } from 'js-yaml';
import { lt, prerelease, valid } from 'semver';
import type { UpdateChannel } from '../../../common/host/contract.ts';

/** The suffix of the detached signature of a channel file. */
export const SIGNATURE_SUFFIX = '.sig';

/** The file in `resources/` (and the packaged app's resources folder) that holds the public key. */
export const PUBLIC_KEY_FILE = 'update-signing-key.pem';

/** An ed25519 public key from its PEM (SPKI) text; throws a clear error on anything else. */
export function parsePublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the update-signing public key is ${key.asymmetricKeyType}, not ed25519`);
  return key;
}

/** An ed25519 private key from its PEM (PKCS #8) text, as the release job keeps it in `TALLY_UPDATE_SIGNING_KEY`. */
export function parsePrivateKey(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`TALLY_UPDATE_SIGNING_KEY is a ${key.asymmetricKeyType} key, not ed25519`);
  return key;
}

/** A fresh signing key pair as PEM texts (public SPKI, private PKCS #8). */
export function generateSigningKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** The detached signature of a channel file's bytes: base64 of the 64-byte ed25519 signature, one line. */
export function signFeedFile(bytes: Uint8Array, privateKey: KeyObject): string {
  return `${sign(null, bytes, privateKey).toString('base64')}\n`;
}

/** Whether `signatureText` is a valid signature of `bytes` under `publicKey`. Never throws on bad input. */
export function verifyFeedSignature(bytes: Uint8Array, signatureText: string, publicKey: KeyObject): boolean {
  const signature = Buffer.from(signatureText.trim(), 'base64');
  if (signature.length !== 64) return false;
  try {
    return verify(null, bytes, publicKey, signature);
  } catch {
    return false;
  }
}

/** The fields of electron-updater's UpdateInfo that Tally checks. */
export interface FeedInfo {
  version: string;
  files: Array<{ url: string; sha512: string; size?: number }>;
  stagingPercentage?: number;
  [field: string]: unknown;
}

export type FeedVerdict =
  | { ok: true; info: FeedInfo }
  | { ok: false; reason: 'no-signature' | 'bad-signature' | 'malformed' | 'downgrade' | 'prerelease-on-stable'; message: string };

export interface FeedCheck {
  /** The channel file's name, e.g. `beta-linux.yml` (for messages). */
  fileName: string;
  /** Its bytes as served. */
  bytes: Uint8Array;
  /** The `.sig` file's text, or null when the server had none. */
  signature: string | null;
  publicKey: KeyObject;
  channel: UpdateChannel;
  /** The installed version (semver). */
  currentVersion: string;
}

/** Decides whether a served channel file may be used at all. The first failed check wins. */
export function checkFeed(check: FeedCheck): FeedVerdict {
  const { fileName } = check;
  if (check.signature === null)
    return { ok: false, reason: 'no-signature', message: `Update refused: ${fileName} has no signature (${fileName}${SIGNATURE_SUFFIX}).` };
  if (!verifyFeedSignature(check.bytes, check.signature, check.publicKey))
    return {
      ok: false,
      reason: 'bad-signature',
      message: `Update refused: the signature of ${fileName} does not match Tally's update key. The file was changed after it was signed, or signed with another key.`,
    };
  let info: unknown;
  try {
    info = load(Buffer.from(check.bytes).toString('utf8'));
  } catch (error) {
    return { ok: false, reason: 'malformed', message: `Update refused: ${fileName} is not valid YAML (${(error as Error).message}).` };
  }
  const problem = malformation(info);
  if (problem) return { ok: false, reason: 'malformed', message: `Update refused: ${fileName} ${problem}.` };
  const feed = info as FeedInfo;
  if (check.channel === 'latest' && prerelease(feed.version))
    return {
      ok: false,
      reason: 'prerelease-on-stable',
      message: `Update refused: the stable channel offers ${feed.version}, a pre-release. Stable installs take releases only.`,
    };
  if (check.channel === 'latest' && valid(check.currentVersion) && lt(feed.version, check.currentVersion))
    return {
      ok: false,
      reason: 'downgrade',
      message: `Update refused: the stable channel offers ${feed.version}, older than the installed ${check.currentVersion}. The stable channel never downgrades; ${check.currentVersion} stays installed until a newer release.`,
    };
  return { ok: true, info: feed };
}

function malformation(info: unknown): string | null {
  if (typeof info !== 'object' || info === null) return 'is not a mapping';
  const { version, files } = info as Record<string, unknown>;
  if (typeof version !== 'string' || !valid(version)) return 'has no valid semver version';
  if (!Array.isArray(files) || files.length === 0) return 'lists no files';
  for (const file of files as unknown[]) {
    const { url, sha512 } = (file ?? {}) as Record<string, unknown>;
    if (typeof url !== 'string' || url.length === 0) return 'lists a file without a url';
    if (typeof sha512 !== 'string' || Buffer.from(sha512, 'base64').length !== 64) return `lists ${url} without a sha512 of 64 bytes`;
  }
  return null;
}
