/**
 * Writes a hybrid MP4 file (as OBS 30.2 does): a fragmented MP4 while recording (ftyp,
 * moov with mvex, then one moof + mdat per fragment, each written with one positioned
 * write), so that a crash or a kill -9 leaves a file that plays up to its last fragment;
 * on `finalize`, a complete progressive `moov` is appended and the fragmented moov and every
 * moof are renamed `free`, so the file is an ordinary MP4 every player opens. Synchronous
 * I/O: a fragment a second is small, and a crash leaves nothing half-queued in memory.
 *
 * A write that fails (ENOSPC on a full disk) truncates the file back to its last whole
 * fragment, so what was written stays playable.
 */
import { closeSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { fmp4InitSegment, fmp4MediaSegment, type Fmp4Fragment, type Fmp4Sample, type Fmp4Track } from '../../../common/media/fmp4.ts';
import { hybridFileType, Mp4TrackIndex, progressiveMovieBox } from '../../../common/media/mp4-index.ts';

/** The samples of one track going into a fragment, with the decode time of the first. */
export interface TrackFragment {
  trackId: number;
  baseDecodeTicks: number;
  samples: readonly Fmp4Sample[];
}

const FREE = [0x66, 0x72, 0x65, 0x65]; // 'free'

export class HybridMp4Writer {
  readonly path: string;
  private fd: number | null;
  private readonly indexes: Map<number, Mp4TrackIndex>;
  /** End of the last complete fragment: what a failed write truncates back to. */
  private committedBytes = 0;
  private sequence = 1;
  private readonly renameOnFinalize: number[] = [];

  /** Creates the file (refusing to overwrite one) and writes ftyp and the fragmented moov. */
  constructor(path: string, tracks: readonly Fmp4Track[]) {
    this.path = path;
    this.indexes = new Map(tracks.map((track) => [track.id, new Mp4TrackIndex(track)]));
    this.fd = openSync(path, 'wx', 0o644);
    try {
      const ftyp = hybridFileType();
      // fmp4InitSegment writes its own ftyp (CMAF brands); keep only its moov.
      const init = fmp4InitSegment(tracks);
      const moov = init.subarray(new DataView(init.buffer, init.byteOffset).getUint32(0));
      this.append(ftyp);
      this.renameOnFinalize.push(this.committedBytes);
      this.append(moov);
    } catch (error) {
      this.closeQuietly();
      throw error;
    }
  }

  /** Bytes in the file. */
  get bytes(): number {
    return this.committedBytes;
  }

  /** Writes one moof + mdat holding these tracks' samples. */
  writeFragment(fragments: readonly TrackFragment[]): void {
    const used = fragments.filter((fragment) => fragment.samples.length > 0);
    if (used.length === 0) return;
    const segment = fmp4MediaSegment(
      this.sequence++,
      used.map((fragment): Fmp4Fragment => ({
        trackId: fragment.trackId,
        baseDecodeTimeTicks: fragment.baseDecodeTicks,
        samples: fragment.samples,
      })),
    );
    const moofOffset = this.committedBytes;
    const moofSize = new DataView(segment.buffer, segment.byteOffset).getUint32(0);
    this.append(segment);
    // The mdat holds the tracks' samples in fragment order: one chunk per track.
    let chunkOffset = moofOffset + moofSize + 8;
    for (const fragment of used) {
      this.indexes.get(fragment.trackId)?.addChunk(fragment.samples, chunkOffset, fragment.baseDecodeTicks);
      chunkOffset += fragment.samples.reduce((sum, sample) => sum + sample.data.length, 0);
    }
    this.renameOnFinalize.push(moofOffset);
  }

  /**
   * Appends the progressive moov and renames the fragment boxes, then closes. The moov goes
   * first and is synced before any rename, so a crash during finalisation still leaves a
   * file some reader can play.
   */
  finalize(): void {
    const fd = this.requireOpen();
    const hasSamples = [...this.indexes.values()].some((index) => index.sampleCount > 0);
    if (hasSamples) {
      this.append(progressiveMovieBox([...this.indexes.values()]));
      fsyncSync(fd);
      for (const offset of this.renameOnFinalize) writeSync(fd, Uint8Array.from(FREE), 0, 4, offset + 4);
      fsyncSync(fd);
    }
    this.closeQuietly();
  }

  /** Closes without finalising: the file stays a fragmented MP4 (after a failure). */
  abandon(): void {
    if (this.fd === null) return;
    try {
      fsyncSync(this.fd);
    } catch {
      // The disk is what failed; the data already written is all there is.
    }
    this.closeQuietly();
  }

  /** Whether any sample was written. */
  get hasSamples(): boolean {
    return [...this.indexes.values()].some((index) => index.sampleCount > 0);
  }

  private append(bytes: Uint8Array): void {
    const fd = this.requireOpen();
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, this.committedBytes + written);
    } catch (error) {
      // Keep the file ending on a whole box.
      try {
        ftruncateSync(fd, this.committedBytes);
      } catch {
        // Truncation shrinks; if even that fails, readers stop at the partial box.
      }
      throw error;
    }
    this.committedBytes += bytes.length;
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
