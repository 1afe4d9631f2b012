import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSqlite } from '../../native/sqlite.ts';
import { DatabaseTooNewError, loadMigrations, Store } from './store.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the studio store', () => {
  it('creates tally.db in the data dir, in WAL mode, with every shipped migration recorded', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const store = new Store({ dataDir });
    expect(store.path).toBe(join(dataDir, 'tally.db'));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const applied = store.db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(loadMigrations().map(({ version, name }) => ({ version, name })));
    expect(store.schemaVersion).toBe(loadMigrations().length);
    store.dispose();
  });

  it('keeps settings across reopening the file', () => {
    const dataDir = tempDir();
    const first = new Store({ dataDir });
    first.setSetting('video.outputSize', { width: 1280, height: 720 });
    first.dispose();
    const second = new Store({ dataDir });
    expect(second.getSetting('video.outputSize')).toEqual({ width: 1280, height: 720 });
    expect(second.getSetting('never.set')).toBeUndefined();
    // Reopening applies nothing twice.
    expect(second.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: second.schemaVersion });
    second.dispose();
  });

  it('applies only the migrations a database has not seen yet', () => {
    const dataDir = tempDir();
    const migrations = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
      { version: 2, name: 'two', sql: 'CREATE TABLE b (y INTEGER)' },
    ];
    new Store({ dataDir, migrations: migrations.slice(0, 1) }).dispose();
    const store = new Store({ dataDir, migrations });
    expect(store.schemaVersion).toBe(2);
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b') ORDER BY name").all()).toEqual([
      { name: 'a' },
      { name: 'b' },
    ]);
    store.dispose();
  });

  it('refuses a database written by a newer Tally, leaving the file untouched', () => {
    const dataDir = tempDir();
    new Store({
      dataDir,
      migrations: [
        { version: 1, name: 'one', sql: 'SELECT 1' },
        { version: 2, name: 'two', sql: 'SELECT 1' },
      ],
    }).dispose();
    expect(() => new Store({ dataDir, migrations: [{ version: 1, name: 'one', sql: 'SELECT 1' }] })).toThrow(DatabaseTooNewError);
    const Sqlite = loadSqlite();
    const db = new Sqlite(join(dataDir, 'tally.db'), { readonly: true });
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: 2 });
    db.close();
  });

  it('a migration that fails rolls back completely', () => {
    const dataDir = tempDir();
    const broken = [{ version: 1, name: 'broken', sql: 'CREATE TABLE ok (x INTEGER); CREATE TABLE ok (x INTEGER);' }];
    expect(() => new Store({ dataDir, migrations: broken })).toThrow(/already exists/);
    const db = new (loadSqlite())(join(dataDir, 'tally.db'));
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'ok'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('migration files must be numbered without gaps and named NNN_name.sql', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'm', '001_first.sql'), 'SELECT 1');
    writeFileSync(join(dir, 'm', '003_third.sql'), 'SELECT 1');
    expect(() => loadMigrations(join(dir, 'm'))).toThrow(/without gaps/);
    writeFileSync(join(dir, 'm', '2-second.sql'), 'SELECT 1');
    expect(() => loadMigrations(join(dir, 'm'))).toThrow(/NNN_name\.sql/);
  });
});
