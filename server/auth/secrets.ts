/**
 * Secrets of the origin (stream keys, the admin token): 256 random bits, base64url; stored as
 * SHA-256 only. A plain hash suffices because the secrets are high-entropy (nothing to
 * brute-force), and comparisons are constant-time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh secret: 32 random bytes as base64url (43 characters). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The SHA-256 of a secret, as stored. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Whether `secret` hashes to `expectedHash`, in constant time. */
export function secretMatches(secret: string, expectedHash: Uint8Array): boolean {
  const actual = hashSecret(secret);
  return actual.length === expectedHash.length && timingSafeEqual(actual, expectedHash);
}
