/**
 * Writes an FLV file (Adobe Flash Video File Format Specification v10.1, Annex E): the header,
 * an `onMetaData` script tag (E.5), the AVC and AAC sequence headers, then each fragment's
 * samples as audio and video tags interleaved by timestamp (ms), appended as one whole unit.
 * Append-only, so a crash or a kill -9 leaves a file that plays up to its last fragment. On
 * `finalize`, `onMetaData`'s `duration` (s) and `filesize` (bytes), written as 0 at the start,
 * are overwritten in place. Tags come from `common/media/flv.ts`, the muxer RTMP uses.
 */
import { AmfEcmaArray, encodeAmf0 } from '../../../common/media/amf0.ts';
import { concatBytes } from '../../../common/media/bytes.ts';
import type { Fmp4Track } from '../../../common/media/fmp4.ts';
import {
  aacAudioTagBody,
  avcVideoTagBody,
  encodeFlvTag,
  FLV_TAG_HEADER_SIZE,
  flvFileHeader,
  FlvTagType,
} from '../../../common/media/flv.ts';
import { RecordingFileWriter } from './recording-file.ts';
import type { RecordingWriter, TrackFragment } from './recording-writer.ts';

interface Tag {
  type: number;
  timestampMs: number;
  body: Uint8Array;
}

export class FlvWriter extends RecordingFileWriter implements RecordingWriter {
  private readonly tracks: ReadonlyMap<number, Fmp4Track>;
  /** Where `onMetaData`'s `duration` and `filesize` numbers (8-byte doubles) are in the file. */
  private readonly durationOffset: number;
  private readonly fileSizeOffset: number;
  /** Where the last tag written ends, ms. */
  private endMs = 0;

  /** Creates the file (refusing to overwrite one) and writes the header, `onMetaData` and the sequence headers. */
  constructor(path: string, tracks: readonly Fmp4Track[]) {
    const header = flvHeader(tracks);
    super(path, header.bytes);
    this.tracks = new Map(tracks.map((track) => [track.id, track]));
    this.durationOffset = header.durationOffset;
    this.fileSizeOffset = header.fileSizeOffset;
  }

  writeFragment(fragments: readonly TrackFragment[]): void {
    const tags: Tag[] = [];
    for (const fragment of fragments) {
      const track = this.tracks.get(fragment.trackId);
      if (!track) continue;
      const msPerTick = 1000 / track.timescale;
      let tick = fragment.baseDecodeTicks;
      for (const sample of fragment.samples) {
        const timestampMs = Math.round(tick * msPerTick);
        tags.push(
          track.kind === 'video'
            ? {
                type: FlvTagType.video,
                timestampMs,
                body: avcVideoTagBody({
                  keyframe: sample.keyframe,
                  packetType: 1,
                  compositionTimeMs: Math.round(sample.compositionOffsetTicks * msPerTick),
                  data: sample.data,
                }),
              }
            : { type: FlvTagType.audio, timestampMs, body: aacAudioTagBody(1, sample.data) },
        );
        tick += sample.durationTicks;
      }
      this.endMs = Math.max(this.endMs, Math.round(tick * msPerTick));
    }
    if (tags.length === 0) return;
    // Interleaved by decode time, as players read them (a stable sort keeps each track's order).
    tags.sort((a, b) => a.timestampMs - b.timestampMs);
    this.file.append(concatBytes(tags.map((tag) => encodeFlvTag(tag.type, tag.timestampMs, tag.body))));
  }

  finalize(): void {
    this.file.patch(this.durationOffset, float64(this.endMs / 1000));
    this.file.patch(this.fileSizeOffset, float64(this.file.bytes));
    this.file.close();
  }
}

/** The FLV header, `onMetaData` (0 for `duration` and `filesize` until finalize) and the sequence headers, with where those two numbers are. */
function flvHeader(tracks: readonly Fmp4Track[]): { bytes: Uint8Array; durationOffset: number; fileSizeOffset: number } {
  const video = tracks.find((track) => track.kind === 'video');
  const audio = tracks.find((track) => track.kind === 'audio');
  const meta = new AmfEcmaArray();
  // A file a crash cut short keeps the placeholders, and readers take its tags' timestamps.
  meta.entries.duration = 0;
  meta.entries.filesize = 0;
  if (video) Object.assign(meta.entries, { width: video.width ?? 0, height: video.height ?? 0, videocodecid: 7 });
  if (audio) Object.assign(meta.entries, { audiocodecid: 10, audiosamplerate: audio.sampleRateHz ?? 48_000, stereo: audio.channels === 2 });
  meta.entries.encoder = 'Tally';
  const fileHeader = flvFileHeader({ audio: Boolean(audio), video: Boolean(video) });
  const scriptBody = encodeAmf0(['onMetaData', meta]);
  const scriptBodyAt = fileHeader.length + FLV_TAG_HEADER_SIZE;
  const sequenceHeaders = [
    video && encodeFlvTag(FlvTagType.video, 0, avcVideoTagBody({ keyframe: true, packetType: 0, data: video.config })),
    audio && encodeFlvTag(FlvTagType.audio, 0, aacAudioTagBody(0, audio.config)),
  ].filter((tag) => tag !== undefined);
  return {
    bytes: concatBytes([fileHeader, encodeFlvTag(FlvTagType.script, 0, scriptBody), ...sequenceHeaders]),
    durationOffset: scriptBodyAt + numberOffset(scriptBody, 'duration'),
    fileSizeOffset: scriptBodyAt + numberOffset(scriptBody, 'filesize'),
  };
}

/** Where the 8-byte double of the ECMA array entry `key` (AMF0 §2.2 number after §2.5 property name) is in an encoded script body. */
function numberOffset(body: Uint8Array, key: string): number {
  const name = Buffer.concat([Buffer.from([0, key.length]), Buffer.from(key, 'latin1'), Buffer.from([0])]);
  const at = Buffer.from(body.buffer, body.byteOffset, body.length).indexOf(name);
  if (at < 0) throw new Error(`onMetaData has no number "${key}"`);
  return at + name.length;
}

function float64(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setFloat64(0, value);
  return out;
}
