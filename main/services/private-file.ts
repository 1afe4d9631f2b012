/**
 * Small secrets kept as files of mode 0600 in the data directory (the web host's stream-key
 * cipher key, the web studio's access token): read when there, created once when not.
 */
import { chmodSync, closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';

/**
 * Reads `path`, or creates it with `create()`'s bytes and mode 0600 when it does not exist.
 * A file whose mode lets group or others read it is tightened to 0600. `check` throws for
 * contents that cannot be used (the error reaches the caller; the file is left as it is).
 * Creation uses `wx`, so two processes starting together never overwrite each other: the
 * loser reads what the winner wrote.
 *
 * @throws the file system's error for anything but a missing file (EACCES, EISDIR…), or `check`'s.
 */
export function readOrCreatePrivateFile(path: string, create: () => Buffer, check: (contents: Buffer) => void = () => {}): Buffer {
  for (let attempt = 0; ; attempt++) {
    try {
      const contents = readFileSync(path);
      check(contents);
      if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
      return contents;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 0) throw error;
    }
    const contents = create();
    let fd: number;
    try {
      // Mode applies at creation.
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    try {
      writeSync(fd, contents);
    } finally {
      closeSync(fd);
    }
    return contents;
  }
}
