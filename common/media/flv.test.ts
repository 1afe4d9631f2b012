import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MediaFormatError } from './errors.ts';
import {
  aacAudioTagBody,
  avcVideoTagBody,
  encodeFlvTag,
  exVideoTagBody,
  flvFileHeader,
  FlvReader,
  FlvTagType,
  parseAudioTagHeader,
  parseVideoTagHeader,
  type FlvTag,
} from './flv.ts';

const fixture = new Uint8Array(readFileSync(join(import.meta.dirname, 'testdata', 'testsrc2-160x90.flv')));
const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

function readAll(bytes: Uint8Array, pieceSize = bytes.length): FlvTag[] {
  const tags: FlvTag[] = [];
  const reader = new FlvReader((tag) => tags.push({ ...tag, payload: tag.payload.slice() }));
  for (let i = 0; i < bytes.length; i += pieceSize) reader.feed(bytes.subarray(i, i + pieceSize));
  return tags;
}

describe('FLV', () => {
  it('reads the tags ffmpeg wrote: metadata, both sequence headers, a keyframe first, B-frame composition times', () => {
    const tags = readAll(fixture);
    expect(tags[0]!.type).toBe(FlvTagType.script);
    const video = tags.filter((tag) => tag.type === FlvTagType.video).map((tag) => parseVideoTagHeader(tag.payload));
    const audio = tags.filter((tag) => tag.type === FlvTagType.audio).map((tag) => parseAudioTagHeader(tag.payload));
    expect(video[0]).toMatchObject({ codec: 'avc', fourCc: 'avc1', packet: 'sequenceStart', keyframe: true, enhanced: false });
    expect(video[1]).toMatchObject({ packet: 'codedFrames', keyframe: true });
    expect(video.filter((header) => header.packet === 'codedFrames')).toHaveLength(15);
    expect(video.filter((header) => header.keyframe && header.packet === 'codedFrames')).toHaveLength(2); // -g 10, 15 frames
    expect(video.some((header) => header.compositionTimeMs > 0)).toBe(true);
    expect(audio[0]).toMatchObject({ codec: 'aac', packet: 'sequenceStart', dataOffset: 2 });
    expect(audio.slice(1).every((header) => header.packet === 'codedFrames')).toBe(true);
    // Timestamps are in ms and ordered by decode time per track.
    const videoTimes = tags.filter((tag) => tag.type === FlvTagType.video).map((tag) => tag.timestamp);
    expect(videoTimes.at(-1)).toBe(467);
  });

  it('reads the same tags however the bytes are sliced', () => {
    const whole = readAll(fixture);
    for (const size of [1, 13, 1000]) expect(readAll(fixture, size)).toEqual(whole);
  });

  it('writes tags that read back, with 32-bit timestamps in TimestampExtended', () => {
    const bytes = Buffer.concat([
      flvFileHeader({ audio: true, video: true }),
      encodeFlvTag(9, 0x12345678, avcVideoTagBody({ keyframe: true, packetType: 1, compositionTimeMs: -33, data: hex('00000001 65') })),
      encodeFlvTag(8, 7, aacAudioTagBody(1, hex('21 00'))),
    ]);
    const tags = readAll(bytes);
    expect(tags.map((tag) => [tag.type, tag.timestamp])).toEqual([
      [9, 0x12345678],
      [8, 7],
    ]);
    expect(parseVideoTagHeader(tags[0]!.payload)).toMatchObject({ compositionTimeMs: -33, keyframe: true, dataOffset: 5 });
  });

  it('parses Enhanced RTMP video headers: hvc1 with composition time, av01 CodedFramesX, ModEx, multitrack and commands', () => {
    const hevc = parseVideoTagHeader(
      exVideoTagBody({ fourCc: 'hvc1', keyframe: true, packet: 'codedFrames', compositionTimeMs: 40, data: hex('0000') }),
    );
    expect(hevc).toMatchObject({
      codec: 'hevc',
      enhanced: true,
      keyframe: true,
      packet: 'codedFrames',
      compositionTimeMs: 40,
      dataOffset: 8,
    });
    const av1 = parseVideoTagHeader(exVideoTagBody({ fourCc: 'av01', keyframe: false, packet: 'codedFramesX', data: hex('12') }));
    expect(av1).toMatchObject({ codec: 'av1', keyframe: false, packet: 'codedFrames', compositionTimeMs: 0, dataOffset: 5 });
    expect(parseVideoTagHeader(exVideoTagBody({ fourCc: 'av01', keyframe: true, packet: 'sequenceStart', data: hex('81') }))).toMatchObject(
      {
        packet: 'sequenceStart',
        dataOffset: 5,
      },
    );
    // ModEx (7) with 3 bytes of data (size-1 = 2), then type TimestampOffsetNano(0) << 4 | CodedFramesX (3), then FourCC.
    expect(parseVideoTagHeader(hex('97 02 000010 03 61763031 aa'))).toMatchObject({
      codec: 'av1',
      packet: 'codedFrames',
      keyframe: true,
      dataOffset: 10,
    });
    // Multitrack (6), OneTrack (0) << 4 | CodedFrames, FourCC.
    expect(parseVideoTagHeader(hex('96 01 68766331'))).toMatchObject({ packet: 'multitrack', fourCc: 'hvc1' });
    // Command frame: no FourCC.
    expect(parseVideoTagHeader(hex('d1 00'))).toMatchObject({ packet: 'command', frameType: 5 });
    expect(parseVideoTagHeader(hex('52 00'))).toMatchObject({ packet: 'command', codec: 'h263' });
    // Legacy id 12 HEVC (the SRS convention).
    expect(parseVideoTagHeader(hex('1c 00 000000'))).toMatchObject({ codec: 'hevc', packet: 'sequenceStart' });
  });

  it('parses Enhanced RTMP audio headers', () => {
    expect(parseAudioTagHeader(hex('90 4f707573 00'))).toMatchObject({
      codec: 'opus',
      enhanced: true,
      packet: 'sequenceStart',
      dataOffset: 5,
    });
    expect(parseAudioTagHeader(hex('91 664c6143'))).toMatchObject({ codec: 'flac', packet: 'codedFrames' });
    expect(parseAudioTagHeader(hex('2f 00'))).toMatchObject({ codec: 'mp3', soundRateHz: 44100, channels: 2 });
  });

  it('refuses what is not FLV, encrypted tags, and truncated headers', () => {
    expect(() => readAll(hex('464c5602 05 00000009 00000000'))).toThrow(/version 2/);
    expect(() => readAll(hex('4d5034 01 05 00000009 00000000'))).toThrow(/signature/);
    expect(() =>
      readAll(Buffer.concat([flvFileHeader({ audio: true, video: false }), hex('28 000000 000000 00 000000 00000000')])),
    ).toThrow(/encrypted/);
    expect(() => parseVideoTagHeader(hex('17 01'))).toThrow(MediaFormatError);
    expect(() => parseVideoTagHeader(hex('90 6876'))).toThrow(MediaFormatError);
  });

  it('either parses or throws MediaFormatError on arbitrary tag headers and streams (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        for (const parse of [parseVideoTagHeader, parseAudioTagHeader]) {
          try {
            const header = parse(bytes);
            expect(header.dataOffset).toBeLessThanOrEqual(bytes.length);
          } catch (error) {
            expect(error).toBeInstanceOf(MediaFormatError);
          }
        }
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(600), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat(700), (edits, cut) => {
        const bytes = fixture.slice(0, cut);
        for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
        try {
          readAll(bytes, 17);
        } catch (error) {
          expect(error).toBeInstanceOf(MediaFormatError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
