/**
 * Destinations in the studio's SQLite store (`output_destinations`), their stream keys
 * sealed by the host's `SecretCipher`. Plain keys live only in the host's memory, for the
 * publisher; what leaves this module for the renderer is masked (`maskSecret`).
 */
import { randomBytes } from 'node:crypto';
import { DESTINATION_PRESETS, DestinationInput, type DestinationService } from '../../../common/host/outputs-contract.ts';
import { UserInputError } from '../../../common/host/user-input-error.ts';
import { parseRtmpServerUrl } from '../../../net/rtmp/client.ts';
import type { Store } from '../store.ts';
import { openSecret, sealSecret, type SecretCipher } from './secret-box.ts';

/** The local origin's destination has this fixed id. */
export const LOCAL_ORIGIN_DESTINATION_ID = 'local-origin';

/** A destination as the host holds it (with its plain key: never send this to the renderer). */
export interface StoredDestination {
  id: string;
  name: string;
  service: DestinationService;
  serverUrl: string;
  /** The plain key, or null when none is set or it cannot be decrypted here. */
  streamKey: string | null;
  /** Why the stored key could not be read (another machine's keychain), or null. */
  keyError: string | null;
  enabled: boolean;
  adaptiveBitrate: boolean;
  caPem: string | null;
}

interface Row {
  id: string;
  name: string;
  service: DestinationService;
  server_url: string;
  stream_key: string | null;
  enabled: number;
  adaptive: number;
  ca_pem: string | null;
}

/** A destination the user described cannot be used as it is; the message says why. */
export class DestinationInvalidError extends UserInputError {
  override readonly name = 'DestinationInvalidError';
}

/** Checks and normalises a server URL for a service: a preset's default when empty, rtmps where the platform requires it. */
export function resolveServerUrl(service: Exclude<DestinationService, 'local-origin'>, serverUrl: string): string {
  const preset = DESTINATION_PRESETS[service];
  const url = serverUrl.trim() || preset.serverUrl;
  if (!url) throw new DestinationInvalidError('a server URL (rtmp:// or rtmps://) is required');
  let parsed;
  try {
    parsed = parseRtmpServerUrl(url);
  } catch (error) {
    throw new DestinationInvalidError(error instanceof Error ? error.message : String(error));
  }
  // A login in the URL would sit in the database in the clear (the key is sealed), and the client never sends it.
  const { username, password } = new URL(url);
  if (username || password)
    throw new DestinationInvalidError(
      'the server URL must not carry a login (user:password@); a server that needs one takes it in the stream key, which is stored encrypted',
    );
  if (preset.requiresRtmps && !parsed.secure) throw new DestinationInvalidError(`${preset.label} accepts only rtmps:// servers`);
  if (!parsed.app) throw new DestinationInvalidError('the server URL needs an application path, e.g. rtmp://host/live');
  return url;
}

export class DestinationStore {
  private readonly store: Store;
  private readonly cipher: SecretCipher;
  private readonly now: () => number;
  /**
   * The list as last read, keys unsealed: the state the studio shows is rebuilt at least once a
   * second while live, and unsealing every key each time (AES-GCM, or Electron's safeStorage)
   * was a steady cost. Every write goes through this store and clears it.
   */
  private cached: readonly StoredDestination[] | null = null;

  constructor(store: Store, cipher: SecretCipher, now: () => number = Date.now) {
    this.store = store;
    this.cipher = cipher;
    this.now = now;
  }

  /** Every destination, in list order. */
  list(): StoredDestination[] {
    this.cached ??= this.store.db
      .prepare<[], Row>('SELECT * FROM output_destinations ORDER BY position, created_at')
      .all()
      .map((row) => Object.freeze(this.fromRow(row)));
    return [...this.cached];
  }

  get(id: string): StoredDestination | undefined {
    const row = this.store.db.prepare<[string], Row>('SELECT * FROM output_destinations WHERE id = ?').get(id);
    return row ? this.fromRow(row) : undefined;
  }

