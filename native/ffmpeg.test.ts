import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FfmpegNotFoundError, resolveFfmpeg } from './ffmpeg.ts';

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

  it('with nothing anywhere, says how to install it', async () => {
    const error = await resolveFfmpeg({ env: { PATH: join(scratch, 'empty') } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegNotFoundError);
    expect((error as Error).message).toMatch(/apt install ffmpeg.*TALLY_FFMPEG/);
  });
});
