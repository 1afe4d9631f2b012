import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeAudio, makeImage, makeVideo } from './testing-media.ts';
import { CorruptMediaError, parseProbe, probeFile, probeWithFfprobe, probeWithMediabunny } from './probe.ts';

const dir = mkdtempSync(join(tmpdir(), 'tally-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading media facts', () => {
  it('reads the same facts with mediabunny as ffprobe does, in ffprobe names, for the formats mediabunny handles', async () => {
    const files = await Promise.all([
      makeVideo(join(dir, 'a.mp4'), { seconds: 2, size: '320x180', fps: 30 }),
      makeVideo(join(dir, 'b.mkv'), { seconds: 2, size: '256x144', fps: 25 }),
      makeVideo(join(dir, 'c.webm'), { seconds: 1, size: '160x90', fps: 30, videoCodec: 'libvpx-vp9', audioCodec: 'libopus' }),
      makeVideo(join(dir, 'd.ts'), { seconds: 2, size: '160x90', fps: 30 }),
      makeAudio(join(dir, 'e.mp3'), 2),
      makeAudio(join(dir, 'f.wav'), 1),
    ]);
    for (const file of files) {
      const fast = await probeWithMediabunny(file);
      const reference = await probeWithFfprobe('ffprobe', file);
      expect(fast, file).not.toBeNull();
      const { durationMs, fps, ...rest } = fast!.facts;
      const { durationMs: referenceDurationMs, fps: referenceFps, ...referenceRest } = reference.facts;
      expect({ kind: fast!.kind, ...rest }, file).toEqual({ kind: reference.kind, ...referenceRest });
      expect(Math.abs(durationMs! - referenceDurationMs!), file).toBeLessThanOrEqual(80);
      if (referenceFps !== null) expect(Math.abs(fps! - referenceFps), file).toBeLessThanOrEqual(0.5);
    }
  });

  it('leaves to ffprobe what mediabunny does not read (FLV, images) and what it finds no tracks in', async () => {
    const flv = await makeVideo(join(dir, 'g.flv'), { seconds: 1 });
    const png = await makeImage(join(dir, 'h.png'));
    const garbage = join(dir, 'garbage.mp4');
    writeFileSync(garbage, Buffer.alloc(3000, 7));
    expect(await probeWithMediabunny(flv)).toBeNull();
    expect(await probeWithMediabunny(png)).toBeNull();
    expect(await probeWithMediabunny(garbage)).toBeNull();
    expect(await probeFile('ffprobe', flv)).toMatchObject({
      kind: 'video',
      facts: { container: 'flv', videoCodec: 'h264', audioCodec: 'aac' },
    });
    expect(await probeFile('ffprobe', png)).toMatchObject({ kind: 'image', facts: { container: 'png_pipe', width: 64, height: 36 } });
    await expect(probeFile('ffprobe', garbage)).rejects.toThrow(CorruptMediaError);
  });

  it('tells images, animations, sound and video apart in what ffprobe reports', () => {
    const stream = (fields: Record<string, unknown>) => ({ codec_type: 'video', ...fields });
    expect(parseProbe({ streams: [stream({ codec_name: 'mjpeg', width: 10, height: 10 })], format: { format_name: 'image2' } }).kind).toBe(
      'image',
    );
    expect(
      parseProbe({ streams: [stream({ codec_name: 'gif', nb_frames: '40' })], format: { format_name: 'gif', duration: '4' } }),
    ).toMatchObject({
      kind: 'image',
      facts: { durationMs: null },
    });
    // An MP3 with cover art is sound, not video.
    expect(
      parseProbe({
        streams: [
          { codec_type: 'audio', codec_name: 'mp3', channels: 2, sample_rate: '44100' },
          stream({ codec_name: 'mjpeg', disposition: { attached_pic: 1 } }),
        ],
        format: { format_name: 'mp3', duration: '3.5' },
      }),
    ).toMatchObject({ kind: 'audio', facts: { durationMs: 3500, videoCodec: null, audioChannels: 2, audioSampleRate: 44100 } });
    expect(
      parseProbe({ streams: [stream({ codec_name: 'h264', avg_frame_rate: '30000/1001' })], format: { duration: '1' } }).facts.fps,
    ).toBe(29.97);
    expect(() => parseProbe({ streams: [{ codec_type: 'data' }], format: {} })).toThrow('the file holds no picture and no sound');
    expect(() => parseProbe('not json')).toThrow(CorruptMediaError);
  });
});
