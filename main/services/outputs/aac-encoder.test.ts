import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../server/log.ts';
import { until } from '../../../server/testing.ts';
import { AacEncoder, type AacEncoderState, type AacFrame } from './aac-encoder.ts';

const BLOCK = 960;

/** Rebuilds ADTS around raw AAC-LC 48 kHz stereo frames, for ffmpeg to decode. */
function adts(frames: readonly AacFrame[]): Buffer {
  return Buffer.concat(
    frames.map((frame) => {
      const length = frame.data.length + 7;
      const header = Buffer.from([
        0xff,
        0xf1,
        (1 << 6) | (3 << 2),
        (2 << 6) | (length >> 11),
        (length >> 3) & 0xff,
        ((length & 7) << 5) | 0x1f,
        0xfc,
      ]);
      return Buffer.concat([header, Buffer.from(frame.data)]);
    }),
  );
}

function encoder(ffmpegPath = 'ffmpeg') {
  const frames: AacFrame[] = [];
  const states: { state: AacEncoderState; error: string | null }[] = [];
  const aac = new AacEncoder({
    ffmpegPath,
    bitrateKbps: 160,
    log: silentLogger,
    onFrame: (frame) => frames.push(frame),
    onStateChange: (state, error) => states.push({ state, error }),
    restartDelayMs: 100,
  });
  return { aac, frames, states };
}

/** Pushes `blocks` blocks of 20 ms of PCM stamped from `startUs`, with a click at sample `clickAt`. */
async function pushPcm(aac: AacEncoder, startUs: number, blocks: number, clickAt = -1, paced = true): Promise<void> {
  for (let b = 0; b < blocks; b++) {
    const block = new Float32Array(BLOCK * 2);
    for (let i = 0; i < BLOCK; i++) {
      const n = b * BLOCK + i;
      if (n >= clickAt && n < clickAt + 48) block[2 * i] = block[2 * i + 1] = 0.9;
    }
    aac.pushPcm(block, startUs + (b * BLOCK * 1e6) / 48_000);
    if (paced) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('AAC from an ffmpeg child', () => {
  it('stamps each frame on the program clock so that what decodes lines up with the PCM to the sample', async () => {
    const { aac, frames } = encoder();
    aac.start();
    const startUs = 10_000_000;
    const click = 24_000; // 0.5 s in
    await pushPcm(aac, startUs, 85, click);
    await until(() => frames.length >= 70, 20_000, 'AAC frames');
    aac.stop();
    // Contiguous, 1024 samples apart.
    for (let i = 1; i < frames.length; i++)
      expect(frames[i]!.timestampUs - frames[i - 1]!.timestampUs).toBeCloseTo((1024 * 1e6) / 48_000, 3);
    const decoded = execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'aac', '-i', 'pipe:0', '-f', 'f32le', '-ac', '2', 'pipe:1'], {
      input: adts(frames),
    });
    const pcm = new Float32Array(decoded.buffer, decoded.byteOffset, decoded.length / 4);
    let found = -1;
    for (let i = 0; i < pcm.length / 2 && found < 0; i++) if (Math.abs(pcm[2 * i]!) > 0.3) found = i;
    const heardAtUs = frames[0]!.timestampUs + (found * 1e6) / 48_000;
    const playedAtUs = startUs + (click * 1e6) / 48_000;
    expect(Math.abs(heardAtUs - playedAtUs)).toBeLessThan(1000);
  });

  it('fills silence where no PCM comes, so the audio track never stops', async () => {
    const { aac, frames } = encoder();
    aac.start();
    aac.fillSilenceTo(5_000_000); // starts the timeline
    aac.fillSilenceTo(6_000_000);
    await until(() => frames.length >= 40, 20_000, 'silent frames');
    aac.stop();
    expect(frames[1]!.timestampUs).toBeCloseTo(5_000_000, 0);
  });

  it('restarts a child that dies, says why, and carries on encoding on the same clock', async () => {
    const { aac, frames, states } = encoder();
    aac.start();
    await pushPcm(aac, 0, 25);
    await until(() => frames.length > 5, 20_000, 'first frames');
    const firstPid = aac.pid!;
    process.kill(firstPid, 'SIGKILL');
    await until(() => states.some((s) => s.state === 'restarting'), 10_000, 'a restart');
    expect(states.find((s) => s.state === 'restarting')!.error).toMatch(
      /audio encoder \(ffmpeg\) was killed \(SIGKILL\); restarting it \(video continues\)/,
    );
    await until(() => aac.pid !== null && aac.pid !== firstPid, 10_000, 'a new child');
    const before = frames.length;
    await pushPcm(aac, 1_000_000, 50);
    await until(() => frames.length > before + 20, 20_000, 'frames from the new child');
    aac.stop();
    const last = frames.at(-1)!;
    // The new child's frames sit on the same timeline, after the old ones.
    expect(last.timestampUs).toBeGreaterThan(1_000_000);
    expect(last.timestampUs).toBeLessThan(2_100_000);
  });

  it('reports a missing ffmpeg clearly and keeps trying, without throwing', async () => {
    const { aac, states } = encoder('/nonexistent/ffmpeg');
    aac.start();
    await pushPcm(aac, 0, 5, -1, false);
    await until(() => states.some((s) => s.state === 'restarting'), 5000, 'the failure');
    aac.stop();
    expect(states.find((s) => s.state === 'restarting')!.error).toMatch(/could not start: spawn \/nonexistent\/ffmpeg ENOENT/);
  });
});
