/**
 * Stream keys at rest in Electron: the operating system's keychain through `safeStorage`
 * (Keychain on macOS, DPAPI on Windows, libsecret or KWallet on Linux). Where it cannot
 * protect anything (not available, or Linux's `basic_text` backend, a hard-coded password),
 * the web host's cipher (AES-GCM under a 0600 key file in the data directory) is used
 * instead, and the log says so. The synchronous calls are used because the store is
 * synchronous (better-sqlite3); Electron 45 still provides them.
 */
import type { SafeStorage } from 'electron';
import type { SecretCipher } from '../services/outputs/index.ts';
import type { Logger } from '../services/logger.ts';

export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

/** A `SecretCipher` over safeStorage, or `fallback` where safeStorage would not really protect the keys. */
export function safeStorageCipher(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform,
  fallback: SecretCipher,
  log: Logger,
): SecretCipher {
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text') {
    log.warn({ backend }, 'the OS keychain is not available; stream keys are sealed with the data directory key file instead');
    return fallback;
  }
  return {
    scheme: 'safe-storage',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
    // Keys the web studio sealed in the same data directory stay readable.
    alternates: [fallback],
  };
}
