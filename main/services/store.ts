/**
 * The studio's SQLite store: one file in the data directory, WAL mode, and numbered
 * forward-only SQL migrations (`migrations/NNN_name.sql`). A database written by a newer
 * Tally is refused rather than silently misread.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSqlite, type Database } from '../../native/sqlite.ts';

/** One migration file: `007_add_library.sql` is version 7. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The folder of the migrations shipped with this build. A bundle copies it next to itself. */
export const defaultMigrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Reads and checks the numbered migrations of a folder: 1, 2, 3... with no gaps or repeats. */
export function loadMigrations(dir: string = defaultMigrationsDir): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = /^(\d{3,})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match) throw new Error(`migration file ${file} is not named NNN_name.sql`);
      return { version: Number(match[1]), name: match[2]!, sql: readFileSync(join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new Error(`migrations must be numbered 1, 2, 3... without gaps; found ${migration.version} at position ${index + 1}`);
  });
  return migrations;
}

/** The database was written by a newer Tally than this one. */
export class DatabaseTooNewError extends Error {
  override readonly name = 'DatabaseTooNewError';
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
    mkdirSync(options.dataDir, { recursive: true });
    this.path = join(options.dataDir, 'tally.db');
    const Sqlite = loadSqlite();
    this.db = new Sqlite(this.path);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      this.schemaVersion = migrate(this.db, options.migrations ?? loadMigrations());
    } catch (error) {
      this.db.close();
      throw error;
    }
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

function migrate(db: Database, migrations: readonly Migration[]): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const current = db.prepare<[], { version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations').get()?.version ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new DatabaseTooNewError(`the database is at schema version ${current}, but this Tally knows only up to ${latest}; update Tally`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    })();
  }
  return latest;
}
