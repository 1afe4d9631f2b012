import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isStepStale } from './build-steps.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-build-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function touch(path: string, atMs: number) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'x');
  utimesSync(path, atMs / 1000, atMs / 1000);
}

describe('the build knows when main.js is stale', () => {
  it('an origin change (server/) makes the Electron bundle stale, so npm start never runs an old main.js', () => {
    const t0 = Date.now() + 60_000; // ahead of the folders' own mtimes (created just now)
    for (const folder of ['main', 'preload', 'common', 'native']) touch(join(scratch, folder, 'a.ts'), t0);
    touch(join(scratch, 'dist', 'electron', 'main.js'), t0 + 1000);
    expect(isStepStale('electron', scratch)).toBe(false);
    touch(join(scratch, 'server', 'protocols', 'rtmp', 'conn.ts'), t0 + 2000);
    expect(isStepStale('electron', scratch)).toBe(true);
  });

  it('a missing output is stale', () => {
    expect(isStepStale('renderer', join(scratch, 'nowhere'))).toBe(true);
  });
});
