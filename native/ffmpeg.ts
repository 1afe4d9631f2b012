/**
 * Finds the ffmpeg binary Tally runs for AAC, transcoding, probing and thumbnails. Order:
 * a configured path (Settings, then `TALLY_FFMPEG`), a copy bundled with Tally, PATH, then the usual
 * install folders (a macOS app started from Finder or the Dock gets launchd's bare PATH,
 * `/usr/bin:/bin:/usr/sbin:/sbin`, so Homebrew's `/opt/homebrew/bin` is never on it). The
 * binary is run once (`-version`) so a broken or wrong file is reported here, not mid-stream.
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join, win32 } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export type FfmpegSource = 'configured' | 'bundled' | 'path' | 'install-folder';

/** A usable ffmpeg (or ffprobe) binary. */
export interface ResolvedBinary {
  path: string;
  /** Version as printed by `-version`, e.g. `5.1.6-0+deb12u1`. */
  version: string;
  source: FfmpegSource;
}

/** No usable binary was found; the message lists every place that was tried. */
export class FfmpegNotFoundError extends Error {
  override readonly name = 'FfmpegNotFoundError';
}

export interface ResolveFfmpegOptions {
  /** The path the user set in Settings; wins over `TALLY_FFMPEG` and is never silently replaced by another binary. */
  configuredPath?: string | null;
  /** `ffmpeg` or `ffprobe`. Default `ffmpeg`. */
  tool?: 'ffmpeg' | 'ffprobe';
  /** Environment to read `TALLY_FFMPEG` / `TALLY_FFPROBE` and `PATH` from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Folders that may hold a bundled copy (`resources/ffmpeg/<platform>-<arch>` in a checkout, the packaged resources dir in an app). */
  bundledDirs?: readonly string[];
  /** Folders package managers install into, tried after PATH. Default `commonInstallDirs(platform, env)`. */
  installDirs?: readonly string[];
  platform?: NodeJS.Platform;
}

/**
 * Where package managers put ffmpeg, per OS: Homebrew (Apple silicon, then Intel), MacPorts;
 * /usr/local and Snap on Linux; Chocolatey, Scoop, WinGet links and a hand-unpacked
 * `C:\ffmpeg\bin` on Windows.
 */
export function commonInstallDirs(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  switch (platform) {
    case 'darwin':
      return ['/opt/homebrew/bin', '/usr/local/bin', '/opt/local/bin'];
    case 'win32': {
      const dirs = [
        env.ProgramData && win32.join(env.ProgramData, 'chocolatey', 'bin'),
        env.USERPROFILE && win32.join(env.USERPROFILE, 'scoop', 'shims'),
        env.LOCALAPPDATA && win32.join(env.LOCALAPPDATA, 'Microsoft', 'WinGet', 'Links'),
        env.ProgramFiles && win32.join(env.ProgramFiles, 'ffmpeg', 'bin'),
        'C:\\ffmpeg\\bin',
      ];
      return dirs.filter((dir): dir is string => typeof dir === 'string' && dir.length > 0);
    }
    default:
      return ['/usr/local/bin', '/usr/bin', '/snap/bin', '/var/lib/flatpak/exports/bin'];
  }
}

/** Resolves ffmpeg (or ffprobe): configured path, then bundled copy, then PATH. */
export async function resolveFfmpeg(options: ResolveFfmpegOptions = {}): Promise<ResolvedBinary> {
  const tool = options.tool ?? 'ffmpeg';
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const exe = platform === 'win32' ? `${tool}.exe` : tool;
  const tried: string[] = [];

  if (options.configuredPath) {
    // A configured path that fails is an error, not a reason to silently pick another binary.
    return { path: options.configuredPath, version: await checkFfmpegBinary(options.configuredPath, tool), source: 'configured' };
  }
  const configured = env[tool === 'ffmpeg' ? 'TALLY_FFMPEG' : 'TALLY_FFPROBE'];
  if (configured) {
    const version = await probeVersion(configured);
    if (version) return { path: configured, version, source: 'configured' };
    throw new FfmpegNotFoundError(
      `${tool} configured at ${configured} (${tool === 'ffmpeg' ? 'TALLY_FFMPEG' : 'TALLY_FFPROBE'}) is missing or does not run`,
    );
  }

  for (const dir of options.bundledDirs ?? []) {
    const candidate = join(dir, exe);
    tried.push(candidate);
    const version = await probeVersion(candidate);
    if (version) return { path: candidate, version, source: 'bundled' };
  }

  const pathDirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const installDirs = (options.installDirs ?? commonInstallDirs(platform, env)).filter((dir) => !pathDirs.includes(dir));
  const searched: Array<[string, FfmpegSource]> = [
    ...pathDirs.map((dir): [string, FfmpegSource] => [dir, 'path']),
    ...installDirs.map((dir): [string, FfmpegSource] => [dir, 'install-folder']),
  ];
  for (const [dir, source] of searched) {
    const candidate = join(dir, exe);
    if (!(await isExecutable(candidate))) continue;
    tried.push(candidate);
    const version = await probeVersion(candidate);
    if (version) return { path: candidate, version, source };
  }

  throw new FfmpegNotFoundError(
    `${tool} was not found. Install it (Debian/Ubuntu: apt install ffmpeg; macOS: brew install ffmpeg) ` +
      `or set ${tool === 'ffmpeg' ? 'TALLY_FFMPEG' : 'TALLY_FFPROBE'} to its path.` +
      (tried.length ? ` Tried: ${tried.join(', ')}` : ` Neither PATH nor ${installDirs.join(', ')} holds one.`),
  );
}

/**
 * Runs `<path> -version` and returns the version it prints; throws `FfmpegNotFoundError` saying
 * what is wrong: a relative path, no such file, not executable, or a program that is not `tool`.
 */
export async function checkFfmpegBinary(path: string, tool: 'ffmpeg' | 'ffprobe' = 'ffmpeg'): Promise<string> {
  if (!isAbsolute(path)) throw new FfmpegNotFoundError(`${path} is not an absolute path to ${tool}`);
  try {
    await access(path, constants.F_OK);
  } catch {
    throw new FfmpegNotFoundError(`${path} does not exist`);
  }
  if (!(await isExecutable(path))) throw new FfmpegNotFoundError(`${path} is not executable`);
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(path, ['-hide_banner', '-version'], { timeout: 10_000 }));
  } catch (error) {
    throw new FfmpegNotFoundError(`${path} did not run: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const match = new RegExp(`^${tool} version (\\S+)`).exec(stdout);
  if (!match?.[1]) throw new FfmpegNotFoundError(`${path} ran, but it is not ${tool} (\`-version\` printed no "${tool} version" line)`);
  return match[1];
}

/** The default place a checkout or a package keeps its bundled ffmpeg. */
export function bundledFfmpegDir(resourcesDir: string): string {
  return join(resourcesDir, 'ffmpeg', `${process.platform}-${process.arch}`);
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function probeVersion(path: string): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync(path, ['-hide_banner', '-version'], { timeout: 10_000 });
    const match = /^\S+ version (\S+)/.exec(stdout);
    return match?.[1] ?? null;
  } catch {
    return null;
  }
}
