/**
 * Numbered, forward-only SQL migrations for Tally's SQLite files (the studio's `tally.db`, the
 * origin's `origin.db`): `NNN_name.sql` files applied in order inside transactions, recorded
 * in `schema_migrations`. A database written by a newer Tally is refused rather than misread.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSqlite, type Database } from './sqlite.ts';

/** One migration file: `007_add_library.sql` is version 7. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads and checks the numbered migrations of a folder: 1, 2, 3... with no gaps or repeats. */
export function loadMigrationsFrom(dir: string): Migration[] {
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

/** Opens (creating) a database file in WAL mode and brings it to the latest migration. */
export function openMigratedDatabase(path: string, migrations: readonly Migration[]): { db: Database; schemaVersion: number } {
  mkdirSync(dirname(path), { recursive: true });
  const Sqlite = loadSqlite();
  const db = new Sqlite(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    return { db, schemaVersion: migrate(db, migrations) };
  } catch (error) {
    db.close();
    throw error;
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
