import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILENAME_PATTERN, fileNameFromPattern, uniquePath } from './file-naming.ts';

describe('recording file names', () => {
  const when = new Date(2025, 2, 7, 9, 5, 3);

  it('fills date, time and scene into the pattern', () => {
    expect(fileNameFromPattern(DEFAULT_FILENAME_PATTERN, when, 'Main')).toBe('Tally 2025-03-07 09-05-03 Main');
    expect(fileNameFromPattern('{scene}', when, null)).toBe('Tally 2025-03-07 09-05-03');
  });

  it('never lets a scene name climb out of the folder or break a file system', () => {
    const name = fileNameFromPattern('{scene}', when, '../../etc/passwd\u0000:*?"<>|');
    expect(name).not.toMatch(/[/\\:*?"<>|]/);
    expect(name).not.toContain('\u0000');
    expect(name.startsWith('.')).toBe(false);
    expect(fileNameFromPattern('{scene}', when, '...')).toBe('Tally 2025-03-07 09-05-03');
  });

  it('adds a number rather than overwrite a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-names-'));
    try {
      writeFileSync(join(dir, 'a.mp4'), '');
      writeFileSync(join(dir, 'a (2).mp4'), '');
      expect(uniquePath(dir, 'a', 'mp4')).toBe(join(dir, 'a (3).mp4'));
      expect(uniquePath(dir, 'b', 'png')).toBe(join(dir, 'b.png'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
