import { describe, expect, it } from 'vitest';
import { MediaPacket } from '../stream/media-packet.ts';
import { Interleaver } from './interleaver.ts';

const packet = (kind: 'audio' | 'video' | 'data', timestampMs: number) => new MediaPacket(kind, timestampMs, new Uint8Array(1));

function interleaver(tracks: ('audio' | 'video')[] = ['audio', 'video'], maxWaitMs = 5000) {
  const out: string[] = [];
  const line = new Interleaver(
    (p) => out.push(`${p.kind[0]}${p.timestampMs}`),
    (track) => tracks.includes(track),
    maxWaitMs,
  );
  return { line, out, push: (kind: 'audio' | 'video' | 'data', ms: number) => line.push(packet(kind, ms)) };
}

describe('the HLS interleaver', () => {
  it('puts audio that arrives 3 s late back beside the video of the same time', () => {
    const { push, out } = interleaver();
    // Arrival order of a capture device whose audio runs 3 s behind: video t+3000 comes with audio t.
    for (let t = 0; t <= 4000; t += 500) {
      push('video', t + 3000);
      push('audio', t);
    }
    expect(out).toEqual(['a0', 'a500', 'a1000', 'a1500', 'a2000', 'a2500', 'v3000', 'a3000', 'v3500', 'a3500', 'v4000', 'a4000']);
  });

  it('does not wait for a track the stream lacks, nor for one more than maxWaitMs behind (it stopped)', () => {
    const videoOnly = interleaver(['video']);
    videoOnly.push('video', 0);
    videoOnly.push('video', 33);
    expect(videoOnly.out).toEqual(['v0', 'v33']);
    const stalled = interleaver(['audio', 'video'], 1000);
    stalled.push('audio', 0);
    stalled.push('video', 0);
    for (const t of [500, 1000]) stalled.push('video', t);
    expect(stalled.out).toEqual(['v0', 'a0']); // audio may still come with 500 or 1000
    stalled.push('video', 1500);
    // Audio is now more than a second behind: it stopped; what waited goes, and video flows from here on.
    expect(stalled.out).toEqual(['v0', 'a0', 'v500', 'v1000', 'v1500']);
    stalled.push('video', 2000);
    expect(stalled.out.at(-1)).toBe('v2000');
  });

  it('lets data through at once and releases everything on flush', () => {
    const { push, out, line } = interleaver();
    push('video', 0);
    push('data', 5);
    expect(out).toEqual(['d5']);
    expect(line.size).toBe(1);
    line.flush();
    expect(out).toEqual(['d5', 'v0']);
  });
});
