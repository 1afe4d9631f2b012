import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../../common/host/user-input-error.ts';
import { ensureWritableFolder, FolderUnusableError } from './user-folder.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-user-folder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const onLinux = existsSync('/proc/self');

/** Runs `ensureWritableFolder(path)` in a child Node with a time limit: a folder call that never returns must fail this test, not hang the suite. */
function inChild(path: string): { status: number | null; out: string } {
  const script = `
    import { ensureWritableFolder } from ${JSON.stringify(join(import.meta.dirname, 'user-folder.ts'))};
    try { ensureWritableFolder(${JSON.stringify(path)}); console.log('accepted'); }
    catch (error) { console.log(error.name + ': ' + error.message); }`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000, encoding: 'utf8' });
  return { status: child.status, out: child.stdout.trim() + child.stderr.trim() };
}

describe('a folder the user chooses', () => {
  it('is created level by level when missing, and nothing is left in it', () => {
    const chosen = join(scratch, 'Shows', '2025', 'Spring');
    expect(ensureWritableFolder(chosen)).toBe(chosen);
    expect(readdirSync(chosen)).toEqual([]);
    // Again, now that it exists: accepted as it is.
    expect(ensureWritableFolder(`${chosen}/`)).toBe(chosen);
  });

  it('is refused with the reason when a file is in the way, at the folder or above it', () => {
    writeFileSync(join(scratch, 'a-file'), 'x');
    for (const path of [join(scratch, 'a-file'), join(scratch, 'a-file', 'recordings', 'deeper')]) {
      const refusal = catchError(() => ensureWritableFolder(path));
      expect(refusal).toBeInstanceOf(FolderUnusableError);
      expect(refusal).toBeInstanceOf(UserInputError);
      expect(refusal).toMatchObject({ path, reason: 'a file is in the way, not a folder' });
    }
  });

  it.skipIf(!onLinux)('/proc/nope is refused at once (Node 24 recursive mkdir never returns there), leaving nothing made', () => {
    // The whole host froze on this path: the check runs in a child with a time limit.
    expect(inChild('/proc/nope')).toEqual({
      status: 0,
      out: 'FolderUnusableError: /proc/nope cannot be used as a folder: new folders or files cannot be made there',
    });
    expect(inChild('/proc/nope/deeper/still')).toMatchObject({
      status: 0,
      out: expect.stringMatching(/^FolderUnusableError: /) as unknown,
    });
    expect(catchError(() => ensureWritableFolder('/proc/nope'))).toMatchObject({ reason: 'new folders or files cannot be made there' });
  });

  it.skipIf(!onLinux)('an existing folder no file can be written in is refused (checked by writing: access() says yes to root)', () => {
    expect(catchError(() => ensureWritableFolder('/proc'))).toMatchObject({
      path: '/proc',
      reason: 'new folders or files cannot be made there',
    });
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
    return null;
  } catch (error) {
    return error;
  }
}
