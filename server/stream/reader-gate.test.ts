import { describe, expect, it } from 'vitest';
import { MediaPacket } from './media-packet.ts';
import { ReaderGate } from './reader-gate.ts';

const key = (ts: number) => new MediaPacket('video', ts, new Uint8Array(10), { keyframe: true });
const inter = (ts: number) => new MediaPacket('video', ts, new Uint8Array(10));
const audio = (ts: number) => new MediaPacket('audio', ts, new Uint8Array(10));
const config = () => new MediaPacket('video', 0, new Uint8Array(10), { config: true });

describe('ReaderGate (per-reader backpressure)', () => {
  it('starts a reader on a keyframe: configuration passes, frames before the first keyframe do not', () => {
    const gate = new ReaderGate({ maxQueuedBytes: 100, maxLagMs: 1000 });
    expect(gate.verdict(config(), 0, true)).toBe('send');
    expect(gate.verdict(inter(0), 0, true)).toBe('drop');
    expect(gate.verdict(audio(0), 0, true)).toBe('drop');
    expect(gate.verdict(key(33), 0, true)).toBe('send');
    expect(gate.verdict(audio(40), 0, true)).toBe('send');
    expect(gate.droppedFrames).toBe(0); // waiting for the first keyframe is not a drop
  });

  it('skips a reader that falls behind to the next keyframe once it has drained to half', () => {
    let now = 0;
    const gate = new ReaderGate({ maxQueuedBytes: 100, maxLagMs: 1000 }, () => now);
    gate.startLive();
    expect(gate.verdict(inter(0), 101, true)).toBe('drop');
    expect(gate.verdict(audio(10), 20, true)).toBe('drop');
    expect(gate.verdict(inter(33), 20, true)).toBe('drop');
    now = 100;
    expect(gate.verdict(key(66), 80, true)).toBe('drop'); // a keyframe, but still more than half full
    expect(gate.verdict(key(99), 50, true)).toBe('send');
    expect(gate.verdict(inter(133), 90, true)).toBe('send');
    expect(gate.droppedFrames).toBe(3);
  });

  it('disconnects a reader that stays behind too long or queues four times the limit', () => {
    let now = 0;
    const gate = new ReaderGate({ maxQueuedBytes: 100, maxLagMs: 1000 }, () => now);
    gate.startLive();
    expect(gate.verdict(inter(0), 150, true)).toBe('drop');
    now = 1001;
    expect(gate.verdict(inter(33), 150, true)).toBe('disconnect');
    expect(gate.disconnectReason).toMatch(/behind for over 1000 ms/);
    const flooded = new ReaderGate({ maxQueuedBytes: 100, maxLagMs: 1000 });
    flooded.startLive();
    expect(flooded.verdict(config(), 401, true)).toBe('disconnect');
    expect(flooded.disconnectReason).toMatch(/401 bytes queued/);
  });

  it('resumes an audio-only reader on any audio frame', () => {
    const gate = new ReaderGate({ maxQueuedBytes: 100, maxLagMs: 1000 });
    expect(gate.verdict(audio(0), 0, false)).toBe('send');
    expect(gate.verdict(audio(21), 150, false)).toBe('drop');
    expect(gate.verdict(audio(42), 10, false)).toBe('send');
  });
});