  /** Adds or changes a destination from the renderer's input (already schema-checked). Throws `DestinationInvalidError`. */
  save(raw: DestinationInput): StoredDestination {
    const input = DestinationInput.parse(raw);
    const serverUrl = resolveServerUrl(input.service, input.serverUrl);
    const existing = input.id ? this.get(input.id) : undefined;
    if (input.id && !existing) throw new DestinationInvalidError(`no destination ${input.id}`);
    if (existing?.service === 'local-origin') throw new DestinationInvalidError('the local origin destination is managed by the studio');
    const key = input.streamKey !== undefined ? input.streamKey.trim() : (existing?.streamKey ?? '');
    if (!key && !existing?.keyError) throw new DestinationInvalidError('a stream key is required');
    if (/\s/.test(key)) throw new DestinationInvalidError('a stream key has no spaces');
    const caPem = input.caPem === undefined ? (existing?.caPem ?? null) : input.caPem?.trim() || null;
    if (caPem && !caPem.includes('-----BEGIN CERTIFICATE-----')) throw new DestinationInvalidError('the certificate authority must be PEM');
    const id = existing?.id ?? `dst-${randomBytes(6).toString('base64url')}`;
    const sealed = key ? sealSecret(this.cipher, key) : null;
    const now = this.now();
    this.cached = null;
    this.store.db
      .prepare(
        `INSERT INTO output_destinations (id, name, service, server_url, stream_key, enabled, adaptive, ca_pem, position, created_at, updated_at)
         VALUES (@id, @name, @service, @serverUrl, @streamKey, @enabled, @adaptive, @caPem, @position, @now, @now)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, service = excluded.service, server_url = excluded.server_url,
           stream_key = COALESCE(excluded.stream_key, output_destinations.stream_key), enabled = excluded.enabled,
           adaptive = excluded.adaptive, ca_pem = excluded.ca_pem, updated_at = excluded.updated_at`,
      )
      .run({
        id,
        name: input.name,
        service: input.service,
        serverUrl,
        streamKey: sealed,
        enabled: input.enabled ? 1 : 0,
        adaptive: input.adaptiveBitrate ? 1 : 0,
        caPem,
        position: existing ? 0 : this.nextPosition(),
        now,
      });
    return this.get(id)!;
  }

  /** Creates or updates the local origin's destination (the origin's URL changes with its port). */
  saveLocalOrigin(serverUrl: string, streamKey: string): StoredDestination {
    const now = this.now();
    this.cached = null;
    this.store.db
      .prepare(
        `INSERT INTO output_destinations (id, name, service, server_url, stream_key, enabled, adaptive, ca_pem, position, created_at, updated_at)
         VALUES (?, 'Local origin', 'local-origin', ?, ?, 1, 0, NULL, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET server_url = excluded.server_url, stream_key = excluded.stream_key, updated_at = excluded.updated_at`,
      )
      .run(LOCAL_ORIGIN_DESTINATION_ID, serverUrl, sealSecret(this.cipher, streamKey), this.nextPosition(), now, now);
    return this.get(LOCAL_ORIGIN_DESTINATION_ID)!;
  }

  /** Includes a destination in Go Live or leaves it out. Throws `DestinationInvalidError` for an unknown id. */
  setEnabled(id: string, enabled: boolean): StoredDestination {
    this.cached = null;
    const changed = this.store.db
      .prepare('UPDATE output_destinations SET enabled = ?, updated_at = ? WHERE id = ?')
      .run(enabled ? 1 : 0, this.now(), id).changes;
    if (changed === 0) throw new DestinationInvalidError(`no destination ${id}`);
    return this.get(id)!;
  }

  /** Removes a destination; false when there was none. */
  remove(id: string): boolean {
    this.cached = null;
    return this.store.db.prepare('DELETE FROM output_destinations WHERE id = ?').run(id).changes > 0;
  }

  private nextPosition(): number {
    return this.store.db.prepare<[], { next: number | null }>('SELECT MAX(position) + 1 AS next FROM output_destinations').get()?.next ?? 0;
  }

  private fromRow(row: Row): StoredDestination {
    let streamKey: string | null = null;
    let keyError: string | null = null;
    if (row.stream_key) {
      try {
        streamKey = openSecret(this.cipher, row.stream_key);
      } catch (error) {
        keyError = `the stored stream key cannot be read here (${error instanceof Error ? error.message : String(error)}); enter it again`;
      }
    }
    return {
      id: row.id,
      name: row.name,
      service: row.service,
      serverUrl: row.server_url,
      streamKey,
      keyError,
      enabled: row.enabled === 1,
      adaptiveBitrate: row.adaptive === 1,
      caPem: row.ca_pem,
    };
  }
}
