/**
 * Who may publish and what exists: stream names (public) and their keys (secret, stored
 * hashed). Publishing presents the key (`rtmp://HOST:PORT/live/KEY`, the OBS convention);
 * viewers use the name. Keys never leave this module except once, to whoever created them.
 */
import type { OriginStore } from '../store/origin-store.ts';
import { generateSecret, hashSecret, secretMatches } from './secrets.ts';

/** Stream names: letters, digits, `_` and `-`, 1 to 64 (they appear in URLs and file names). */
export const STREAM_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Keys chosen by an operator: 16 to 256 URL-safe characters, so they survive an RTMP URL intact. */
export const STREAM_KEY_PATTERN = /^[A-Za-z0-9._~-]{16,256}$/;

/** A stream and its plain key, as declared on the command line or just created. */
export interface StreamCredentials {
  name: string;
  key: string;
}

/** Checks a declared stream; returns an error message or null. */
export function validateCredentials(credentials: StreamCredentials): string | null {
  if (!STREAM_NAME_PATTERN.test(credentials.name)) return `stream name "${credentials.name}" must match ${STREAM_NAME_PATTERN.source}`;
  if (!STREAM_KEY_PATTERN.test(credentials.key))
    return `the key for stream "${credentials.name}" must be 16-256 characters of A-Z a-z 0-9 . _ ~ -`;
  return null;
}

/** Stream names and keys over the origin's store. */
export class StreamAccess {
  private readonly store: OriginStore;

  constructor(store: OriginStore) {
    this.store = store;
  }

  /**
   * Applies `--stream NAME:KEY` declarations, then makes sure at least one stream exists:
   * a fresh origin gets `main` with a new key. Returns the streams whose keys were generated
   * here (to show once).
   */
  ensureStreams(declared: readonly StreamCredentials[]): StreamCredentials[] {
    for (const credentials of declared) {
      const problem = validateCredentials(credentials);
      if (problem) throw new Error(problem);
      this.store.upsertStream(credentials.name, credentials.key);
    }
    if (this.store.listStreams().length > 0) return [];
    const key = generateSecret();
    this.store.createStream('main', key);
    return [{ name: 'main', key }];
  }

  /** The stream a publish key belongs to, or undefined. Query strings some clients append are ignored. */
  streamForKey(presented: string): string | undefined {
    const key = presented.split('?')[0] ?? '';
    if (key.length === 0 || key.length > 256) return undefined;
    const stream = this.store.findByKeyHash(hashSecret(key));
    // The lookup is by hash; the constant-time compare guards against any future change to a prefix match.
    return stream && secretMatches(key, stream.keySha256) ? stream.name : undefined;
  }

  exists(name: string): boolean {
    return STREAM_NAME_PATTERN.test(name) && this.store.getStream(name) !== undefined;
  }

  /** Whether viewers of `name` need a signed playback token. */
  requiresPlaybackToken(name: string): boolean {
    return STREAM_NAME_PATTERN.test(name) && this.store.getStream(name)?.requirePlaybackToken === true;
  }

  /** Sets whether viewers of `name` need a signed playback token; false when there is no such stream. */
  setRequirePlaybackToken(name: string, required: boolean): boolean {
    return this.store.setRequirePlaybackToken(name, required);
  }

  /** All stream names with their creation times. */
  list(): { name: string; createdAtMs: number; keyRotatedAtMs: number; requirePlaybackToken: boolean }[] {
    return this.store
      .listStreams()
      .map(({ name, createdAtMs, keyRotatedAtMs, requirePlaybackToken }) => ({ name, createdAtMs, keyRotatedAtMs, requirePlaybackToken }));
  }

  /** Creates a stream with a new key (returned once), or null when the name is taken. */
  create(name: string): StreamCredentials | null {
    const key = generateSecret();
    return this.store.createStream(name, key) ? { name, key } : null;
  }

  /** Gives a stream a new key (returned once), or null when there is no such stream. */
  rotate(name: string): StreamCredentials | null {
    const key = generateSecret();
    return this.store.rotateKey(name, key) ? { name, key } : null;
  }

  delete(name: string): boolean {
    return this.store.deleteStream(name);
  }
}

const ADMIN_TOKEN_SETTING = 'admin_token_sha256';

/** The admin API's bearer token: configured, or generated once and stored hashed. */
export class AdminAuth {
  private readonly tokenSha256: Buffer;
  /** The token generated on this start, to print once; undefined when configured or already stored. */
  readonly generatedToken: string | undefined;

  constructor(store: OriginStore, configuredToken?: string) {
    if (configuredToken) {
      if (configuredToken.length < 16) throw new Error('the admin token must be at least 16 characters');
      this.tokenSha256 = hashSecret(configuredToken);
      this.generatedToken = undefined;
      return;
    }
    const stored = store.getSetting(ADMIN_TOKEN_SETTING);
    if (typeof stored === 'string' && /^[0-9a-f]{64}$/.test(stored)) {
      this.tokenSha256 = Buffer.from(stored, 'hex');
      this.generatedToken = undefined;
      return;
    }
    const token = generateSecret();
    this.tokenSha256 = hashSecret(token);
    store.setSetting(ADMIN_TOKEN_SETTING, this.tokenSha256.toString('hex'));
    this.generatedToken = token;
  }

  /** Whether an `Authorization` header carries the token (`Bearer TOKEN`). */
  authorizes(header: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return match !== null && secretMatches(match[1]!, this.tokenSha256);
  }
}
