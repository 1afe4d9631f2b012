/**
 * Creates a folder the user chose (recordings, screenshots, a restored file's folder) one
 * level at a time, and checks that a file can be written in it. Node's
 * `mkdirSync(path, { recursive: true })` never returns for some paths (`/proc/nope` on
 * Node 24 spins at full CPU), which froze the whole host; here each level is one plain
 * `mkdir`, so every refusal comes back at once as a `FolderUnusableError`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserInputError } from '../../common/host/user-input-error.ts';

/** The folder cannot be used; `reason` says why in the user's words ("a file is in the way, not a folder"). */
export class FolderUnusableError extends UserInputError {
  override readonly name = 'FolderUnusableError';
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`${path} cannot be used as a folder: ${reason}`, options);
    this.path = path;
    this.reason = reason;
  }
}

const FILE_IN_THE_WAY = 'a file is in the way, not a folder';

function reasonFor(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return FILE_IN_THE_WAY;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'it cannot be written to';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'ENOENT':
      // The parent exists (checked before), yet it takes no new entry: a system folder such as /proc.
      return 'new folders or files cannot be made there';
    default:
      return `it cannot be used (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}

/**
 * Makes sure `path` (made absolute) is a folder a file can be written in: creates each
 * missing level below the nearest existing folder, then writes and removes a small probe
 * file. Returns the absolute path. Throws `FolderUnusableError` with the reason.
 */
export function ensureWritableFolder(path: string): string {
  const folder = resolve(path);
  const missing: string[] = [];
  for (let level = folder; ; level = dirname(level)) {
    let isFolder: boolean;
    try {
      isFolder = statSync(level).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(level) === level)
        throw new FolderUnusableError(folder, reasonFor(error), { cause: error });
      missing.unshift(level);
      continue;
    }
    if (!isFolder) throw new FolderUnusableError(folder, FILE_IN_THE_WAY);
    break;
  }
  const probe = join(folder, `.tally-write-check-${randomBytes(4).toString('hex')}`);
  const made: string[] = [];
  try {
    for (const level of missing) {
      try {
        mkdirSync(level);
        made.push(level);
      } catch (error) {
        // Made meanwhile by someone else: fine if it is a folder.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(level).isDirectory()) throw error;
      }
    }
    writeFileSync(probe, '', { flag: 'wx' });
    rmSync(probe, { force: true });
  } catch (error) {
    // Leave no half-made tree behind a refusal.
    for (const level of made.reverse()) {
      try {
        rmdirSync(level);
      } catch {
        break; // something was put there meanwhile: leave it
      }
    }
    throw new FolderUnusableError(folder, reasonFor(error), { cause: error });
  }
  return folder;
}
