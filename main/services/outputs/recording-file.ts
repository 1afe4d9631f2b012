/**
 * The file a recording writer appends to, whatever its format: created without overwriting,
 * written with synchronous positioned writes (a unit a second is small, and a crash leaves
 * nothing half-queued in memory), and kept ending on a whole unit (an MP4 fragment, a run of
 * FLV tags): a write that fails, ENOSPC on a full disk, truncates it back to the end of the
 * last whole unit and rethrows, so what was written stays playable. The recorder turns the
 * error into its message for the user.
 */
import { closeSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';

export class RecordingFile {
  readonly path: string;
  private fd: number | null;
  /** End of the last whole unit: what a failed write truncates back to. */
  private committedBytes = 0;

  /** Creates the file; throws (EEXIST) rather than overwrite one. */
  constructor(path: string) {
    this.path = path;
    this.fd = openSync(path, 'wx', 0o644);
  }

  /** Bytes in the file. */
  get bytes(): number {
    return this.committedBytes;
  }

  /** Appends one whole unit; returns the offset it starts at. Throws (the file truncated back to where it was) when the write fails. */
  append(bytes: Uint8Array): number {
    const fd = this.requireOpen();
    const at = this.committedBytes;
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, at + written);
    } catch (error) {
      try {
        ftruncateSync(fd, at);
      } catch {
        // Truncation shrinks; if even that fails, readers stop at the partial unit.
      }
      throw error;
    }
    this.committedBytes += bytes.length;
    return at;
  }

  /** Overwrites bytes already written (a header field, a box type) at `offset`. */
  patch(offset: number, bytes: Uint8Array): void {
    if (offset < 0 || offset + bytes.length > this.committedBytes) throw new RangeError(`patch at ${offset} is outside ${this.path}`);
    writeSync(this.requireOpen(), bytes, 0, bytes.length, offset);
  }

  /** Flushes what was written to the disk. */
  sync(): void {
    fsyncSync(this.requireOpen());
  }

  /** Syncs and closes. */
  close(): void {
    this.sync();
    this.closeQuietly();
  }

  /** Closes after a failure: syncs if the disk still lets it, keeps what is there. Safe to call twice. */
  abandon(): void {
    if (this.fd === null) return;
    try {
      fsyncSync(this.fd);
    } catch {
      // The disk is what failed; the data already written is all there is.
    }
    this.closeQuietly();
  }

  private requireOpen(): number {
    if (this.fd === null) throw new Error(`${this.path} is already closed`);
    return this.fd;
  }

  private closeQuietly(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } finally {
      this.fd = null;
    }
  }
}

/** What every format's writer shares: its file, created with the format's header, and closing it after a failure. */
export abstract class RecordingFileWriter {
  protected readonly file: RecordingFile;

  /** Creates `path` (refusing to overwrite one) and writes `header`; closes it again when the header cannot be written. */
  protected constructor(path: string, header: Uint8Array) {
    this.file = new RecordingFile(path);
    try {
      this.file.append(header);
    } catch (error) {
      this.file.abandon();
      throw error;
    }
  }

  get path(): string {
    return this.file.path;
  }

  get bytes(): number {
    return this.file.bytes;
  }

  /** Closes without completing: the file plays up to its last whole unit. */
  abandon(): void {
    this.file.abandon();
  }
}
