/**
 * Putting back a file that Electron's `shell.trashItem` moved to the desktop's trash, found by
 * its original path. Linux follows the freedesktop.org Trash specification 1.0 (the home trash
 * and the `$topdir/.Trash-$uid` / `$topdir/.Trash/$uid` trashes, `info/NAME.trashinfo` with
 * `Path=` and `DeletionDate=`); macOS looks in `~/.Trash` by name. Windows' Recycle Bin has no
 * interface Node reaches: there the user restores the file, and Tally finds it at its path.
 * https://specifications.freedesktop.org/trash-spec/1.0/
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, parse } from 'node:path';
import { NotInTrashError, putBack } from './shell.ts';
import { statOrNull } from './media-files.ts';

export interface OsTrashEnvironment {
  platform: NodeJS.Platform;
  home: string;
  /** XDG_DATA_HOME, when set. */
  xdgDataHome?: string | undefined;
  uid: number;
}

/** The current process's environment. */
export function currentOsTrashEnvironment(): OsTrashEnvironment {
  return {
    platform: process.platform,
    home: process.env.HOME ?? process.env.USERPROFILE ?? '/',
    xdgDataHome: process.env.XDG_DATA_HOME,
    uid: process.getuid?.() ?? 0,
  };
}

/** Puts a trashed file back where it was; answers where it is now. Throws `NotInTrashError` when it cannot be found. */
export async function restoreFromOsTrash(originalPath: string, environment: OsTrashEnvironment): Promise<string> {
  if (await statOrNull(originalPath)) return originalPath; // the user put it back already
  if (environment.platform === 'darwin') {
    const candidate = join(environment.home, '.Trash', basename(originalPath));
    if (await statOrNull(candidate)) return putBack(candidate, originalPath);
  } else if (environment.platform !== 'win32') {
    const found = await findFreedesktopTrashEntry(originalPath, environment);
    if (found) {
      const restored = await putBack(found.file, originalPath);
      await rm(found.info, { force: true });
      return restored;
    }
  }
  const where = environment.platform === 'win32' ? 'Recycle Bin' : 'Trash';
  throw new NotInTrashError(
    `${basename(originalPath)} was not found in the ${where}; restore it there and Tally finds it at ${originalPath}`,
  );
}

interface TrashEntry {
  file: string;
  info: string;
  deletedAt: string;
}

/** The most recent freedesktop trash entry whose original path is `originalPath`. */
export async function findFreedesktopTrashEntry(originalPath: string, environment: OsTrashEnvironment): Promise<TrashEntry | null> {
  const homeTrash = join(environment.xdgDataHome || join(environment.home, '.local', 'share'), 'Trash');
  const trashes: { dir: string; topdir: string | null }[] = [{ dir: homeTrash, topdir: null }];
  for (let folder = dirname(originalPath); ; folder = dirname(folder)) {
    trashes.push({ dir: join(folder, `.Trash-${environment.uid}`), topdir: folder });
    trashes.push({ dir: join(folder, '.Trash', String(environment.uid)), topdir: folder });
    if (folder === parse(folder).root) break;
  }
  let best: TrashEntry | null = null;
  for (const trash of trashes) {
    const infoDir = join(trash.dir, 'info');
    const names = await readdir(infoDir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.endsWith('.trashinfo')) continue;
      const info = join(infoDir, name);
      const parsed = parseTrashInfo(await readFile(info, 'utf8').catch(() => ''));
      if (!parsed) continue;
      const path = isAbsolute(parsed.path) || trash.topdir === null ? parsed.path : join(trash.topdir, parsed.path);
      if (path !== originalPath) continue;
      const file = join(trash.dir, 'files', name.slice(0, -'.trashinfo'.length));
      if (!(await statOrNull(file))) continue;
      if (!best || parsed.deletedAt > best.deletedAt) best = { file, info, deletedAt: parsed.deletedAt };
    }
  }
  return best;
}

/** Reads a `.trashinfo` file: `[Trash Info]`, `Path=` (URL-escaped), `DeletionDate=` (ISO 8601). */
export function parseTrashInfo(text: string): { path: string; deletedAt: string } | null {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '[Trash Info]') return null;
  let path: string | null = null;
  let deletedAt = '';
  for (const line of lines.slice(1)) {
    if (line.startsWith('Path=')) {
      try {
        path = decodeURIComponent(line.slice('Path='.length));
      } catch {
        return null;
      }
    } else if (line.startsWith('DeletionDate=')) deletedAt = line.slice('DeletionDate='.length).trim();
  }
  return path ? { path, deletedAt } : null;
}
