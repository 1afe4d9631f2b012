import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryItem } from '../../../common/host/library-contract.ts';
import { openTestLibrary, type TestLibrary } from './testing.ts';
import { countVideoFrames, makeVideo, probe } from './testing-media.ts';
import { planTrim } from './clips.ts';

let t: TestLibrary;
let source: LibraryItem;

beforeAll(async () => {
  t = openTestLibrary();
  // 4 s at 30 fps with a keyframe every second: keyframes at 0, 1, 2, 3 s.
  const file = await makeVideo(join(t.dir, 'media', 'talk.mp4'), { seconds: 4, size: '320x180', fps: 30, gop: 30 });
  source = await t.library.addMade({ path: file, kind: 'recording', sceneCollectionId: 'default', destinationIds: ['twitch'] });
  await t.api.update(source.id, { tags: ['talks'] });
});
afterAll(() => t.close());

async function trimToEnd(inMs: number, outMs: number): Promise<LibraryItem> {
  const { jobId } = await t.api.trim(source.id, { inMs, outMs });
  const job = await t.jobEnd(jobId);
  expect(job).toMatchObject({ kind: 'trim', state: 'done', fraction: 1 });
  expect(job.itemIds).toHaveLength(1);
  const progress = t.jobs.filter((entry) => entry.id === jobId).map((entry) => entry.fraction);
  expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  return (await t.api.get(job.itemIds[0]!))!;
}

describe('trimming a clip out of an item', () => {
  it('plans a stream copy when the in point is on a keyframe, a re-encode otherwise', async () => {
    expect(await t.api.planTrim(source.id, { inMs: 1000, outMs: 3000 })).toMatchObject({
      mode: 'copy',
      keyframeBeforeMs: 1000,
      keyframeAfterMs: 2000,
    });
    expect(await t.api.planTrim(source.id, { inMs: 1500, outMs: 2700 })).toMatchObject({
      mode: 'reencode',
      keyframeBeforeMs: 1000,
      keyframeAfterMs: 2000,
      reason: 'the in point is 500 ms after a keyframe: the clip is re-encoded to start exactly there',
    });
    // Half a frame either side of a keyframe still counts as on it.
    expect(planTrim([0, 1000], { inMs: 1010, outMs: 2000 }, { video_codec: 'h264', fps: 30 }).mode).toBe('copy');
    expect(planTrim([0, 1000], { inMs: 1020, outMs: 2000 }, { video_codec: 'h264', fps: 30 }).mode).toBe('reencode');
    expect(planTrim([], { inMs: 123, outMs: 456 }, { video_codec: null, fps: null }).mode).toBe('copy');
  });

  it('copies a cut on keyframes into a new item that lasts within 0.1 s of the request', async () => {
    const clip = await trimToEnd(1000, 3000);
    const probed = await probe(clip.path);
    expect(Math.abs(probed.durationSec - 2)).toBeLessThanOrEqual(0.1);
    expect(Math.abs((clip.durationMs ?? 0) - 2000)).toBeLessThanOrEqual(100);
    expect(clip).toMatchObject({
      kind: 'recording',
      derivedFromId: source.id,
      tags: ['talks'],
      sceneCollectionId: 'default',
      destinationIds: ['twitch'],
      videoCodec: 'h264',
      audioCodec: 'aac',
      title: 'talk (0:01–0:03)',
    });
    expect(dirname(clip.path)).toBe(dirname(source.path));
    expect(clip.fileName).toBe('talk (clip 0.01–0.03).mp4');
  });

  it('re-encodes a cut between keyframes, and the clip lasts within one frame of the request', async () => {
    const clip = await trimToEnd(1500, 2700);
    const frames = await countVideoFrames(clip.path);
    const seconds = frames / 30;
    expect(Math.abs(seconds - 1.2)).toBeLessThanOrEqual(1 / 30 + 1e-9);
    const video = (await probe(clip.path)).streams.find((stream) => stream.codec_type === 'video')!;
    expect(video).toMatchObject({ codec_name: 'h264', width: 320, height: 180 });
  });

  it('refuses a trim of something without a timeline, and a cancelled trim leaves no file behind', async () => {
    await expect(t.api.trim(source.id, { inMs: 9000, outMs: 9500 })).rejects.toThrow('past the end');
    const before = readdirSync(dirname(source.path)).sort();
    const { jobId } = await t.api.trim(source.id, { inMs: 1500, outMs: 4000 });
    await t.api.cancelJob(jobId);
    expect((await t.jobEnd(jobId)).state).toBe('cancelled');
    await expect.poll(() => readdirSync(dirname(source.path)).sort()).toEqual(before);
  });
});

describe('remuxing to MP4', () => {
  it('rewrites an FLV and an MKV as MP4 without re-encoding; each becomes a new item', async () => {
    for (const name of ['from flv.flv', 'from mkv.mkv']) {
      const file = await makeVideo(join(t.dir, 'remux', name), { seconds: 2, size: '320x180' });
      const { jobId } = await t.api.import([file]);
      const imported = await t.jobEnd(jobId);
      const item = (await t.api.get(imported.itemIds[0]!))!;
      const { jobId: remuxJob } = await t.api.remux(item.id);
      const done = await t.jobEnd(remuxJob);
      expect(done).toMatchObject({ kind: 'remux', state: 'done' });
      const mp4 = (await t.api.get(done.itemIds[0]!))!;
      expect(mp4.fileName).toBe(name.replace(/\.\w+$/, '.mp4'));
      expect(mp4).toMatchObject({ derivedFromId: item.id, videoCodec: 'h264', audioCodec: 'aac', width: 320, height: 180 });
      expect((await probe(mp4.path)).formatName).toContain('mp4');
      expect(Math.abs((mp4.durationMs ?? 0) - (item.durationMs ?? 0))).toBeLessThanOrEqual(100);
    }
    await expect(t.api.remux(source.id)).rejects.toThrow('only FLV and MKV files can be remuxed');
    expect(existsSync(source.path)).toBe(true);
  });
});
