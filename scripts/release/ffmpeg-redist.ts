/**
 * The ffmpeg each installer carries (outside the asar, in `resources/ffmpeg/<platform>-<arch>/`),
 * so AAC encoding works without a system ffmpeg. Only the npm registry is reachable from our
 * build machines, so the binaries come from the @ffmpeg-installer packages, which ship static
 * builds inside the package: pinned by version and integrity here, fetched with `npm pack`.
 *
 * Licence: every build used is configured `--enable-gpl --enable-version3` and not
 * `--enable-nonfree`, so it may be redistributed under the GPL v3 (with its source offer:
 * see README.md, "The bundled ffmpeg"). Each has FFmpeg's native `aac` encoder. The only arm64
 * macOS build on npm is configured `--enable-nonfree` and may not be redistributed, so
 * Apple silicon gets the x64 build (Rosetta 2), as Windows on Arm gets the x64 one (x64
 * emulation). `checkRedistributable` refuses any binary whose configuration says nonfree.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FfmpegBuild {
  /** npm package and exact version. */
  spec: string;
  /** The tarball's npm integrity (sha512, base64). */
  integrity: string;
  /** The binary inside `package/`. */
  binary: 'ffmpeg' | 'ffmpeg.exe';
  /** Where the build comes from, for the licence notice. */
  origin: string;
}

const LINUX_X64: FfmpegBuild = {
  spec: '@ffmpeg-installer/linux-x64@4.1.0',
  integrity: 'sha512-Y5BWhGLU/WpQjOArNIgXD3z5mxxdV8c41C+U15nsE5yF8tVcdCGet5zPs5Zy3Ta6bU7haGpIzryutqCGQA/W8A==',
  binary: 'ffmpeg',
  origin: 'static build by John Van Sickle (johnvansickle.com/ffmpeg), git 0e8eb07980 (2018-12-10)',
};
const DARWIN_X64: FfmpegBuild = {
  spec: '@ffmpeg-installer/darwin-x64@4.1.0',
  integrity: 'sha512-Z4EyG3cIFjdhlY8wI9aLUXuH8nVt7E9SlMVZtWvSPnm2sm37/yC2CwjUzyCQbJbySnef1tQwGG2Sx+uWhd9IAw==',
  binary: 'ffmpeg',
  origin: 'static macOS build (evermeet.cx) of FFmpeg 4.1',
};
const WIN32_X64: FfmpegBuild = {
  spec: '@ffmpeg-installer/win32-x64@4.1.0',
  integrity: 'sha512-Drt5u2vzDnIONf4ZEkKtFlbvwj6rI3kxw1Ck9fpudmtgaZIHD4ucsWB2lCZBXRxJgXR+2IMSti+4rtM4C4rXgg==',
  binary: 'ffmpeg.exe',
  origin: 'static Windows build by Zeranoe, git f22fcd4 (2018-12-17)',
};

/** The pinned build per `<platform>-<arch>` target. */
export const FFMPEG_BUILDS: Record<string, FfmpegBuild> = {
  'linux-x64': LINUX_X64,
  'linux-arm64': {
    spec: '@ffmpeg-installer/linux-arm64@4.1.4',
    integrity: 'sha512-dljEqAOD0oIM6O6DxBW9US/FkvqvQwgJ2lGHOwHDDwu/pX8+V0YsDL1xqHbj1DMX/+nP9rxw7G7gcUvGspSoKg==',
    binary: 'ffmpeg',
    origin: 'static build by John Van Sickle (johnvansickle.com/ffmpeg), arm64',
  },
  'darwin-x64': DARWIN_X64,
  'darwin-arm64': DARWIN_X64,
  'win32-x64': WIN32_X64,
  'win32-arm64': WIN32_X64,
};

/** Refuses a binary built `--enable-nonfree` (not redistributable) or without `--enable-gpl` (unknown licence). */
export function checkRedistributable(binary: Buffer): { licence: string } {
  const at = binary.indexOf('--enable-gpl');
  if (at < 0) throw new Error('this ffmpeg has no --enable-gpl in its configuration: its licence cannot be told, so it is not shipped');
  const configuration = binary.subarray(Math.max(0, binary.lastIndexOf(0, at) + 1), binary.indexOf(0, at)).toString('latin1');
  if (configuration.includes('--enable-nonfree'))
    throw new Error('this ffmpeg is configured --enable-nonfree and may not be redistributed');
  return { licence: configuration.includes('--enable-version3') ? 'GPL-3.0-or-later' : 'GPL-2.0-or-later' };
}

/**
 * Puts the pinned ffmpeg for `target` into `<resourcesDir>/ffmpeg/<target>/` (skipped when that
 * build is already there) and returns the binary's path. `cacheDir` keeps downloaded tarballs.
 */
export function fetchFfmpeg(target: string, resourcesDir: string, cacheDir: string): string {
  const build = FFMPEG_BUILDS[target];
  if (!build) throw new Error(`no redistributable ffmpeg is pinned for ${target}; known: ${Object.keys(FFMPEG_BUILDS).join(', ')}`);
  const dir = join(resourcesDir, 'ffmpeg', target);
  const binaryPath = join(dir, build.binary);
  const stamp = join(dir, 'SOURCE.txt');
  if (existsSync(binaryPath) && existsSync(stamp) && readFileSync(stamp, 'utf8').includes(build.integrity)) return binaryPath;

  mkdirSync(cacheDir, { recursive: true });
  const tarball = join(cacheDir, `${build.spec.replace(/[@/]/g, '_')}.tgz`);
  if (!existsSync(tarball) || integrityOf(tarball) !== build.integrity) {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', build.spec, '--json', '--pack-destination', cacheDir], { encoding: 'utf8' }),
    ) as Array<{
      filename: string;
    }>;
    copyFileSync(join(cacheDir, packed!.filename), tarball);
  }
  const integrity = integrityOf(tarball);
  if (integrity !== build.integrity)
    throw new Error(`${build.spec}: the tarball's integrity ${integrity} is not the pinned ${build.integrity}`);

  const unpacked = mkdtempSync(join(tmpdir(), 'tally-ffmpeg-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', unpacked, `package/${build.binary}`]);
    const binary = readFileSync(join(unpacked, 'package', build.binary));
    const { licence } = checkRedistributable(binary);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(binaryPath, binary);
    chmodSync(binaryPath, 0o755);
    writeFileSync(
      stamp,
      `FFmpeg for ${target}: ${build.origin}.\nnpm package ${build.spec} (${build.integrity}).\nLicence: ${licence} (configured --enable-gpl, not --enable-nonfree). FFmpeg's source: https://ffmpeg.org/download.html; see README.md, "The bundled ffmpeg".\n`,
    );
    return binaryPath;
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }
}

function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}
