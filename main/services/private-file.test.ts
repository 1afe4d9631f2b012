import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readOrCreatePrivateFile } from './private-file.ts';

describe('private files in the data directory', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-private-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const mode = (path: string) => statSync(path).mode & 0o777;

  it('creates the file once with mode 0600 and reads it back on later calls', () => {
    const path = join(dataDir(), 'secret');
    let made = 0;
    const create = () => Buffer.from(`secret ${++made}`);
    expect(readOrCreatePrivateFile(path, create).toString()).toBe('secret 1');
    expect(readOrCreatePrivateFile(path, create).toString()).toBe('secret 1');
    expect(made).toBe(1);
    expect(mode(path)).toBe(0o600);
  });

  it('tightens a file that group or others may read, and passes the check’s error on, leaving the file', () => {
    const path = join(dataDir(), 'secret');
    writeFileSync(path, 'loose');
    chmodSync(path, 0o644);
    expect(readOrCreatePrivateFile(path, () => Buffer.from('new')).toString()).toBe('loose');
    expect(mode(path)).toBe(0o600);
    expect(() =>
      readOrCreatePrivateFile(
        path,
        () => Buffer.from('new'),
        () => {
          throw new Error('not usable');
        },
      ),
    ).toThrow('not usable');
    expect(readFileSync(path, 'utf8')).toBe('loose');
  });
});
