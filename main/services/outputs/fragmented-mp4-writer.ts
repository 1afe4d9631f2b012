/**
 * Writes a fragmented MP4 (ISO/IEC 14496-12 §8.8): ftyp, a moov with mvex, then one
 * moof + mdat per fragment (`common/media/fmp4.ts`), each appended as one whole unit, so a
 * crash or a kill -9 leaves a file that plays up to its last fragment. Never finalised: stop
 * only syncs and closes. `HybridMp4Writer` is this file plus a progressive moov on stop.
 */
import { concatBytes } from '../../../common/media/bytes.ts';
import { fmp4InitSegment, fmp4MediaSegment, type Fmp4Fragment, type Fmp4Track } from '../../../common/media/fmp4.ts';
import { hybridFileType } from '../../../common/media/mp4-index.ts';
import { RecordingFileWriter } from './recording-file.ts';
import type { RecordingWriter, TrackFragment } from './recording-writer.ts';

export class FragmentedMp4Writer extends RecordingFileWriter implements RecordingWriter {
  /** Where the fragmented moov starts. */
  protected readonly movieOffset: number;
  private sequence = 1;

  /** Creates the file (refusing to overwrite one) and writes ftyp and the fragmented moov. */
  constructor(path: string, tracks: readonly Fmp4Track[]) {
    // fmp4InitSegment writes its own ftyp (CMAF brands, for HLS); a file gets the ISO brands every player knows.
    const init = fmp4InitSegment(tracks);
    const moov = init.subarray(new DataView(init.buffer, init.byteOffset).getUint32(0));
    const ftyp = hybridFileType();
    super(path, concatBytes([ftyp, moov]));
    this.movieOffset = ftyp.length;
  }

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
    const moofOffset = this.file.append(segment);
    this.fragmentWritten(used, moofOffset, new DataView(segment.buffer, segment.byteOffset).getUint32(0));
  }

  /** A fragment is on disk: its moof at `moofOffset`, `moofSize` bytes, then the mdat with each track's samples in order. */
  protected fragmentWritten(_fragments: readonly TrackFragment[], _moofOffset: number, _moofSize: number): void {}

  finalize(): void {
    this.file.close();
  }
}
