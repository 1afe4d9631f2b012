import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSqlite } from '../../native/sqlite.ts';
import { OriginStore } from '../store/origin-store.ts';
import { hashSecret } from './secrets.ts';
import { AdminAuth, StreamAccess } from './stream-access.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-access-'));
  dirs.push(dir);
  return dir;
}

describe('stream keys and the admin token', () => {
  it('creates "main" with a fresh key on a fresh origin only, and stores nothing but hashes', () => {
    const dir = dataDir();
    const store = new OriginStore(dir);
    const access = new StreamAccess(store);
    const created = access.ensureStreams([]);
    expect(created.map((stream) => stream.name)).toEqual(['main']);
    expect(created[0]!.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(access.streamForKey(created[0]!.key)).toBe('main');
    expect(access.streamForKey(`${created[0]!.key}?obs=1`)).toBe('main'); // query strings some clients append
    expect(access.streamForKey('x'.repeat(43))).toBeUndefined();
    expect(access.ensureStreams([])).toEqual([]);
    const admin = new AdminAuth(store);
    expect(admin.generatedToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(admin.authorizes(`Bearer ${admin.generatedToken}`)).toBe(true);
    expect(admin.authorizes(`Bearer ${admin.generatedToken}x`)).toBe(false);
    expect(new AdminAuth(store).generatedToken).toBeUndefined();
    store.dispose();

    const bytes = readFileSync(join(dir, 'origin.db'));
    expect(bytes.includes(Buffer.from(created[0]!.key))).toBe(false);
    expect(bytes.includes(Buffer.from(admin.generatedToken!))).toBe(false);
    const db = new (loadSqlite())(join(dir, 'origin.db'), { readonly: true });
    const row = db.prepare<[], { key_sha256: Buffer }>("SELECT key_sha256 FROM streams WHERE name = 'main'").get()!;
    expect(row.key_sha256.equals(hashSecret(created[0]!.key))).toBe(true);
    db.close();
  });

  it('declares streams from --stream NAME:KEY, re-keying an existing one, and refuses unsafe names and short keys', () => {
    const store = new OriginStore(dataDir());
    const access = new StreamAccess(store);
    expect(access.ensureStreams([{ name: 'stage', key: 'stage-key-0123456789' }])).toEqual([]);
    access.ensureStreams([{ name: 'stage', key: 'stage-key-abcdefghij' }]);
    expect(access.streamForKey('stage-key-0123456789')).toBeUndefined();
    expect(access.streamForKey('stage-key-abcdefghij')).toBe('stage');
    expect(() => access.ensureStreams([{ name: '../x', key: 'stage-key-0123456789' }])).toThrow(/stream name/);
    expect(() => access.ensureStreams([{ name: 'ok', key: 'short' }])).toThrow(/16-256 characters/);
    expect(() => new AdminAuth(store, 'short')).toThrow(/at least 16/);
    store.dispose();
  });
});
