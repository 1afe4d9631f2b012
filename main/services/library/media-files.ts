/**
 * Files on disk as the library meets them: which names are media, the SHA-256 of a file read
 * in chunks (so a large recording never blocks the host for long), folders walked recursively,
 * free names for new files, and moves that also work across disks.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { copyFile, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { CancelledError } from './ffmpeg-process.ts';

/** Extensions the library imports, by what they usually hold (ffprobe decides for real). */
export const MEDIA_EXTENSIONS: Readonly<Record<string, 'video' | 'image' | 'audio'>> = {
  '.mp4': 'video',
  '.m4v': 'video',
  '.mov': 'video',
  '.mkv': 'video',
  '.webm': 'video',
  '.flv': 'video',
  '.avi': 'video',
  '.ts': 'video',
  '.mts': 'video',
  '.m2ts': 'video',
  '.mpg': 'video',
  '.mpeg': 'video',
  '.wmv': 'video',
  '.png': 'image',
  '.jpg': 'image',
  '.jpeg': 'image',
  '.webp': 'image',
  '.gif': 'image',
  '.bmp': 'image',
  '.avif': 'image',
  '.mp3': 'audio',
  '.wav': 'audio',
  '.m4a': 'audio',
  '.aac': 'audio',
  '.flac': 'audio',
  '.ogg': 'audio',
  '.opus': 'audio',
};

/** True for a file name the library imports: a known extension, not hidden, not a partial download. */
export function isMediaFileName(name: string): boolean {
  const base = basename(name);
  return !base.startsWith('.') && Object.hasOwn(MEDIA_EXTENSIONS, extname(base).toLowerCase());
}

/** Content type for serving a file, by extension. */
export function mediaContentType(path: string): string {
  const ext = extname(path).toLowerCase();
  const types: Record<string, string> = {
    '.mp4': 'video/mp4',
    '.m4v': 'video/mp4',
    '.mov': 'video/quicktime',
    '.mkv': 'video/x-matroska',
    '.webm': 'video/webm',
    '.flv': 'video/x-flv',
    '.avi': 'video/x-msvideo',
    '.ts': 'video/mp2t',
    '.png': 'image/png',
    '.jpg': 'image/jpeg',
    '.jpeg': 'image/jpeg',
    '.webp': 'image/webp',
    '.gif': 'image/gif',
    '.bmp': 'image/bmp',
    '.avif': 'image/avif',
    '.mp3': 'audio/mpeg',
    '.wav': 'audio/wav',
    '.m4a': 'audio/mp4',
    '.aac': 'audio/aac',
    '.flac': 'audio/flac',
    '.ogg': 'audio/ogg',
    '.opus': 'audio/ogg',
  };
  return types[ext] ?? 'application/octet-stream';
}

const HASH_CHUNK_BYTES = 1024 * 1024;

/** SHA-256 of a file, hex, read in 1 MiB chunks; stops with `CancelledError` when `signal` aborts. */
export async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, { highWaterMark: HASH_CHUNK_BYTES });
  try {
    for await (const chunk of stream) {
      if (signal?.aborted) throw new CancelledError();
      hash.update(chunk as Buffer);
    }
  } finally {
    stream.destroy();
  }
  return hash.digest('hex');
}

/** When a file was made: its birth time where the file system keeps one, else its last change. */
export function createdAtMsOf(stats: Stats): number {
  return Math.round(stats.birthtimeMs > 0 ? Math.min(stats.birthtimeMs, stats.mtimeMs) : stats.mtimeMs);
}

/**
 * Every media file under `root`, depth first, without following symbolic links (no loops)
 * and without hidden files or folders. Unreadable folders are skipped.
 */
export async function* walkMediaFiles(root: string, signal?: AbortSignal): AsyncGenerator<string> {
  const pending = [root];
  while (pending.length > 0) {
    if (signal?.aborted) throw new CancelledError();
    const dir = pending.pop()!;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isFile() && isMediaFileName(entry.name)) yield full;
    }
  }
}

/** A path in `dir` named like `name` that no file holds yet: `clip.mp4`, `clip (2).mp4`, ... */
export async function freePath(dir: string, name: string): Promise<string> {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; n < 10_000; n++) {
    const candidate = join(dir, n === 1 ? name : `${stem} (${n})${ext}`);
    try {
      // `wx` creates it, so two callers never pick the same name.
      await (await open(candidate, 'wx')).close();
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`no free file name like ${name} in ${dir}`);
}

/** Moves a file; across disks (EXDEV) it copies and then removes the original. */
export async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await unlink(from);
  }
}

/** `stat`, or null when the file is not there. */
export async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}
