/**
 * The origin's SQLite file (`origin.db` in the data directory, apart from the studio's
 * `tally.db` so the studio can embed an origin in its own data directory): streams with
 * hashed keys, and settings. Numbered migrations live in `origin-migrations/` (a name of their own, so a bundle that holds the studio's migrations too keeps both).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMigrationsFrom, openMigratedDatabase } from '../../native/sqlite-migrations.ts';
import type { Database } from '../../native/sqlite.ts';
import { hashSecret } from '../auth/secrets.ts';

/** A stream as stored: never the key itself. */
export interface StoredStream {
  name: string;
  keySha256: Buffer;
  createdAtMs: number;
  keyRotatedAtMs: number;
  /** Viewers need a signed playback token. */
  requirePlaybackToken: boolean;
}

interface StreamRow {
  name: string;
  key_sha256: Buffer;
  created_at: number;
  key_rotated_at: number;
  require_playback_token: number;
}

const toStream = (row: StreamRow): StoredStream => ({
  name: row.name,
  keySha256: row.key_sha256,
  createdAtMs: row.created_at,
  keyRotatedAtMs: row.key_rotated_at,
  requirePlaybackToken: row.require_playback_token === 1,
});

/** The folder of the origin's migrations. */
export const originMigrationsDir = fileURLToPath(new URL('./origin-migrations/', import.meta.url));

/** The open origin database. Dispose it to checkpoint and close. */
export class OriginStore {
  readonly path: string;
  private readonly db: Database;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'origin.db');
    this.db = openMigratedDatabase(this.path, loadMigrationsFrom(originMigrationsDir)).db;
  }

  /** All streams, by name. */
  listStreams(): StoredStream[] {
    return this.db.prepare<[], StreamRow>('SELECT * FROM streams ORDER BY name').all().map(toStream);
  }

  getStream(name: string): StoredStream | undefined {
    const row = this.db.prepare<[string], StreamRow>('SELECT * FROM streams WHERE name = ?').get(name);
    return row ? toStream(row) : undefined;
  }

  /** The stream whose key hashes to `keySha256`. */
  findByKeyHash(keySha256: Uint8Array): StoredStream | undefined {
    const row = this.db.prepare<[Uint8Array], StreamRow>('SELECT * FROM streams WHERE key_sha256 = ?').get(keySha256);
    return row ? toStream(row) : undefined;
  }

  /** Creates a stream, or sets a new key on an existing one. */
  upsertStream(name: string, key: string, nowMs = Date.now()): void {
    this.db
      .prepare(
        `INSERT INTO streams (name, key_sha256, created_at, key_rotated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET key_sha256 = excluded.key_sha256, key_rotated_at = excluded.key_rotated_at`,
      )
      .run(name, hashSecret(key), nowMs, nowMs);
  }

  /** Creates a stream; false when the name is taken. */
  createStream(name: string, key: string, nowMs = Date.now()): boolean {
    const result = this.db
      .prepare('INSERT OR IGNORE INTO streams (name, key_sha256, created_at, key_rotated_at) VALUES (?, ?, ?, ?)')
      .run(name, hashSecret(key), nowMs, nowMs);
    return result.changes === 1;
  }

  /** Sets a new key; false when there is no such stream. */
  rotateKey(name: string, key: string, nowMs = Date.now()): boolean {
    return (
      this.db.prepare('UPDATE streams SET key_sha256 = ?, key_rotated_at = ? WHERE name = ?').run(hashSecret(key), nowMs, name).changes ===
      1
    );
  }

  /** Sets whether viewers of a stream need a signed playback token; false when there is no such stream. */
  setRequirePlaybackToken(name: string, required: boolean): boolean {
    return this.db.prepare('UPDATE streams SET require_playback_token = ? WHERE name = ?').run(required ? 1 : 0, name).changes === 1;
  }

  deleteStream(name: string): boolean {
    return this.db.prepare('DELETE FROM streams WHERE name = ?').run(name).changes === 1;
  }

  /** Reads a JSON setting. */
  getSetting(key: string): unknown {
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key);
    return row ? (JSON.parse(row.value) as unknown) : undefined;
  }

  /** Writes a JSON setting. */
  setSetting(key: string, value: unknown, nowMs = Date.now()): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(key, JSON.stringify(value), nowMs);
  }

  dispose(): void {
    if (!this.db.open) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
