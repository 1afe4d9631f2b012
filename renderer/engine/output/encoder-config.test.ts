import { describe, expect, it } from 'vitest';
import { avcCodecString, encoderCandidates, h264Level, keyframeDue, profileOfAvcC } from './encoder-config.ts';

describe('H.264 encoder configuration', () => {
  it('picks the lowest level that carries the size and rate (Table A-1)', () => {
    expect(h264Level(1280, 720, 30, 4500, 'high')).toBe(31);
    expect(h264Level(1280, 720, 60, 6000, 'high')).toBe(32);
    expect(h264Level(1920, 1080, 30, 6000, 'high')).toBe(40);
    expect(h264Level(1920, 1080, 60, 9000, 'high')).toBe(42);
    // Bitrate counts too: 720p30 at 20 Mbit/s needs more than 3.1 allows.
    expect(h264Level(1280, 720, 30, 20_000, 'main')).toBe(32);
  });

  it('writes codec strings as avc1.PPCCLL', () => {
    expect(avcCodecString('high', 40)).toBe('avc1.640028');
    expect(avcCodecString('main', 31)).toBe('avc1.4d401f');
    expect(avcCodecString('baseline', 31)).toBe('avc1.42e01f');
  });

  it('tries High first, hardware before software, and always CBR at the set bitrate in realtime mode', () => {
    const candidates = encoderCandidates({ width: 1280, height: 720, fps: 30, bitrateKbps: 4500, keyframeIntervalSec: 2 });
    expect(candidates.map((c) => `${c.profile}/${c.hardwareAcceleration}`)).toEqual([
      'high/prefer-hardware',
      'high/no-preference',
      'main/prefer-hardware',
      'main/no-preference',
      'baseline/prefer-hardware',
      'baseline/no-preference',
    ]);
    expect(candidates[0]!.config).toMatchObject({
      codec: 'avc1.64001f',
      bitrate: 4_500_000,
      bitrateMode: 'constant',
      latencyMode: 'realtime',
    });
  });

  it('tries the software encoder first when the settings ask for it, and anything the browser has after', () => {
    const base = { width: 1280, height: 720, fps: 30, bitrateKbps: 4500, keyframeIntervalSec: 2 };
    const software = encoderCandidates({ ...base, hardwareAcceleration: 'prefer-software' });
    expect(software.slice(0, 2).map((c) => `${c.profile}/${c.config.hardwareAcceleration}`)).toEqual([
      'high/prefer-software',
      'high/no-preference',
    ]);
    expect(software.some((c) => c.hardwareAcceleration === 'prefer-hardware')).toBe(false);
    const any = encoderCandidates({ ...base, hardwareAcceleration: 'no-preference' });
    expect(any.map((c) => c.config.hardwareAcceleration)).toEqual(['no-preference', 'no-preference', 'no-preference']);
  });

  it('reads the profile an encoder really produced from its avcC', () => {
    expect(profileOfAvcC(new Uint8Array([1, 100, 0, 31, 0xff]))).toEqual({ profile: 'high', profileIdc: 100, levelIdc: 31 });
    expect(profileOfAvcC(new Uint8Array([1, 66, 0xc0, 30]).buffer)).toMatchObject({ profile: 'baseline' });
    expect(profileOfAvcC(new Uint8Array([0, 100]))).toBeNull();
  });

  it('puts a keyframe every interval, on the frame grid, even when frames are skipped', () => {
    const fps = 30;
    let last: number | null = null;
    const keyframes: number[] = [];
    for (let n = 0; n < 300; n++) {
      if (n >= 59 && n <= 61) continue; // skipped for encode lag around the 2 s mark
      const ts = Math.round((n * 1e6) / fps);
      if (keyframeDue(ts, last, 2, fps)) {
        keyframes.push(n);
        last = ts;
      }
    }
    expect(keyframes).toEqual([0, 62, 122, 182, 242]);
  });
});
