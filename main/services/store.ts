/**
 * The studio's SQLite store: one file in the data directory, WAL mode, and numbered
 * forward-only SQL migrations (`migrations/NNN_name.sql`). A database written by a newer
 * Tally is refused rather than silently misread.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMigrationsFrom, openMigratedDatabase, type Migration } from '../../native/sqlite-migrations.ts';
import type { Database } from '../../native/sqlite.ts';

export { DatabaseTooNewError, type Migration } from '../../native/sqlite-migrations.ts';

/** The folder of the migrations shipped with this build. A bundle copies it next to itself. */
export const defaultMigrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Reads and checks the numbered migrations of a folder (default: the studio's). */
export function loadMigrations(dir: string = defaultMigrationsDir): Migration[] {
  return loadMigrationsFrom(dir);
}

export interface StoreOptions {
  /** The data directory; the database is `tally.db` inside it. */
  dataDir: string;
  /** Default: the migrations shipped with this build. */
  migrations?: readonly Migration[];
}

/** The open store. Dispose it to checkpoint the WAL and close the file. */
export class Store {
  readonly path: string;
  readonly db: Database;
  /** The schema version after migrating. */
  readonly schemaVersion: number;

  constructor(options: StoreOptions) {
    this.path = join(options.dataDir, 'tally.db');
    const { db, schemaVersion } = openMigratedDatabase(this.path, options.migrations ?? loadMigrations());
    this.db = db;
    this.schemaVersion = schemaVersion;
  }

  /** Reads a JSON setting, or `undefined` when it was never set. */
  getSetting(key: string): unknown {
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key);
    return row ? (JSON.parse(row.value) as unknown) : undefined;
  }

  /** Writes a JSON setting. */
  setSetting(key: string, value: unknown): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(key, JSON.stringify(value), Date.now());
  }

  dispose(): void {
    if (!this.db.open) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
