import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLibrary, type TestLibrary } from './testing.ts';
import { makeAudio, makeImage, makeImages, makeVideo, probe } from './testing-media.ts';

let t: TestLibrary;
let media: string;

beforeAll(async () => {
  t = openTestLibrary();
  media = join(t.dir, 'media');
  await Promise.all([
    makeVideo(join(media, 'Concert_night.mp4'), { seconds: 2, size: '320x180', fps: 30 }),
    makeAudio(join(media, 'sounds', 'tone.wav'), 1),
    makeImage(join(media, 'sounds', 'deeper', 'cover.png'), '64x36'),
  ]);
  writeFileSync(join(media, 'readme.txt'), 'not media');
});
afterAll(() => t.close());

const all = async () => (await t.api.list({ limit: 500 })).items;

describe('importing files into the library', () => {
  it('imports a folder recursively and reads duration, codecs, resolution, rate and channels with ffprobe', async () => {
    const { jobId } = await t.api.import([media]);
    const job = await t.jobEnd(jobId);
    expect(job).toMatchObject({ kind: 'import', state: 'done', done: 3, total: 3, failed: 0, fraction: 1 });
    const items = await all();
    const video = items.find((item) => item.fileName === 'Concert_night.mp4')!;
    expect(video).toMatchObject({
      kind: 'video',
      status: 'ok',
      title: 'Concert night',
      videoCodec: 'h264',
      audioCodec: 'aac',
      width: 320,
      height: 180,
      fps: 30,
      audioChannels: 2,
      audioSampleRate: 48000,
      sizeBytes: statSync(join(media, 'Concert_night.mp4')).size,
    });
    expect(video.durationMs).toBeGreaterThan(1950);
    expect(video.durationMs).toBeLessThan(2100);
    expect(video.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(video.mediaUrl).toBe(`/library/media/${video.id}`);
    expect(items.find((item) => item.fileName === 'tone.wav')).toMatchObject({
      kind: 'audio',
      audioCodec: 'pcm_s16le',
      audioChannels: 1,
      videoCodec: null,
    });
    expect(items.find((item) => item.fileName === 'cover.png')).toMatchObject({
      kind: 'image',
      videoCodec: 'png',
      width: 64,
      height: 36,
      durationMs: null,
    });
    expect(items.some((item) => item.fileName === 'readme.txt')).toBe(false);
    await expect.poll(() => t.changes.some((change) => change.reason === 'added' && change.ids.includes(video.id))).toBe(true);
    expect((await t.api.search({ text: 'conc' })).items.map((item) => item.id)).toEqual([video.id]);
  });

  it('skips a copy of a file it already has (same hash), and says which item it duplicates', async () => {
    const original = (await all()).find((item) => item.fileName === 'Concert_night.mp4')!;
    const copy = join(t.dir, 'elsewhere', 'renamed copy.mp4');
    mkdirSync(join(t.dir, 'elsewhere'), { recursive: true });
    copyFileSync(join(media, 'Concert_night.mp4'), copy);
    const { jobId } = await t.api.import([copy, join(media, 'Concert_night.mp4')]);
    expect(await t.jobEnd(jobId)).toMatchObject({ state: 'done', done: 0, skipped: 2 });
    const issues = await t.api.listImportIssues(jobId);
    expect(issues.find((issue) => issue.path === copy)).toMatchObject({ duplicateOfId: original.id });
    expect(issues.find((issue) => issue.path === copy)?.reason).toContain('duplicate of "Concert night"');
    expect(issues).toContainEqual({ path: join(media, 'Concert_night.mp4'), reason: 'already in the library', duplicateOfId: original.id });
    expect((await all()).filter((item) => item.contentHash === original.contentHash)).toHaveLength(1);
  });

  it('gives a corrupt file its item with a clear error instead of failing the import', async () => {
    const garbage = join(t.dir, 'broken', 'garbage.mp4');
    const truncated = join(t.dir, 'broken', 'truncated.mp4');
    mkdirSync(join(t.dir, 'broken'), { recursive: true });
    writeFileSync(garbage, Buffer.from(Array.from({ length: 4096 }, (_, n) => (n * 7919) % 251)));
    // Keep the head of an MP4 without its end: a recording cut off mid-write, moov missing.
    await makeVideo(join(t.dir, 'broken', 'whole.mov'), { seconds: 1 });
    writeFileSync(truncated, readFileSync(join(t.dir, 'broken', 'whole.mov')).subarray(0, 2000));
    const { jobId } = await t.api.import([garbage, truncated]);
    expect(await t.jobEnd(jobId)).toMatchObject({ state: 'done', done: 2 });
    const broken = (await all()).filter((item) => item.status === 'corrupt');
    expect(broken.map((item) => item.fileName).sort()).toEqual(['garbage.mp4', 'truncated.mp4']);
    for (const item of broken) {
      expect(item.error).toMatch(/^ffprobe cannot read it: .+/);
      expect(item.error).not.toContain(item.path);
      expect(item.posterUrl).toBeNull();
    }
    expect(broken.find((item) => item.fileName === 'garbage.mp4')!.error).toContain('Invalid data found when processing input');
    expect(broken.find((item) => item.fileName === 'truncated.mp4')!.error).toBe(
      'ffprobe cannot read it: moov atom not found; Invalid data found when processing input',
    );
  });

  it('makes a poster and a hover strip with ffmpeg, caches them in the data dir, and makes them again when deleted', async () => {
    const video = (await all()).find((item) => item.fileName === 'Concert_night.mp4')!;
    const poster = await t.library.thumbnail(video.id, 'poster');
    const sprite = await t.library.thumbnail(video.id, 'sprite');
    expect(poster?.startsWith(join(t.dir, 'library', 'thumbnails'))).toBe(true);
    const size = async (file: string) => (await probe(file)).streams[0]!;
    expect(await size(poster!)).toMatchObject({ codec_name: 'mjpeg', width: 320, height: 180 });
    expect(await size(sprite!)).toMatchObject({ codec_name: 'mjpeg', width: 160 * video.spriteFrames, height: 90 });
    rmSync(poster!);
    expect(await t.library.thumbnail(video.id, 'poster')).toBe(poster);
    expect(existsSync(poster!)).toBe(true);
    const image = (await all()).find((item) => item.kind === 'image')!;
    expect(image.spriteUrl).toBeNull();
    expect(await size((await t.library.thumbnail(image.id, 'poster'))!)).toMatchObject({ width: 64, height: 36 });
    expect(await t.library.thumbnail(image.id, 'sprite')).toBeNull();
    const sound = (await all()).find((item) => item.kind === 'audio')!;
    expect(await size((await t.library.thumbnail(sound.id, 'poster'))!)).toMatchObject({ width: 320, height: 180 });
  });

  it('adds a recording the studio made, linked to its scene collection and destinations', async () => {
    const file = await makeVideo(join(t.dir, 'Recordings', '2024-05-01 21-00-00.mp4'), { seconds: 1, size: '320x180' });
    const item = await t.library.addMade({
      path: file,
      kind: 'recording',
      sceneCollectionId: 'default',
      destinationIds: ['local-origin', 'twitch'],
    });
    expect(item).toMatchObject({
      kind: 'recording',
      sceneCollectionId: 'default',
      destinationIds: ['local-origin', 'twitch'],
      videoCodec: 'h264',
    });
    expect((await t.api.list({ kinds: ['recording'] })).items.map((entry) => entry.id)).toEqual([item.id]);
    // The user imported nothing: the job that added it says what happened, not "Import finished: 1 imported".
    const added = t.jobs.filter((job) => job.message.startsWith('Adding the recording')).at(-1)!;
    expect(t.jobs.filter((job) => job.id === added.id).at(-1)).toMatchObject({ state: 'done', message: 'Recording added to the library' });
    // A watched folder may see a finished recording before the recorder reports it: it becomes the studio's all the same.
    const early = await makeVideo(join(t.dir, 'Recordings', 'seen first.mp4'), { seconds: 1, size: '320x180', color: 'green' });
    const { jobId } = await t.api.import([early]);
    const seen = (await t.api.get((await t.jobEnd(jobId)).itemIds[0]!))!;
    expect(seen.kind).toBe('video');
    expect(
      await t.library.addMade({ path: early, kind: 'recording', sceneCollectionId: 'default', destinationIds: ['youtube'] }),
    ).toMatchObject({
      id: seen.id,
      kind: 'recording',
      sceneCollectionId: 'default',
      destinationIds: ['youtube'],
    });
    const shot = await makeImage(join(t.dir, 'Screenshots', 'shot.png'), '1280x720');
    expect(await t.library.addMade({ path: shot, kind: 'screenshot' })).toMatchObject({ kind: 'screenshot', width: 1280, height: 720 });
    await expect(t.library.addMade({ path: join(t.dir, 'nope.mp4'), kind: 'recording' })).rejects.toThrow('the file is gone');
  });

  it('shows progress of a large import, and a cancel stops it with what was done kept and nothing left queued', async () => {
    const many = join(t.dir, 'many');
    await makeImages(many, 40);
    const slow = openTestLibrary({ importConcurrency: 1 });
    try {
      const { jobId } = await slow.api.import([many]);
      await expect.poll(() => slow.jobs.filter((job) => job.id === jobId).at(-1)?.done ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
      // The host answers while it imports: a listing comes back before the import has ended.
      const listed = await slow.api.list({});
      expect(slow.jobs.filter((job) => job.id === jobId).at(-1)?.state).toBe('running');
      expect(listed.total).toBeGreaterThanOrEqual(3);
      expect(await slow.api.cancelJob(jobId)).toBe(true);
      const ended = await slow.jobEnd(jobId);
      expect(ended.state).toBe('cancelled');
      expect(ended.total).toBe(40);
      expect(ended.done).toBeLessThan(40);
      expect(ended.message).toMatch(/^Cancelled after \d+ files; \d+ not imported$/);
      const progress = slow.jobs.filter((job) => job.id === jobId && job.state === 'running').map((job) => job.done);
      expect(progress.length).toBeGreaterThan(1);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
      expect(slow.library.index.queued()).toEqual([]);
      const imported = (await slow.api.list({ limit: 100 })).total;
      expect(imported).toBeGreaterThanOrEqual(ended.done);
      expect(imported).toBeLessThanOrEqual(ended.done + 1);
    } finally {
      await slow.close();
    }
  });
});
