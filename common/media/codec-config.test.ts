import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aacCodecString, buildAacConfig, parseAacConfig } from './aac.ts';
import { av1CodecString, parseAv1Config } from './av1.ts';
import { avcCodecString, buildAvcDecoderConfig, parseAvcDecoderConfig, parseAvcSps, splitLengthPrefixed } from './avc.ts';
import { BitReader, nalToRbsp } from './bit-reader.ts';
import { MediaFormatError } from './errors.ts';
import { hevcCodecString, parseHevcDecoderConfig, parseHevcSpsSize } from './hevc.ts';
import { parseOpusHead } from './opus.ts';

const testdata = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, 'testdata', name)));
const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

function expectOnlyFormatErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MediaFormatError);
  }
}

describe('H.264 configuration', () => {
  it('reads size, profile, level and frame rate from the SPS x264 wrote for 1280x720 at 30 fps', () => {
    const config = parseAvcDecoderConfig(testdata('x264-1280x720-30fps.avcc'));
    expect(config.nalLengthSize).toBe(4);
    expect(config.sps).toHaveLength(1);
    expect(config.pps).toHaveLength(1);
    expect(avcCodecString(config)).toBe('avc1.42c01f');
    expect(parseAvcSps(config.sps[0]!)).toMatchObject({ profile: 66, level: 31, width: 1280, height: 720, fps: 30 });
  });

  it('reads a High profile 1080p SPS with cropping and a 59.94 fps VUI', () => {
    const config = parseAvcDecoderConfig(hex('0164002affe100196764002aacd940780227e5c04400000fa4000753003c60c65801000468ef8fcbfdf8f800'));
    expect(avcCodecString(config)).toBe('avc1.64002a');
    expect(parseAvcSps(config.sps[0]!)).toMatchObject({
      profile: 100,
      level: 42,
      width: 1920,
      height: 1080,
      fps: 59.94,
      chromaFormat: 1,
      bitDepth: 8,
    });
  });

  it('round-trips a configuration record built from its SPS and PPS', () => {
    const config = parseAvcDecoderConfig(testdata('x264-1280x720-30fps.avcc'));
    const rebuilt = parseAvcDecoderConfig(buildAvcDecoderConfig(config.sps[0]!, config.pps[0]!));
    expect(rebuilt).toEqual(config);
  });

  it('splits length-prefixed NAL units and refuses overruns', () => {
    const units = splitLengthPrefixed(hex('00000002 0901 00000003 65aabb'));
    expect(units.map((unit) => Buffer.from(unit).toString('hex'))).toEqual(['0901', '65aabb']);
    expect(() => splitLengthPrefixed(hex('00000009 0901'))).toThrow(/overruns/);
  });

  it('removes emulation prevention bytes and reads Exp-Golomb codes', () => {
    expect([...nalToRbsp(hex('0000030100000302'))]).toEqual([0, 0, 1, 0, 0, 2]);
    const bits = new BitReader(hex('a6 42')); // 1 010 011 00100 0010 → ue: 0, 1, 2, 3 ; se(4th) ...
    expect([bits.ue(), bits.ue(), bits.ue(), bits.ue()]).toEqual([0, 1, 2, 3]);
    expect(() => new BitReader(new Uint8Array(5)).ue()).toThrow(MediaFormatError);
  });

  it('never throws anything but MediaFormatError on mutated records and SPS (fuzz)', () => {
    const record = testdata('x264-1280x720-30fps.avcc');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(record.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(record.length),
        (edits, cut) => {
          const bytes = record.slice(0, Math.max(cut, 1));
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          expectOnlyFormatErrors(() => {
            const config = parseAvcDecoderConfig(bytes);
            parseAvcSps(config.sps[0]!);
          });
        },
      ),
      { numRuns: 1500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expectOnlyFormatErrors(() => parseAvcSps(Uint8Array.of(0x67, ...bytes)));
      }),
      { numRuns: 1500 },
    );
  });
});

