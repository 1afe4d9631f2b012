/**
 * What a recording file holds, read back from the file itself: for a recording a crash cut
 * short, whose row never got the figures the recorder writes on a normal stop. MP4 (hybrid or
 * fragmented, whatever stage it was left in) through mediabunny's demuxer; FLV through
 * `common/media/flv.ts`'s reader (mediabunny has no FLV demuxer). Both tolerate a file that
 * ends mid-fragment or mid-tag: the duration is where the last sample whose bytes are all on
 * disk ends, which is where a player stops.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { ALL_FORMATS, CustomSource, EncodedPacketSink, Input, type InputTrack } from 'mediabunny';
import { parseAacConfig, aacCodecString } from '../../../common/media/aac.ts';
import { avcCodecString, parseAvcDecoderConfig, parseAvcSps } from '../../../common/media/avc.ts';
import { MediaFormatError } from '../../../common/media/errors.ts';
import { FlvReader, FlvTagType, parseAudioTagHeader, parseVideoTagHeader } from '../../../common/media/flv.ts';

/** A recording's figures, as the recorder indexes them on a normal stop. */
export interface RecordingFacts {
  /** From the first sample to the end of the last whole one, ms; 0 when the file holds no sample. */
  durationMs: number;
  /** RFC 6381 codec strings (`avc1.64001f`, `mp4a.40.2`), or null for a track the file lacks. */
  videoCodec: string | null;
  audioCodec: string | null;
  /** The picture size, px. */
  width: number | null;
  height: number | null;
}

/** How many samples from the end are checked for bytes on disk before trusting the index (more than a 1 s fragment holds). */
const MAX_MISSING_SAMPLES = 2000;
const FLV_SIGNATURE = [0x46, 0x4c, 0x56];

/**
 * Reads a recording's facts. Throws (with a message fit for a log line) when the file is
 * neither an MP4 nor an FLV that can be read, or cannot be opened.
 */
export async function readRecordingFacts(path: string): Promise<RecordingFacts> {
  return (await startsWith(path, FLV_SIGNATURE)) ? readFlvFacts(path) : readMp4Facts(path);
}

async function startsWith(path: string, signature: readonly number[]): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(signature.length);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return bytesRead === signature.length && signature.every((byte, index) => head[index] === byte);
  } finally {
    await file.close();
  }
}

async function readMp4Facts(path: string): Promise<RecordingFacts> {
  const file = await open(path, 'r');
  // mediabunny asserts on a box cut short (a moof, a moov being appended at finalisation):
  // it sees the file up to its last whole box, or into an mdat cut short (the samples still
  // whole in it play).
  const readable = await readableMp4Length(file);
  const input = new Input({
    formats: ALL_FORMATS,
    source: new CustomSource({
      getSize: () => readable,
      read: async (start, end) => {
        const bytes = new Uint8Array(end - start);
        const { bytesRead } = await file.read(bytes, 0, bytes.length, start);
        return bytes.subarray(0, bytesRead);
      },
    }),
  });
  try {
    const format = await input.getFormat();
    if (format.name !== 'MP4' && format.name !== 'QuickTime File Format') throw new Error(`not an MP4 recording (${format.name})`);
    const video = await input.getPrimaryVideoTrack();
    const audio = await input.getPrimaryAudioTrack();
    const tracks = [video, audio].filter((track) => track !== null);
    let first = Infinity;
    let end = -Infinity;
    for (const track of tracks) {
      const span = await wholeSamplesSpan(track);
      if (!span) continue;
      first = Math.min(first, span.firstSec);
      end = Math.max(end, span.endSec);
    }
    return {
      durationMs: end > first ? Math.round((end - first) * 1000) : 0,
      videoCodec: video ? await video.getCodecParameterString() : null,
      audioCodec: audio ? await audio.getCodecParameterString() : null,
      width: video?.displayWidth || null,
      height: video?.displayHeight || null,
    };
  } finally {
    input.dispose();
    await file.close();
  }
}

/**
 * How much of an MP4 file is whole top-level boxes (ISO/IEC 14496-12 §4.2: a 32-bit size, or
 * 1 and a 64-bit size after the type, or 0 for "to the end"), plus an `mdat` cut short.
 */
