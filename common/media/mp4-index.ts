/**
 * The finishing half of a hybrid MP4 (as OBS 30.2 writes them): while recording, the file is
 * a fragmented MP4 (`fmp4.ts`: ftyp + moov/mvex, then moof + mdat every second or less), so a
 * crash leaves a playable file. On a normal stop, a complete `moov` whose sample tables point
 * into the fragments' mdat payloads is appended, and the fragment boxes are renamed `free`,
 * so every player reads an ordinary MP4. This file indexes the samples as they are written
 * and builds that `moov`. Spec: ISO/IEC 14496-12 8.2.2 (mvhd), 8.6.1.2 (stts), 8.6.1.3
 * (ctts), 8.6.2 (stss), 8.7.3 (stsz), 8.7.4 (stsc), 8.7.5 (stco/co64), 8.6.6 (elst).
 */
import { MediaFormatError } from './errors.ts';
import { BoxWriter, writeTrak, type Fmp4Sample, type Fmp4Track } from './fmp4.ts';

/** The movie timescale of a finalised file: milliseconds. */
export const MOVIE_TIMESCALE = 1000;

/** A growable array of unsigned 32-bit values (sample sizes of a long recording, compactly). */
class U32List {
  private values = new Uint32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  at(index: number): number {
    return this.values[index]!;
  }
}

/** Run-length entries (count, value), as stts and ctts store them. */
class Runs {
  readonly entries: [count: number, value: number][] = [];

  push(value: number): void {
    const last = this.entries[this.entries.length - 1];
    if (last && last[1] === value) last[0]++;
    else this.entries.push([1, value]);
  }
}

/** The samples of one track written so far, and where their bytes are in the file. */
export class Mp4TrackIndex {
  readonly track: Fmp4Track;
  private readonly sizes = new U32List();
  private readonly durations = new Runs();
  private readonly compositionOffsets = new Runs();
  private readonly syncSamples: number[] = [];
  private readonly chunks: { offset: number; samples: number }[] = [];
  private allSync = true;
  private hasCompositionOffsets = false;
  /** Decode time of the first sample, in the track's ticks from the presentation's start; null before any. */
  firstDecodeTicks: number | null = null;
  /** Sum of the sample durations, ticks. */
  durationTicks = 0;

  constructor(track: Fmp4Track) {
    this.track = track;
  }

  /** Samples written so far. */
  get sampleCount(): number {
    return this.sizes.length;
  }

  /**
   * Records samples whose bytes lie contiguously at `fileOffset` (one chunk), the first of them
   * decoded at `baseDecodeTicks`.
   */
  addChunk(samples: readonly Fmp4Sample[], fileOffset: number, baseDecodeTicks: number): void {
    if (samples.length === 0) return;
    if (!Number.isSafeInteger(fileOffset) || fileOffset < 0) throw new MediaFormatError(`invalid chunk offset ${fileOffset}`);
    this.firstDecodeTicks ??= baseDecodeTicks;
    this.chunks.push({ offset: fileOffset, samples: samples.length });
    for (const sample of samples) {
      this.sizes.push(sample.data.length);
      this.durations.push(sample.durationTicks);
      this.durationTicks += sample.durationTicks;
      if (sample.keyframe) this.syncSamples.push(this.sizes.length);
      else this.allSync = false;
      this.compositionOffsets.push(sample.compositionOffsetTicks);
      if (sample.compositionOffsetTicks !== 0) this.hasCompositionOffsets = true;
    }
  }

  /** This track's trak for a progressive file. */
  writeTrak(b: BoxWriter): void {
    const start = this.firstDecodeTicks ?? 0;
    const emptyEditMovieTicks = Math.round((start * MOVIE_TIMESCALE) / this.track.timescale);
    const movieDurationTicks = emptyEditMovieTicks + Math.round((this.durationTicks * MOVIE_TIMESCALE) / this.track.timescale);
    writeTrak(b, this.track, {
      movieDurationTicks,
      mediaDurationTicks: this.durationTicks,
      emptyEditMovieTicks,
      writeSampleTables: (box) => this.writeSampleTables(box),
    });
  }

  /** The track's duration in the movie timescale, including where it starts. */
  get movieDurationTicks(): number {
    return Math.round((((this.firstDecodeTicks ?? 0) + this.durationTicks) * MOVIE_TIMESCALE) / this.track.timescale);
  }

  private writeSampleTables(b: BoxWriter): void {
    const w = b.w;
    b.fullBox('stts', 0, 0, () => {
      w.u32(this.durations.entries.length);
      for (const [count, delta] of this.durations.entries) w.u32(count).u32(delta);
    });
    if (!this.allSync)
      b.fullBox('stss', 0, 0, () => {
        w.u32(this.syncSamples.length);
        for (const sample of this.syncSamples) w.u32(sample);
      });
    if (this.hasCompositionOffsets)
      b.fullBox('ctts', 1, 0, () => {
        w.u32(this.compositionOffsets.entries.length);
        for (const [count, offset] of this.compositionOffsets.entries) w.u32(count).i32(offset);
      });
    b.fullBox('stsc', 0, 0, () => {
      const runs: [firstChunk: number, samples: number][] = [];
      this.chunks.forEach((chunk, index) => {
        if (runs[runs.length - 1]?.[1] !== chunk.samples) runs.push([index + 1, chunk.samples]);
      });
      w.u32(runs.length);
      for (const [firstChunk, samples] of runs) w.u32(firstChunk).u32(samples).u32(1);
    });
    b.fullBox('stsz', 0, 0, () => {
      w.u32(0).u32(this.sizes.length);
      for (let i = 0; i < this.sizes.length; i++) w.u32(this.sizes.at(i));
    });
    const wide = this.chunks.some((chunk) => chunk.offset > 0xffffffff);
    b.fullBox(wide ? 'co64' : 'stco', 0, 0, () => {
      w.u32(this.chunks.length);
      for (const chunk of this.chunks) {
        if (wide) w.u64(chunk.offset);
        else w.u32(chunk.offset);
      }
    });
  }
}

/** The ftyp of a hybrid recording: plain ISO BMFF brands every player knows, with iso6 for its fragments. */
export function hybridFileType(): Uint8Array {
  const b = new BoxWriter();
  b.box('ftyp', () => {
    b.w.ascii('isom').u32(0x200);
    for (const brand of ['isom', 'iso2', 'iso6', 'avc1', 'mp41']) b.w.ascii(brand);
  });
  return b.w.finish().slice();
}

/** The complete moov of a finalised recording: mvhd and one progressive trak per track that has samples. */
export function progressiveMovieBox(indexes: readonly Mp4TrackIndex[]): Uint8Array {
  const used = indexes.filter((index) => index.sampleCount > 0);
  if (used.length === 0) throw new MediaFormatError('a movie needs at least one sample');
  const b = new BoxWriter();
  const w = b.w;
  b.box('moov', () => {
    b.fullBox('mvhd', 0, 0, () => {
      w.u32(0)
        .u32(0)
        .u32(MOVIE_TIMESCALE)
        .u32(Math.max(...used.map((index) => index.movieDurationTicks)));
      w.u32(0x00010000).u16(0x0100).zeros(10);
      b.matrix();
      w.zeros(24).u32(Math.max(...used.map((index) => index.track.id)) + 1);
    });
    for (const index of used) index.writeTrak(b);
  });
  return w.finish().slice();
}