describe('HEVC and AV1 configuration', () => {
  it('reads the codec string and picture size from the record x265 wrote for 1280x720', () => {
    const config = parseHevcDecoderConfig(testdata('x265-1280x720.hvcc'));
    expect(config.nalLengthSize).toBe(4);
    expect(config.nalUnits.map((array) => array.type)).toEqual(expect.arrayContaining([32, 33, 34]));
    expect(hevcCodecString(config)).toBe('hvc1.1.6.L93.90');
    const sps = config.nalUnits.find((array) => array.type === 33)!.units[0]!;
    expect(parseHevcSpsSize(sps)).toEqual({ width: 1280, height: 720 });
  });

  it('reads the AV1 codec string from an av1C record', () => {
    // marker/version, profile 0 level 8, tier 0 8-bit 4:2:0
    expect(av1CodecString(parseAv1Config(hex('81 08 0c 00')))).toBe('av01.0.08M.08');
    expect(av1CodecString(parseAv1Config(hex('81 2d 40 00')))).toBe('av01.1.13M.10');
    expect(() => parseAv1Config(hex('01 08 0c 00'))).toThrow(MediaFormatError);
  });

  it('never throws anything but MediaFormatError on arbitrary HEVC records (fuzz)', () => {
    const record = testdata('x265-1280x720.hvcc');
    fc.assert(
      fc.property(
        fc.nat(record.length),
        fc.array(fc.tuple(fc.nat(record.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        (cut, edits) => {
          const bytes = record.slice(0, cut);
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          expectOnlyFormatErrors(() => {
            const config = parseHevcDecoderConfig(bytes);
            hevcCodecString(config);
            const sps = config.nalUnits.find((array) => array.type === 33)?.units[0];
            if (sps) parseHevcSpsSize(sps);
          });
        },
      ),
      { numRuns: 800 },
    );
  });
});

describe('AAC AudioSpecificConfig', () => {
  it('reads the config ffmpeg wrote for AAC-LC 48 kHz stereo', () => {
    const config = parseAacConfig(testdata('aac-lc-48k-stereo.asc'));
    expect(config).toEqual({ objectType: 2, sampleRateHz: 48000, channels: 2, samplesPerFrame: 1024 });
    expect(aacCodecString(config)).toBe('mp4a.40.2');
  });

  it('reads explicit HE-AAC signalling, an escaped rate and a 960-sample frame length', () => {
    // HE-AAC (5), 24 kHz core, stereo, extension 48 kHz, core AAC-LC
    expect(parseAacConfig(hex('2b 11 88 00'))).toMatchObject({ objectType: 5, sampleRateHz: 24000, channels: 2 });
    // AAC-LC, index 15 + 24-bit 50000 Hz, mono
    const escaped = parseAacConfig(hex('17 80 61 a8 08'));
    expect(escaped).toMatchObject({ objectType: 2, sampleRateHz: 50000, channels: 1 });
    expect(parseAacConfig(hex('12 14'))).toMatchObject({ samplesPerFrame: 960 });
  });

  it('round-trips configs it builds and refuses reserved values', () => {
    for (const rate of [8000, 44100, 48000, 96000])
      expect(parseAacConfig(buildAacConfig(2, rate, 2))).toMatchObject({ objectType: 2, sampleRateHz: rate, channels: 2 });
    expect(() => parseAacConfig(hex('16 80'))).toThrow(/reserved/); // index 13
    expect(() => parseAacConfig(hex('00 00'))).toThrow(MediaFormatError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), (bytes) => expectOnlyFormatErrors(() => parseAacConfig(bytes))),
      { numRuns: 1000 },
    );
  });
});

describe('OpusHead', () => {
  it('reads channels and the input rate of the identification header ffmpeg writes, and refuses what is not one', () => {
    // ffmpeg -f lavfi -i sine -ac 2 -c:a libopus: version 1, 2 channels, pre-skip 312, input 48000 Hz.
    const head = Uint8Array.from([...Buffer.from('OpusHead'), 1, 2, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0]);
    expect(parseOpusHead(head)).toEqual({ channels: 2, preSkip: 312, inputSampleRateHz: 48000, sampleRateHz: 48000 });
    expect(() => parseOpusHead(head.subarray(0, 18))).toThrow(MediaFormatError);
    expect(() => parseOpusHead(Uint8Array.from([...Buffer.from('OpusTags'), ...head.subarray(8)]))).toThrow(MediaFormatError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          parseOpusHead(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(MediaFormatError);
        }
      }),
    );
  });
});
