/**
 * The one interface the recorder writes through, and the writer for each recording format
 * (`common/host/recording-format.ts`): hybrid MP4 (`hybrid-mp4-writer.ts`), fragmented MP4
 * (`fragmented-mp4-writer.ts`) and FLV (`flv-writer.ts`). Each appends through a
 * `RecordingFile`, which keeps the file ending on a whole unit when a write fails.
 */
import type { RecordingFormat } from '../../../common/host/recording-format.ts';
import type { Fmp4Sample, Fmp4Track } from '../../../common/media/fmp4.ts';
import { FlvWriter } from './flv-writer.ts';
import { FragmentedMp4Writer } from './fragmented-mp4-writer.ts';
import { HybridMp4Writer } from './hybrid-mp4-writer.ts';

/** The samples of one track going into a fragment, with the decode time of the first (in the track's timescale). */
export interface TrackFragment {
  trackId: number;
  baseDecodeTicks: number;
  samples: readonly Fmp4Sample[];
}

/** A recording file being written. */
export interface RecordingWriter {
  readonly path: string;
  /** Bytes in the file. */
  readonly bytes: number;
  /**
   * Writes these tracks' samples (at most a second of media) as one whole unit. Throws the
   * write's error (ENOSPC) with the file truncated back to the last whole unit.
   */
  writeFragment(fragments: readonly TrackFragment[]): void;
  /** Completes the file (the hybrid MP4's index, the FLV's duration), syncs and closes. Throws when the disk refuses. */
  finalize(): void;
  /** Closes without completing, after a failure: the file plays up to its last whole unit. */
  abandon(): void;
}

/** Creates `path` (never overwriting) in `format` for these tracks and writes its header. */
export function openRecordingWriter(format: RecordingFormat, path: string, tracks: readonly Fmp4Track[]): RecordingWriter {
  switch (format) {
    case 'hybrid-mp4':
      return new HybridMp4Writer(path, tracks);
    case 'fragmented-mp4':
      return new FragmentedMp4Writer(path, tracks);
    case 'flv':
      return new FlvWriter(path, tracks);
  }
}
