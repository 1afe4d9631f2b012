import { spawnSync } from 'node:child_process';
import { aacAudioTagBody, encodeFlvTag, flvFileHeader, FlvTagType } from '../../../common/media/flv.ts';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../server/log.ts';
import { until } from '../../../server/testing.ts';
import { AacEncoder, type AacEncoderState, type AacFrame } from './aac-encoder.ts';

const BLOCK = 960;

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
    const block = new Int16Array(BLOCK * 2);
    for (let i = 0; i < BLOCK; i++) {
      const n = b * BLOCK + i;
      if (n >= clickAt && n < clickAt + 48) block[2 * i] = block[2 * i + 1] = 29_490; // 0.9 of full scale
    }
    aac.pushPcm(block, startUs + (b * BLOCK * 1e6) / 48_000);
    if (paced) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // As the program feed does on each video frame: what is held for batching goes to the child.
  aac.flushPcm();
}

describe('AAC from an ffmpeg child', () => {
  it('stamps each frame on the program clock so that what a viewer decodes lines up with the PCM within a millisecond', async () => {
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
    // What a viewer hears: the frames in FLV (as RTMP carries them), joined mid-stream as a
    // destination that starts on a keyframe, decoded by ffmpeg; the click's onset on the FLV timeline.
    const joined = frames.slice(10);
    const flv = Buffer.concat([
      flvFileHeader({ audio: true, video: false }),
      encodeFlvTag(FlvTagType.audio, 0, aacAudioTagBody(0, joined[0]!.config)),
      ...joined.map((frame) =>
        encodeFlvTag(FlvTagType.audio, Math.round((frame.timestampUs - startUs) / 1000), aacAudioTagBody(1, frame.data)),
      ),
    ]);
    const detected = spawnSync(
      'ffmpeg',
      ['-hide_banner', '-copyts', '-f', 'flv', '-i', 'pipe:0', '-af', 'silencedetect=noise=-30dB:duration=0.05', '-f', 'null', '-'],
      { input: flv },
    );
    const onsetSec = Number(/silence_end: ([\d.]+)/.exec(detected.stderr.toString())?.[1]);
    const heardAtUs = startUs + onsetSec * 1e6;
    const playedAtUs = startUs + (click * 1e6) / 48_000;
    expect(Math.abs(heardAtUs - playedAtUs)).toBeLessThan(1000);
  });

  it('writes PCM to the child in batches (60 ms, or at each flush) and keeps every sample in its place on the clock', async () => {
    const { aac, frames } = encoder();
    aac.start();
    const startUs = 3_000_000;
    // 200 ms with no flush: a write at 60, 120 and 180 ms; the last 20 ms waits.
    await pushPcm(aac, startUs, 10, -1, false);
    expect(aac.stdinWrites).toBe(4); // three batches, and the flush at the end of pushPcm
    // Then 1 s flushed every other block, as video frames at 30 fps about do: 25 writes, not 50.
    for (let b = 0; b < 50; b++) {
      aac.pushPcm(new Int16Array(BLOCK * 2), startUs + 200_000 + (b * BLOCK * 1e6) / 48_000);
      if (b % 2 === 1) aac.flushPcm();
    }
    expect(aac.stdinWrites).toBe(4 + 25);
    await until(() => frames.length >= 54, 20_000, 'AAC frames for 1.2 s');
    aac.stop();
    // 1.2 s of samples, contiguous from the first block's time: frame k (after the priming one) at start + (k − 1) × 1024 samples.
    for (let i = 1; i < frames.length; i++) expect(frames[i]!.timestampUs).toBeCloseTo(startUs + ((i - 1) * 1024 * 1e6) / 48_000, 3);
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
    // 0.5 s of silence where the child was gone, then 1 s of PCM: about 70 frames.
    await until(() => frames.length > before + 60, 20_000, 'frames from the new child');
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
