import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../server/log.ts';
import { openSecret, sealSecret, type SecretCipher } from '../services/outputs/secret-box.ts';
import { safeStorageCipher, type SafeStorageLike } from './safe-storage-cipher.ts';

/** A stand-in for Electron's safeStorage (no Electron binary here): reversible, and visibly not plain text. */
function fakeSafeStorage(available: boolean, backend: ReturnType<SafeStorageLike['getSelectedStorageBackend']>): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((byte) => byte ^ 0x5a)),
    decryptString: (sealed) => Buffer.from(sealed.map((byte) => byte ^ 0x5a)).toString('utf8'),
  };
}
const fallback: SecretCipher = { scheme: 'aes-gcm-file', encrypt: () => Buffer.alloc(0), decrypt: () => 'from the key file' };

describe('stream keys sealed with safeStorage (fake safeStorage)', () => {
  it('uses the OS keychain where it protects the keys', () => {
    const cipher = safeStorageCipher(fakeSafeStorage(true, 'gnome_libsecret'), 'linux', fallback, captureLogger());
    expect(cipher.scheme).toBe('safe-storage');
    const sealed = sealSecret(cipher, 'live_key_123');
    expect(sealed).toMatch(/^safe-storage:/);
    expect(sealed).not.toContain('live_key_123');
    expect(openSecret(cipher, sealed)).toBe('live_key_123');
    // A key the web studio sealed in the same data directory is still read.
    expect(openSecret(cipher, 'aes-gcm-file:AAAA')).toBe('from the key file');
  });

  it("falls back to the key file where safeStorage cannot protect anything (unavailable, or Linux's basic_text), and logs it", () => {
    const log = captureLogger();
    expect(safeStorageCipher(fakeSafeStorage(false, 'unknown'), 'darwin', fallback, log)).toBe(fallback);
    expect(safeStorageCipher(fakeSafeStorage(true, 'basic_text'), 'linux', fallback, log)).toBe(fallback);
    expect(safeStorageCipher(fakeSafeStorage(true, 'basic_text'), 'win32', fallback, log).scheme).toBe('safe-storage');
    expect(log.lines.map((line) => line.msg)).toEqual([
      expect.stringMatching(/keychain is not available/),
      expect.stringMatching(/keychain is not available/),
    ]);
  });
});
