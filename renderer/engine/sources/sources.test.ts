import { describe, expect, it } from 'vitest';
import { SourceSettings } from '../../../common/scene/schema.ts';
import { frameAt } from './image.ts';
import { captureFromStoredDevice, type CaptureDevices } from './source.ts';
import { clockText, quantiseScale } from './text.ts';

const clock = (settings: object) => SourceSettings.parse({ kind: 'clock', ...settings }) as Extract<SourceSettings, { kind: 'clock' }>;

describe('clock and countdown text', () => {
  const at = new Date(2025, 0, 2, 9, 5, 7).getTime();

  it('shows the time of day, with or without seconds', () => {
    expect(clockText(clock({}), at)).toBe('09:05:07');
    expect(clockText(clock({ showSeconds: false }), at)).toBe('09:05');
  });

  it('counts down to the target, rounding up so the last second shows 00:01', () => {
    const countdown = clock({ mode: 'countdown', targetEpochMs: at + 90_500 });
    expect(clockText(countdown, at)).toBe('01:31');
    expect(clockText(countdown, at + 89_600)).toBe('00:01');
    expect(clockText(clock({ mode: 'countdown', targetEpochMs: at + 3 * 3600_000 + 5000 }), at)).toBe('3:00:05');
  });

  it('shows the end text once the countdown is over', () => {
    expect(clockText(clock({ mode: 'countdown', targetEpochMs: at, endText: 'LIVE' }), at + 1)).toBe('LIVE');
  });
});

describe('animation and raster helpers', () => {
  it('picks the frame of a looping animation by elapsed time', () => {
    const durations = [100, 200, 100];
    expect([0, 99, 100, 299, 300, 399, 400, 650].map((ms) => frameAt(durations, ms))).toEqual([0, 0, 1, 1, 2, 2, 0, 1]);
    expect(frameAt([100], 5000)).toBe(0);
    expect(frameAt([], 5)).toBe(0);
  });

  it('quantises text raster scales to eighths within 0.25..8', () => {
    expect(quantiseScale(1)).toBe(1);
    expect(quantiseScale(1.01)).toBe(1.125);
    expect(quantiseScale(0.01)).toBe(0.25);
    expect(quantiseScale(100)).toBe(8);
  });
});

describe('capture from a stored device id (a fake getUserMedia that answers as Chromium does)', () => {
  /** Chromium refuses an `exact` device id it does not know with an OverconstrainedError, message empty. */
  const fakeDevices = (known: string[]) => {
    const asked: MediaStreamConstraints[] = [];
    const devices: CaptureDevices = {
      getUserMedia: (constraints) => {
        asked.push(constraints);
        const track = (constraints.video || constraints.audio) as MediaTrackConstraints;
        const id = (track.deviceId as ConstrainDOMStringParameters | undefined)?.exact as string | undefined;
        if (id !== undefined && !known.includes(id)) return Promise.reject(Object.assign(new Error(''), { name: 'OverconstrainedError' }));
        if (id === 'busy') return Promise.reject(Object.assign(new Error('Could not start video source'), { name: 'NotReadableError' }));
        return Promise.resolve({ id: id ?? 'default' } as unknown as MediaStream);
      },
      getDisplayMedia: () => Promise.reject(new Error('not used')),
    };
    return { devices, asked };
  };

  it('uses the stored device when it exists, with the other constraints', async () => {
    const { devices, asked } = fakeDevices(['cam-a']);
    const stream = await captureFromStoredDevice(devices, 'video', 'cam-a', { width: { ideal: 640 } });
    expect(stream.id).toBe('cam-a');
    expect(asked).toEqual([{ audio: false, video: { deviceId: { exact: 'cam-a' }, width: { ideal: 640 } } }]);
  });

  it('falls back to the default device when the stored id is gone (another browser or profile)', async () => {
    const { devices, asked } = fakeDevices([]);
    const stream = await captureFromStoredDevice(devices, 'audio', 'old-id', { echoCancellation: false });
    expect(stream.id).toBe('default');
    expect(asked.at(-1)).toEqual({ audio: { echoCancellation: false }, video: false });
  });

  it('passes other failures on (a busy camera is an error, not a silent switch)', async () => {
    const { devices } = fakeDevices(['busy']);
    await expect(captureFromStoredDevice(devices, 'video', 'busy', {})).rejects.toThrow('Could not start video source');
  });
});
