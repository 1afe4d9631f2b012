import { describe, expect, it } from 'vitest';
import { checkRedistributable, FFMPEG_BUILDS } from './ffmpeg-redist.ts';

/** A binary's bytes around its embedded configuration string, as ffmpeg stores it (NUL-terminated). */
const binaryWith = (configuration: string) =>
  Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(configuration), Buffer.from([0, 1, 2])]);

describe('only redistributable ffmpeg builds ship', () => {
  it('a GPL v3 build is accepted; an --enable-nonfree build (like the only arm64 macOS build on npm) is refused', () => {
    expect(checkRedistributable(binaryWith('--enable-gpl --enable-version3 --enable-libx264'))).toEqual({ licence: 'GPL-3.0-or-later' });
    expect(checkRedistributable(binaryWith('--prefix=/x --enable-gpl --enable-libx264'))).toEqual({ licence: 'GPL-2.0-or-later' });
    expect(() => checkRedistributable(binaryWith('--enable-gpl --enable-version3 --enable-nonfree --enable-libfdk-aac'))).toThrow(
      /may not be redistributed/,
    );
    expect(() => checkRedistributable(binaryWith('--enable-shared'))).toThrow(/licence cannot be told/);
  });

  it('every target an installer is built for has a pinned build; arm64 macOS and Windows take the x64 one', () => {
    for (const target of ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'])
      expect(FFMPEG_BUILDS[target]?.integrity, target).toMatch(/^sha512-/);
    expect(FFMPEG_BUILDS['darwin-arm64']).toBe(FFMPEG_BUILDS['darwin-x64']);
    expect(FFMPEG_BUILDS['win32-arm64']?.binary).toBe('ffmpeg.exe');
  });
});
