/**
 * Stream keys at rest. The host stores every key through a `SecretCipher`: in Electron the
 * operating system's keychain (`safeStorage`, see `main/electron/safe-storage-cipher.ts`); in
 * the web host AES-256-GCM under a random key kept in a file of mode 0600 in the data
 * directory. Stored values are tagged with the cipher that wrote them, so a database moved to
 * another runtime fails loudly instead of decrypting to garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readOrCreatePrivateFile } from '../private-file.ts';

/** Encrypts and decrypts short secrets (stream keys, tokens). */
export interface SecretCipher {
  /** A short tag naming the scheme, stored with each value (`aes-gcm-file`, `safe-storage`). */
  readonly scheme: string;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
  /** Other schemes this one can still read (Electron reads keys the web host sealed in the same data directory). */
  readonly alternates?: readonly SecretCipher[];
}

/** A stored secret could not be read back (another machine's keychain, a replaced key file). */
export class SecretUnreadableError extends Error {
  override readonly name = 'SecretUnreadableError';
}

const KEY_FILE = 'secrets.key';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Reads the data directory's key file, or creates it (32 random bytes, mode 0600). */
function loadOrCreateKey(dataDir: string): Buffer {
  const path = join(dataDir, KEY_FILE);
  return readOrCreatePrivateFile(
    path,
    () => randomBytes(32),
    (key) => {
      if (key.length !== 32) throw new SecretUnreadableError(`${path} is not a 32-byte key; stored stream keys cannot be read`);
    },
  );
}

/** AES-256-GCM under the data directory's key file: the web host's cipher. */
export function fileKeyCipher(dataDir: string): SecretCipher {
  const key = loadOrCreateKey(dataDir);
  return {
    scheme: 'aes-gcm-file',
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      if (sealed.length < IV_BYTES + TAG_BYTES) throw new SecretUnreadableError('stored secret is too short');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretUnreadableError('stored secret does not decrypt with this data directory key');
      }
    },
  };
}

/** Seals `plain` as `scheme:base64`, the form the store keeps. */
export function sealSecret(cipher: SecretCipher, plain: string): string {
  return `${cipher.scheme}:${cipher.encrypt(plain).toString('base64')}`;
}

/** Opens a value `sealSecret` wrote; throws `SecretUnreadableError` when another scheme wrote it. */
export function openSecret(cipher: SecretCipher, stored: string): string {
  const colon = stored.indexOf(':');
  const scheme = stored.slice(0, colon);
  const reader = [cipher, ...(cipher.alternates ?? [])].find((candidate) => candidate.scheme === scheme);
  if (colon < 0 || !reader)
    throw new SecretUnreadableError(`stored secret was sealed by ${scheme || 'an unknown scheme'}, not ${cipher.scheme}`);
  return reader.decrypt(Buffer.from(stored.slice(colon + 1), 'base64'));
}

/** What the renderer may see of a key: its last four characters behind a fixed mask. */
export function maskSecret(plain: string | null): string {
  if (!plain) return '';
  return `••••••••${plain.length > 8 ? plain.slice(-4) : ''}`;
}
