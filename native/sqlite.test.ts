import { describe, expect, it } from 'vitest';
import { loadSqlite } from './sqlite.ts';

describe('the SQLite binding', () => {
  it('loads better-sqlite3 13 and runs a real query', () => {
    const Sqlite = loadSqlite();
    const db = new Sqlite(':memory:');
    const row = db.prepare('SELECT sqlite_version() AS version, json_valid(?) AS valid').get('{"a":1}') as {
      version: string;
      valid: number;
    };
    expect(row.version).toMatch(/^3\.\d+/);
    expect(row.valid).toBe(1);
    db.close();
  });
});
