import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAacConfig } from './aac.ts';
import { AdtsReader, type AdtsFrame } from './adts.ts';
import { MediaFormatError } from './errors.ts';

/** One second of a 440 Hz tone as ffmpeg's AAC-LC encoder writes it to a pipe. */
const ffmpegAdts = (): Uint8Array =>
  new Uint8Array(
    execFileSync(
      'ffmpeg',
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:sample_rate=48000',
        '-t',
        '1',
        '-ac',
        '2',
        '-c:a',
        'aac',
        '-b:a',
        '128k',
        '-f',
        'adts',
        'pipe:1',
      ],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    ),
  );

describe('ADTS reader', () => {
  it("splits ffmpeg's ADTS output into raw AAC-LC frames, however the pipe slices it", () => {
    const stream = ffmpegAdts();
    const whole: AdtsFrame[] = [];
    new AdtsReader((frame) => whole.push(frame)).feed(stream);
    // 48000 samples of input plus the encoder's priming frame: 47 or 48 frames of 1024.
    expect(whole.length).toBeGreaterThanOrEqual(47);
    expect(parseAacConfig(whole[0]!.config)).toEqual({ objectType: 2, sampleRateHz: 48000, channels: 2, samplesPerFrame: 1024 });
    expect(whole.reduce((sum, frame) => sum + frame.data.length + 7, 0)).toBe(stream.length);

    const sliced: AdtsFrame[] = [];
    const reader = new AdtsReader((frame) => sliced.push(frame));
    for (let at = 0; at < stream.length; at += 333) reader.feed(stream.subarray(at, at + 333));
    expect(reader.bufferedBytes).toBe(0);
    expect(sliced.map((frame) => [...frame.data])).toEqual(whole.map((frame) => [...frame.data]));
  });

  it('refuses a stream that is not ADTS with MediaFormatError', () => {
    expect(() => new AdtsReader(() => {}).feed(new Uint8Array([0x47, 0x40, 0, 0x10, 0, 0, 0, 0]))).toThrow(MediaFormatError);
  });

  it('never throws anything but MediaFormatError on arbitrary bytes (fuzz)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (slices) => {
        const reader = new AdtsReader(() => {});
        try {
          for (const slice of slices) reader.feed(Uint8Array.of(0xff, 0xf1, ...slice));
        } catch (error) {
          expect(error).toBeInstanceOf(MediaFormatError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
