/**
 * The studio's push to its embedded origin, read back as HLS: the host's real outputs (media
 * hub, program feed with the real ffmpeg AAC child, RTMP destination, embedded Tally Origin)
 * fed as the renderer feeds them (`playAsStudio`: x264 stands in for WebCodecs, whose keyframe
 * interval it copies with `-g`). The AAC child here is the system ffmpeg started 0.8 s late (a
 * loaded machine, a cold disk), so the first video frames are there well before the first AAC
 * frame, as the newcomer of issue 7 saw: before the fix, the origin learnt of audio after
 * its first video frames (a short first segment, a new init segment and a discontinuity, and a
 * target duration of 1 s that forced cuts through every 2 s GOP).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaHub } from '../../main/services/media-hub.ts';
import { OutputsService } from '../../main/services/outputs/outputs-service.ts';
import { encodeTestProgram, playAsStudio, testOutputsOptions } from '../../main/services/outputs/testing.ts';
import { Store } from '../../main/services/store.ts';
import { captureLogger } from '../../server/log.ts';
import { parseMediaPlaylist } from '../../server/hls/playlist-rules.ts';
import { waitFor } from './support/media.ts';
import { segmentMedia, watchPlaylist } from './support/origin-media.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Goes live from a fresh install (the local origin) with a `keyframeIntervalS` GOP at 30 fps until `segments` HLS segments are listed. */
async function goLiveAndWatch(keyframeIntervalS: number, segments: number) {
  const dir = mkdtempSync(join(tmpdir(), 'tally-local-hls-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const slowFfmpeg = join(dir, 'ffmpeg-slow-start');
  writeFileSync(slowFfmpeg, '#!/bin/sh\nsleep 0.8\nexec ffmpeg "$@"\n');
  chmodSync(slowFfmpeg, 0o755);
  const store = new Store({ dataDir: dir });
  const hub = new MediaHub(captureLogger());
  const service = new OutputsService(
    testOutputsOptions(dir, {
      store,
      log: captureLogger(),
      media: hub,
      ffmpeg: { found: true, path: slowFfmpeg, version: 'system, started late', source: 'configured' },
    }),
  );
  cleanups.push(async () => {
    await service.shutdown();
    store.dispose();
  });
  const program = encodeTestProgram({ seconds: 4, gop: 30 * keyframeIntervalS });
  const state = await service.goLive();
  const playlistUrl = state.localOrigin.playback!.hls;
  // The renderer's first frames reach a destination that is already up (as on a second Go Live).
  await waitFor(() => service.state().destinations[0]?.status.state === 'live', 20_000, 'the local origin destination live');
  let stop = false;
  const playing = playAsStudio(hub, program, { loops: 100, stop: () => stop });
  let enough = false;
  const watching = watchPlaylist(playlistUrl, () => enough);
  try {
    const listed = async () => parseMediaPlaylist(await (await fetch(playlistUrl)).text()).segments.length;
    await waitFor(async () => (await listed()) >= segments, 60_000, `${segments} HLS segments`);
  } finally {
    enough = true;
    stop = true;
    await playing;
  }
  const watched = await watching;
  const last = watched.versions.at(-1)!;
  return { ...watched, last, media: await segmentMedia(playlistUrl, last, dir) };
}

describe('HLS from the studio to its local origin (real AAC child, real origin)', () => {
  it('with the default 2 s keyframe interval: 2 s segments that each start on a keyframe, no discontinuity, a 2 s target', async () => {
    const { problems, versions, last, media } = await goLiveAndWatch(2, 4);
    expect(problems).toEqual([]);
    // One init segment and no discontinuity from the first version on: audio was there from the start.
    for (const version of versions) {
      expect(version.segments.some((segment) => segment.discontinuity)).toBe(false);
      expect(new Set(version.segments.map((segment) => segment.map)).size).toBe(1);
      expect(version.targetDurationS).toBe(2);
    }
    expect(media.length).toBeGreaterThanOrEqual(4);
    for (const segment of media) {
      expect(segment.startsOnKeyframe, `segment ${segment.msn} starts on a keyframe`).toBe(true);
      expect(segment.listedS).toBeCloseTo(2, 1);
    }
    expect(last.targetDurationS).toBeGreaterThanOrEqual(Math.round(Math.max(...media.map((segment) => segment.listedS))));
  });

  it('with a 4 s GOP (a 4 s keyframe interval in Settings → Output): the segments and the target follow it', async () => {
    const { problems, last, media } = await goLiveAndWatch(4, 3);
    expect(problems).toEqual([]);
    expect(last.targetDurationS).toBe(4);
    expect(last.segments.some((segment) => segment.discontinuity)).toBe(false);
    for (const segment of media) {
      expect(segment.startsOnKeyframe, `segment ${segment.msn} starts on a keyframe`).toBe(true);
      expect(segment.listedS).toBeCloseTo(4, 1);
    }
  });
});
