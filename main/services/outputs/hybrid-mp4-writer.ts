/**
 * Writes a hybrid MP4 file (as OBS 30.2 does): a fragmented MP4 while recording
 * (`fragmented-mp4-writer.ts`), so that a crash or a kill -9 leaves a file that plays up to
 * its last fragment; on `finalize`, a complete progressive `moov` (`common/media/mp4-index.ts`,
 * built from the samples indexed as they were written, without copying media) is appended and
 * the fragmented moov and every moof are renamed `free`, so the file is an ordinary MP4 every
 * player opens.
 */
import type { Fmp4Track } from '../../../common/media/fmp4.ts';
import { Mp4TrackIndex, progressiveMovieBox } from '../../../common/media/mp4-index.ts';
import { FragmentedMp4Writer } from './fragmented-mp4-writer.ts';
import type { TrackFragment } from './recording-writer.ts';

const FREE = Uint8Array.of(0x66, 0x72, 0x65, 0x65); // 'free'

export class HybridMp4Writer extends FragmentedMp4Writer {
  private readonly indexes: Map<number, Mp4TrackIndex>;
  /** The boxes renamed `free` on finalisation: the fragmented moov and every moof. */
  private readonly renameOnFinalize: number[];

  constructor(path: string, tracks: readonly Fmp4Track[]) {
    super(path, tracks);
    this.indexes = new Map(tracks.map((track) => [track.id, new Mp4TrackIndex(track)]));
    this.renameOnFinalize = [this.movieOffset];
  }

  protected override fragmentWritten(fragments: readonly TrackFragment[], moofOffset: number, moofSize: number): void {
    // The mdat holds the tracks' samples in fragment order: one chunk per track.
    let chunkOffset = moofOffset + moofSize + 8;
    for (const fragment of fragments) {
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
  override finalize(): void {
    const indexes = [...this.indexes.values()];
    if (indexes.some((index) => index.sampleCount > 0)) {
      this.file.append(progressiveMovieBox(indexes));
      this.file.sync();
      for (const offset of this.renameOnFinalize) this.file.patch(offset + 4, FREE);
    }
    this.file.close();
  }
}
