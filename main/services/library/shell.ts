/**
 * What the library asks of the desktop, narrowly: a trash, a file manager to reveal a file in,
 * and a dialog to pick files. Electron implements it with `shell` and `dialog`
 * (main/electron/library-shell.ts); the web host has no desktop, so it keeps its own trash
 * folder, answers the path instead of revealing, and lets the page upload instead of a dialog.
 */
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ensureWritableFolder } from '../user-folder.ts';
import { freePath, moveFile, statOrNull } from './media-files.ts';

/** Where deleted files go until the trash is emptied. */
export interface LibraryTrash {
  /** `os`: the desktop's trash; `library`: the library's own trash folder. */
  readonly where: 'os' | 'library';
  /** Moves a file to the trash; answers what `restore` and `purge` need to find it again (or null). */
  moveToTrash(path: string): Promise<string | null>;
  /** Puts a trashed file back at `originalPath` (or beside it, when that name is taken); answers where it is now. */
  restore(originalPath: string, token: string | null): Promise<string>;
  /** Deletes a trashed file for good, where this trash can (the OS trash is emptied by its owner). */
  purge(token: string | null): Promise<void>;
}

/** The desktop services the library uses. */
export interface LibraryShell {
  readonly trash: LibraryTrash;
  /** Shows a file in the file manager; false where there is none to show it in. */
  reveal(path: string): Promise<boolean>;
  /** Asks the user for files (or folders) to import; null when cancelled. Absent where there is no dialog. */
  pickPaths?(options: { folders: boolean }): Promise<string[] | null>;
}

/** A file to restore is not in the trash any more. */
export class NotInTrashError extends Error {
  override readonly name = 'NotInTrashError';
}

/** The library's own trash: a folder in the data dir; what it holds can be put back until it is emptied. */
export class FolderTrash implements LibraryTrash {
  readonly where = 'library';
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  async moveToTrash(path: string): Promise<string> {
    const target = await freePath(this.dir, basename(path));
    try {
      await moveFile(path, target);
    } catch (error) {
      await rm(target, { force: true });
      throw error;
    }
    return target;
  }

  async restore(originalPath: string, token: string | null): Promise<string> {
    if (!token || !token.startsWith(this.dir) || !(await statOrNull(token))) {
      throw new NotInTrashError(`the trashed file of ${basename(originalPath)} is no longer in the library's trash`);
    }
    return putBack(token, originalPath);
  }

  async purge(token: string | null): Promise<void> {
    if (token && token.startsWith(this.dir)) await rm(token, { force: true });
  }
}

/** Moves a file from the trash to `originalPath`, or to a free name beside it when that is taken. */
export async function putBack(from: string, originalPath: string): Promise<string> {
  ensureWritableFolder(dirname(originalPath));
  const target = (await statOrNull(originalPath)) ? await freePath(dirname(originalPath), basename(originalPath)) : originalPath;
  await moveFile(from, target);
  return target;
}

/** The web host's shell: the library's own trash, no file manager, no dialog. */
export function webLibraryShell(dataDir: string): LibraryShell {
  return {
    trash: new FolderTrash(join(dataDir, 'library', 'trash')),
    reveal: async () => false,
  };
}