async function readableMp4Length(file: FileHandle): Promise<number> {
  const size = (await file.stat()).size;
  const header = Buffer.alloc(16);
  let at = 0;
  while (at < size) {
    const { bytesRead } = await file.read(header, 0, 16, at);
    if (bytesRead < 8) return at;
    const type = header.toString('latin1', 4, 8);
    let boxSize = header.readUInt32BE(0);
    if (boxSize === 0) return size;
    if (boxSize === 1) {
      if (bytesRead < 16) return at;
      boxSize = Number(header.readBigUInt64BE(8));
    }
    if (boxSize < 8) return at; // not a box: what follows cannot be read either
    if (at + boxSize > size) return type === 'mdat' ? size : at;
    at += boxSize;
  }
  return size;
}

/**
 * The first sample's time and the end of the last sample whose bytes are all in the file, s.
 * A fragment cut short lists samples past the end of the file; mediabunny gives no packet for
 * those when asked for its data.
 */
async function wholeSamplesSpan(track: InputTrack): Promise<{ firstSec: number; endSec: number } | null> {
  const sink = new EncodedPacketSink(track);
  const first = await sink.getFirstPacket({ metadataOnly: true });
  if (!first) return null;
  let last = await sink.getPacket(Infinity, { metadataOnly: true });
  for (let checked = 0; last && checked < MAX_MISSING_SAMPLES; checked++) {
    if (await sink.getPacket(last.timestamp)) return { firstSec: first.timestamp, endSec: last.timestamp + last.duration };
    if (last.timestamp <= first.timestamp) return null;
    // The sample before it in presentation order.
    last = await sink.getPacket(last.timestamp - 1e-6, { metadataOnly: true });
  }
  return null;
}

/** Reads the whole FLV (tag by tag, 1 MiB at a time); a tag cut short at the end is left out. */
async function readFlvFacts(path: string): Promise<RecordingFacts> {
  const facts: RecordingFacts = { durationMs: 0, videoCodec: null, audioCodec: null, width: null, height: null };
  // Per track: the first and last tag times and the gap before the last, to estimate its length.
  const times = new Map<number, { first: number; last: number; step: number }>();
  const reader = new FlvReader((tag) => {
    if (tag.type === FlvTagType.video) {
      const header = parseVideoTagHeader(tag.payload);
      if (header.packet === 'sequenceStart' && header.codec === 'avc') {
        const record = parseAvcDecoderConfig(tag.payload.subarray(header.dataOffset));
        const sps = record.sps[0] ? parseAvcSps(record.sps[0]) : null;
        facts.videoCodec = avcCodecString(record);
        facts.width = sps?.width ?? null;
        facts.height = sps?.height ?? null;
      } else if (header.packet === 'codedFrames') note(times, tag.type, tag.timestamp);
    } else if (tag.type === FlvTagType.audio) {
      const header = parseAudioTagHeader(tag.payload);
      if (header.packet === 'sequenceStart' && header.codec === 'aac') {
        facts.audioCodec = aacCodecString(parseAacConfig(tag.payload.subarray(header.dataOffset)));
      } else if (header.packet === 'codedFrames') note(times, tag.type, tag.timestamp);
    }
  });
  const file = await open(path, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      try {
        // A copy: the reader keeps a tag's head across reads, and the chunk is reused.
        reader.feed(new Uint8Array(chunk.subarray(0, bytesRead)));
      } catch (error) {
        // Damage mid-file: a player stops there too. Not an FLV at all: say so.
        if (!(error instanceof MediaFormatError) || times.size === 0) throw error;
        break;
      }
    }
  } finally {
    await file.close();
  }
  const spans = [...times.values()];
  if (spans.length > 0) {
    const first = Math.min(...spans.map((span) => span.first));
    const end = Math.max(...spans.map((span) => span.last + span.step));
    facts.durationMs = end - first;
  }
  return facts;
}

function note(times: Map<number, { first: number; last: number; step: number }>, type: number, timestampMs: number): void {
  const seen = times.get(type);
  if (!seen) times.set(type, { first: timestampMs, last: timestampMs, step: 0 });
  else if (timestampMs > seen.last) times.set(type, { first: seen.first, last: timestampMs, step: timestampMs - seen.last });
}
