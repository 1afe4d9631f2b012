/**
 * The engine's live parts in Chromium with fake devices: H.264 encoding that decodes back
 * (WebCodecs VideoDecoder in the page, ffprobe on the muxed MP4), the real-time frame loop
 * and its stats, the shared clock across audio and video, audio meters on the fake
 * microphone and on a media file, and the fake camera and screen as sources.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TallyHarness } from './harness/engine-harness.ts';
import { useEnginePage } from './support/engine-harness.ts';

declare const tallyHarness: TallyHarness;

const dir = mkdtempSync(join(tmpdir(), 'tally-engine-media-'));
const harness = useEnginePage();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('encoding the program', () => {
  it('encodes 3 s of program output into H.264 that decodes to 90 frames of the right size and picture', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      const clock = { ms: 0 };
      const engine = await t.createStudioEngine({
        output: { width: 160, height: 90, fps: 30 },
        frameLoop: false,
        audio: false,
        now: () => clock.ms,
      });
      engine.load(
        t.collectionOf(160, 90, [
          { id: 'bg', name: 'Background', settings: { kind: 'color', color: '#d02020', width: 160, height: 90 } },
          { id: 'box', name: 'Box', settings: { kind: 'color', color: '#20d020', width: 40, height: 40 } },
        ], [{ id: 'a', sourceId: 'bg' }, { id: 'b', sourceId: 'box' }]), // prettier-ignore
      );
      await engine.whenSourcesStarted();
      const sink = new t.MemorySink();
      const info = await engine.startEncoding({ bitrateKbps: 400, keyframeIntervalSec: 1 }, sink);
      let maxQueue = 0;
      for (let frame = 0; frame < 90; frame++) {
        clock.ms = (frame * 1000) / 30;
        // The box moves, so every frame has something to encode.
        engine.dispatch({ type: 'updateItem', itemId: 'b', patch: { position: { x: frame, y: 25 } } });
        // Wait for room in the encoder: this test wants every frame, not realtime skipping.
        while (engine.getStats().encodeQueue >= 3) await new Promise((resolve) => setTimeout(resolve, 2));
        engine.renderFrame(frame);
        maxQueue = Math.max(maxQueue, engine.getStats().encodeQueue);
      }
      const statsBefore = engine.getStats();
      await engine.stopEncoding();

      const decoded: Array<{ width: number; height: number; timestamp: number; center: number[] }> = [];
      const decoder = new VideoDecoder({
        output: (frame) => {
          const canvas = new OffscreenCanvas(frame.displayWidth, frame.displayHeight);
          const context = canvas.getContext('2d')!;
          context.drawImage(frame, 0, 0);
          decoded.push({
            width: frame.displayWidth,
            height: frame.displayHeight,
            timestamp: frame.timestamp,
            center: Array.from(context.getImageData(10, 80, 1, 1).data),
          });
          frame.close();
        },
        error: (error) => console.error(error),
      });
      const config = sink.configs[0]!;
      decoder.configure({ codec: config.codec, codedWidth: config.width, codedHeight: config.height, description: config.description! });
      for (const chunk of sink.chunks)
        decoder.decode(
          new EncodedVideoChunk({
            type: chunk.keyframe ? 'key' : 'delta',
            timestamp: chunk.timestampUs,
            duration: chunk.durationUs,
            data: chunk.data,
          }),
        );
      await decoder.flush();
      const mp4 = await t.muxMp4(sink, 30);
      engine.dispose();
      let binary = '';
      for (const byte of mp4) binary += String.fromCharCode(byte);
      return {
        info,
        profile: config.profile,
        chunks: sink.chunks.length,
        keyframes: sink.chunks.flatMap((chunk, index) => (chunk.keyframe ? [index] : [])),
        timestamps: sink.chunks.slice(0, 4).map((chunk) => chunk.timestampUs),
        decoded: decoded.length,
        sizes: [...new Set(decoded.map((frame) => `${frame.width}x${frame.height}`))],
        firstCenter: decoded[0]?.center,
        statsBefore,
        maxQueue,
        mp4: btoa(binary),
      };
    });
    expect(result.info).toMatchObject({ width: 160, height: 90, fps: 30, bitrateKbps: 400 });
    expect(result.info.codec).toMatch(/^avc1\./);
    expect(result.chunks).toBe(90);
    expect(result.decoded).toBe(90);
    expect(result.sizes).toEqual(['160x90']);
    expect(result.timestamps).toEqual([0, 33_333, 66_667, 100_000]);
    // One keyframe a second.
    expect(result.keyframes).toEqual([0, 30, 60]);
    // The decoded picture is the program's: red background at the bottom left.
    expect(result.firstCenter![0]).toBeGreaterThan(170);
    expect(result.firstCenter![1]).toBeLessThan(80);
    expect(result.statsBefore.framesSkippedEncodeLag).toBe(0);

    const file = join(dir, 'program.mp4');
    writeFileSync(file, Buffer.from(result.mp4, 'base64'));
    const probe = JSON.parse(
      execFileSync('ffprobe', [
        '-v',
        'error',
        '-count_frames',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=codec_name,profile,width,height,nb_read_frames',
        '-of',
        'json',
        file,
      ]).toString(),
    ) as { streams: Array<Record<string, unknown>> };
    expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', width: 160, height: 90, nb_read_frames: '90' });
    // Whatever profile the encoder reports is the one in the stream.
    const expectedProfile = { high: 'High', main: 'Main', baseline: 'Constrained Baseline' }[result.profile!];
    expect(String(probe.streams[0]!.profile)).toContain(expectedProfile);
    console.log(`encoder: ${result.info.codec} ${result.info.hardwareAcceleration}, stream profile ${String(probe.streams[0]!.profile)}`);
  });
});

describe('live capture and the real-time loop', () => {
  it('runs the frame loop on the fake camera and microphone: stats move, meters respond, audio and video share one clock', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      const engine = await t.createStudioEngine({ output: { width: 160, height: 90, fps: 30 } });
      engine.load(
        t.collectionOf(160, 90, [
          { id: 'cam', name: 'Camera', settings: { kind: 'camera', width: 320, height: 180, fps: 30 } },
          { id: 'mic', name: 'Microphone', settings: { kind: 'microphone' } },
        ], [{ id: 'c', sourceId: 'cam', scale: { x: 0.5, y: 0.5 } }]), // prettier-ignore
      );
      await engine.whenSourcesStarted();
      await engine.resumeAudio();
      const sink = new t.MemorySink();
      await engine.startEncoding({ bitrateKbps: 300, keyframeIntervalSec: 2 }, sink);
      let micPeak = 0;
      let meterEvents = 0;
      const subscription = engine.onMeters((meters) => {
        meterEvents++;
        micPeak = Math.max(micPeak, meters.sources.mic?.peak[0] ?? 0);
      });
      const startedAt = performance.now();
      const frames: string[] = [];
      while (performance.now() - startedAt < 2500) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const picture = engine.readProgram();
        frames.push(
          Array.from(picture.data.subarray(0, picture.data.length))
            .filter((_, i) => i % 97 === 0)
            .join(),
        );
      }
      const elapsedS = (performance.now() - startedAt) / 1000;
      // Drift: how far behind the shared clock the newest audio and video timestamps are.
      const nowUs = engine.clockUs();
      const lastVideo = sink.chunks.at(-1)!;
      const lastAudio = sink.pcm.at(-1)!;
      const drift = {
        videoBehindMs: (nowUs - lastVideo.timestampUs) / 1000,
        audioBehindMs: (nowUs - (lastAudio.timestampUs + (lastAudio.frames / 48) * 1000)) / 1000,
      };
      const pcmSteps = sink.pcm.slice(1).map((block, index) => block.timestampUs - sink.pcm[index]!.timestampUs);
      await engine.stopEncoding();
      subscription.dispose();
      const snapshot = engine.getSnapshot();
      engine.dispose();
      return {
        elapsedS,
        micPeak,
        meterEvents,
        distinctFrames: new Set(frames).size,
        sources: snapshot.sources,
        stats: snapshot.stats,
        videoChunks: sink.chunks.length,
        pcmBlocks: sink.pcm.length,
        pcmShape: sink.pcm[0] ? { frames: sink.pcm[0].frames, samples: sink.pcm[0].data.length } : null,
        pcmStepMinUs: Math.min(...pcmSteps),
        pcmStepMaxUs: Math.max(...pcmSteps),
        pcmContiguousShare: pcmSteps.filter((step) => Math.abs(step - 20_000) <= 100).length / pcmSteps.length,
        drift,
      };
    });
    console.log('real-time run', JSON.stringify({ ...result, sources: undefined }));
    expect(result.sources.cam).toMatchObject({ state: 'ready', width: 320, height: 180 });
    expect(result.sources.mic).toMatchObject({ state: 'ready' });
    // The fake camera moves: the program changes from one sample to the next.
    expect(result.distinctFrames).toBeGreaterThan(3);
    // The fake microphone beeps; its meter sees it, and meters arrive at most 30 times a second.
    expect(result.micPeak).toBeGreaterThan(0.01);
    expect(result.meterEvents).toBeGreaterThan(10);
    expect(result.meterEvents).toBeLessThanOrEqual(result.elapsedS * 30 + 2);
    // Stats: frames rendered, encoded or counted as skipped for encode lag.
    expect(result.stats.framesRendered).toBeGreaterThan(10);
    expect(result.videoChunks).toBeGreaterThan(0);
    expect(result.stats.framesRendered).toBeGreaterThanOrEqual(result.videoChunks + result.stats.framesSkippedEncodeLag);
    // PCM: 20 ms blocks of interleaved stereo, following each other on the clock.
    expect(result.pcmShape).toEqual({ frames: 960, samples: 1920 });
    expect(result.pcmBlocks).toBeGreaterThan(elapsedBlocks(result.elapsedS) * 0.8);
    // Blocks follow each other by their length (±0.5 % of slew toward the clock). A loaded
    // machine can make the audio device skip quanta; the timeline then restarts from the
    // clock fit, forward, never back past the previous block.
    expect(result.pcmContiguousShare).toBeGreaterThan(0.9);
    expect(result.pcmStepMinUs).toBeGreaterThan(0);
    expect(result.pcmStepMaxUs).toBeLessThan(200_000);
    // Both streams are stamped on the same clock: each trails "now" by its pipeline, not by seconds.
    expect(Math.abs(result.drift.videoBehindMs)).toBeLessThan(500);
    expect(Math.abs(result.drift.audioBehindMs)).toBeLessThan(500);
  });

  it('plays a media file (made by ffmpeg) with picture and sound through the mixer, whose gain and mute act on it', async () => {
    const file = join(dir, 'clip.mp4');
    execFileSync('ffmpeg', [
      '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=160x90:r=30:d=2', '-f', 'lavfi', '-i', 'sine=f=440:d=2',
      '-c:v', 'libx264', '-g', '30', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-y', file,
    ]); // prettier-ignore
    const base64 = readFileSync(file).toString('base64');
    const result = await harness.page().evaluate(async (data) => {
      const t = tallyHarness;
      const blob = await (await fetch(`data:video/mp4;base64,${data}`)).blob();
      const url = URL.createObjectURL(blob);
      const engine = await t.createStudioEngine({ output: { width: 160, height: 90, fps: 30 } });
      engine.load(
        t.collectionOf(
          160,
          90,
          [{ id: 'clip', name: 'Clip', settings: { kind: 'media', url, loop: true } }],
          [{ id: 'i', sourceId: 'clip' }],
        ),
      );
      await engine.whenSourcesStarted();
      await engine.resumeAudio();
      // The steady 440 Hz tone's peak on the clip's strip meter, after gain, over `ms`.
      const peakOver = async (ms: number) => {
        let peak = 0;
        const startedAt = performance.now();
        while (performance.now() - startedAt < ms) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          peak = Math.max(peak, engine.meters()?.sources.clip?.peak[0] ?? 0);
        }
        return peak;
      };
      const peak = await peakOver(800);
      engine.dispatch({ type: 'setAudio', sourceId: 'clip', audio: { gainDb: -20 } });
      await peakOver(200); // the gain ramps in 10 ms; let old readings pass
      const quieter = await peakOver(400);
      engine.dispatch({ type: 'setAudio', sourceId: 'clip', audio: { gainDb: 0, muted: true } });
      await peakOver(200);
      const muted = await peakOver(400);
      const picture = engine.readProgram();
      let lit = 0;
      for (let offset = 0; offset < picture.data.length; offset += 4)
        if (picture.data[offset]! + picture.data[offset + 1]! + picture.data[offset + 2]! > 150) lit++;
      const status = engine.getSnapshot().sources.clip;
      engine.dispose();
      URL.revokeObjectURL(url);
      return { peak, quieter, muted, lit, status };
    }, base64);
    expect(result.status).toMatchObject({ state: 'ready', width: 160, height: 90 });
    expect(result.lit).toBeGreaterThan(1000);
    expect(result.peak).toBeGreaterThan(0.1);
    // -20 dB is a tenth of the amplitude; muted is silence.
    expect(result.quieter / result.peak).toBeGreaterThan(0.07);
    expect(result.quieter / result.peak).toBeLessThan(0.14);
    expect(result.muted).toBeLessThan(0.001);
  });

  it('captures the (fake) screen with getDisplayMedia where the host offers no desktopCapturer ids', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      const engine = await t.createStudioEngine({ output: { width: 64, height: 36, fps: 30 }, audio: false });
      engine.load(
        t.collectionOf(
          64,
          36,
          [{ id: 'screen', name: 'Screen', settings: { kind: 'screen' } }],
          [{ id: 'i', sourceId: 'screen', scale: { x: 0.05, y: 0.05 } }],
        ),
      );
      await engine.whenSourcesStarted();
      const status = engine.getSnapshot().sources.screen;
      engine.dispose();
      return status;
    });
    expect(result).toMatchObject({ state: 'ready' });
    expect(result!.width).toBeGreaterThan(0);
  });
});

function elapsedBlocks(seconds: number): number {
  return (seconds * 1000) / 20;
}
