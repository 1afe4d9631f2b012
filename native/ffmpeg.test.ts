import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commonInstallDirs, FfmpegNotFoundError, resolveFfmpeg } from './ffmpeg.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-ffmpeg-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('resolving the ffmpeg binary (real ffmpeg from PATH)', () => {
  it('finds ffmpeg and ffprobe on PATH and reads their versions', async () => {
    const ffmpeg = await resolveFfmpeg();
    expect(ffmpeg.source).toBe('path');
    expect(ffmpeg.version).toMatch(/^\d+\.\d+/);
    const ffprobe = await resolveFfmpeg({ tool: 'ffprobe' });
    expect(ffprobe.path).toMatch(/ffprobe$/);
  });

  it('a bundled copy wins over PATH', async () => {
    const onPath = await resolveFfmpeg();
    const bundled = join(scratch, 'bundled');
    mkdirSync(bundled);
    symlinkSync(onPath.path, join(bundled, 'ffmpeg'));
    const found = await resolveFfmpeg({ bundledDirs: [join(scratch, 'missing'), bundled] });
    expect(found).toMatchObject({ source: 'bundled', path: join(bundled, 'ffmpeg'), version: onPath.version });
  });

  it('TALLY_FFMPEG wins over everything, and a broken one is an error rather than a silent fallback', async () => {
    const onPath = await resolveFfmpeg();
    await expect(resolveFfmpeg({ env: { ...process.env, TALLY_FFMPEG: onPath.path } })).resolves.toMatchObject({ source: 'configured' });
    const fake = join(scratch, 'not-ffmpeg');
    writeFileSync(fake, '#!/bin/sh\necho hello\n');
    chmodSync(fake, 0o755);
    await expect(resolveFfmpeg({ env: { ...process.env, TALLY_FFMPEG: fake } })).rejects.toThrow(
      /configured at .*not-ffmpeg .*does not run/,
    );
  });

  it("a Finder-started app with launchd's bare PATH still finds a Homebrew-style install folder", async () => {
    const onPath = await resolveFfmpeg();
    const brewBin = join(scratch, 'opt-homebrew-bin');
    mkdirSync(brewBin);
    symlinkSync(onPath.path, join(brewBin, 'ffmpeg'));
    const found = await resolveFfmpeg({ env: { PATH: join(scratch, 'bare-path') }, installDirs: [join(scratch, 'missing'), brewBin] });
    expect(found).toMatchObject({ source: 'install-folder', path: join(brewBin, 'ffmpeg'), version: onPath.version });
  });

  it('knows the usual install folders of each OS', () => {
    expect(commonInstallDirs('darwin')).toEqual(['/opt/homebrew/bin', '/usr/local/bin', '/opt/local/bin']);
    expect(commonInstallDirs('linux')).toContain('/usr/local/bin');
    const windows = commonInstallDirs('win32', {
      ProgramData: 'C:\\ProgramData',
      USERPROFILE: 'C:\\Users\\ana',
      LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local',
    });
    expect(windows).toEqual([
      'C:\\ProgramData\\chocolatey\\bin',
      'C:\\Users\\ana\\scoop\\shims',
      'C:\\Users\\ana\\AppData\\Local\\Microsoft\\WinGet\\Links',
      'C:\\ffmpeg\\bin',
    ]);
  });

  it('with nothing anywhere, says how to install it', async () => {
    const error = await resolveFfmpeg({ env: { PATH: join(scratch, 'empty') }, installDirs: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegNotFoundError);
    expect((error as Error).message).toMatch(/apt install ffmpeg.*TALLY_FFMPEG/);
  });
});
