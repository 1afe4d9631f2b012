import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { RECORDING_FORMAT_INFO, RECORDING_FORMATS } from '../../../common/host/recording-format.ts';
import { silentLogger } from '../../../server/log.ts';
import { readRecordingFacts } from './recording-facts.ts';
import { Recorder } from './recorder.ts';
import { decodedVideoFrames, encodeTestProgram, probe, shiftProgram } from './testing.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-recording-facts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const program = encodeTestProgram({ seconds: 4, gop: 30 });
const span = program.packets.at(-1)!.timestampUs + 33_333;
const FPS = 30;

/** What a kill -9 leaves: the recorder's file as it stands after `share` of 8 s of media, copied before the recorder stops. */
let made = 0;
function crashedRecording(format: (typeof RECORDING_FORMATS)[number], share: number): string {
  const extension = RECORDING_FORMAT_INFO[format].extension;
  const path = join(scratch, `${format}-${++made}.${extension}`);
  const copy = join(scratch, `${format}-${made}-crashed.${extension}`);
  const recorder = new Recorder({ path, format, log: silentLogger, audioExpected: true, onStopped: () => {} });
  recorder.onConfig(program.config);
  const packets = [...program.packets, ...shiftProgram(program.packets, span)];
  packets.slice(0, Math.floor(packets.length * share)).forEach((packet) => recorder.onPacket(packet));
  copyFileSync(path, copy);
  recorder.stop();
  return copy;
}

/** A copy of `path` cut at `bytes`, as a kill -9 in the middle of a write could leave it. */
function cutAt(path: string, bytes: number, name: string): string {
  const copy = join(scratch, name);
  copyFileSync(path, copy);
  truncateSync(copy, bytes);
  return copy;
}

/** The end of the last video frame a player decodes, s. */
const playableVideoSec = (path: string) => decodedVideoFrames(path) / FPS;

describe.each(RECORDING_FORMATS)('reading back a %s recording a crash cut short', (format) => {
  it('gives the duration ffprobe reads (within half a second), the codec strings the recorder indexes, and the picture size', async () => {
    const path = crashedRecording(format, 0.75);
    const facts = await readRecordingFacts(path);
    expect(facts).toMatchObject({ videoCodec: program.config.video!.codec, audioCodec: 'mp4a.40.2', width: 320, height: 180 });
    // ffprobe on FLV reads onMetaData, still 0 in a file never finalised: compare with what it decodes.
    const reference = format === 'flv' ? playableVideoSec(path) : probe(path).durationSec;
    expect(Math.abs(facts.durationMs / 1000 - reference)).toBeLessThan(0.5);
    expect(facts.durationMs).toBeGreaterThan(4900);
  });

  it('still gives a duration when the file ends in the middle of its last fragment: where the last whole sample ends', async () => {
    const whole = crashedRecording(format, 0.75);
    const size = statSync(whole).size;
    const cut = cutAt(whole, size - 40_000, `${format}-mid-fragment.${RECORDING_FORMAT_INFO[format].extension}`);
    const facts = await readRecordingFacts(cut);
    expect(facts.videoCodec).toBe(program.config.video!.codec);
    expect(facts.durationMs).toBeGreaterThan(3000);
    expect(facts.durationMs).toBeLessThan((await readRecordingFacts(whole)).durationMs);
    expect(Math.abs(facts.durationMs / 1000 - playableVideoSec(cut))).toBeLessThan(0.5);
  });
});

describe('reading back a hybrid MP4 the host died in while finalising it', () => {
  it('a moov cut short at the end is left out: the fragments still read whole', async () => {
    const path = join(scratch, 'finalised.mp4');
    const recorder = new Recorder({ path, format: 'hybrid-mp4', log: silentLogger, audioExpected: true, onStopped: () => {} });
    recorder.onConfig(program.config);
    program.packets.forEach((packet) => recorder.onPacket(packet));
    recorder.stop();
    // As the file stood halfway through appending the progressive moov: the boxes renamed
    // `free` afterwards are still the fragmented moov and the moofs.
    const bytes = Buffer.from(readFileSync(path));
    let moovAt = 0;
    for (let at = 0, frees = 0; at < bytes.length; at += bytes.readUInt32BE(at)) {
      const type = bytes.toString('latin1', at + 4, at + 8);
      if (type === 'free') bytes.write(frees++ === 0 ? 'moov' : 'moof', at + 4, 'latin1');
      if (type === 'moov') moovAt = at;
    }
    const cut = join(scratch, 'finalising.mp4');
    writeFileSync(cut, bytes.subarray(0, moovAt + Math.floor((bytes.length - moovAt) / 2)));
    const facts = await readRecordingFacts(cut);
    expect(facts.videoCodec).toBe(program.config.video!.codec);
    expect(Math.abs(facts.durationMs / 1000 - probe(path).durationSec)).toBeLessThan(0.5);
  });
});

describe('reading back files ffmpeg fragmented (frag_keyframe+empty_moov), and files that are not recordings', () => {
  const ffmpegFragmented = join(scratch, 'ffmpeg-fragmented.mp4');
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=${FPS}`, '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000'],
    ...['-t', '6', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2'],
    ...['-movflags', 'frag_keyframe+empty_moov', ffmpegFragmented],
  ]);

  it('a whole file reads as ffprobe reads it, and one cut at 70 % reads to its last whole sample (ffprobe counts the lost ones too)', async () => {
    const whole = await readRecordingFacts(ffmpegFragmented);
    expect(whole).toMatchObject({ audioCodec: 'mp4a.40.2', width: 320, height: 180 });
    expect(whole.videoCodec).toMatch(/^avc1\.[0-9a-f]{6}$/);
    expect(Math.abs(whole.durationMs / 1000 - probe(ffmpegFragmented).durationSec)).toBeLessThan(0.5);

    const cut = cutAt(ffmpegFragmented, Math.floor(statSync(ffmpegFragmented).size * 0.7), 'ffmpeg-cut.mp4');
    const facts = await readRecordingFacts(cut);
    expect(Math.abs(facts.durationMs / 1000 - playableVideoSec(cut))).toBeLessThan(0.5);
    expect(facts.durationMs / 1000).toBeLessThanOrEqual(probe(cut).durationSec + 0.05);
  });

  it('a file cut anywhere never throws once its header is whole, and reads no longer the less of it there is (fuzz)', async () => {
    const bytes = readFileSync(ffmpegFragmented);
    const cut = join(scratch, 'fuzz.mp4');
    // ftyp + moov: everything before the first moof.
    const header = bytes.indexOf('moof') - 4;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: header, max: bytes.length }), fc.integer({ min: header, max: bytes.length }), async (a, b) => {
        const [short, long] = a < b ? [a, b] : [b, a];
        writeFileSync(cut, bytes.subarray(0, short));
        const shorter = await readRecordingFacts(cut);
        writeFileSync(cut, bytes.subarray(0, long));
        const longer = await readRecordingFacts(cut);
        expect(shorter.durationMs).toBeLessThanOrEqual(longer.durationMs);
        expect(shorter.videoCodec).toBe(longer.videoCodec);
      }),
      { numRuns: 25 },
    );
  });

  it('a file with its header and no sample reads as 0 ms; one that is not media, or is gone, throws', async () => {
    const bytes = readFileSync(ffmpegFragmented);
    const headerOnly = join(scratch, 'header-only.mp4');
    writeFileSync(headerOnly, bytes.subarray(0, bytes.indexOf('moof') - 4));
    expect((await readRecordingFacts(headerOnly)).durationMs).toBe(0);

    const noise = join(scratch, 'noise.mp4');
    writeFileSync(noise, Buffer.from('this is not a recording at all, just some words in a file'));
    await expect(readRecordingFacts(noise)).rejects.toThrow();
    const notFlv = join(scratch, 'not.flv');
    writeFileSync(notFlv, Buffer.from('FLV\x09 but a version no one wrote'));
    await expect(readRecordingFacts(notFlv)).rejects.toThrow(/FLV/);
    await expect(readRecordingFacts(join(scratch, 'gone.mp4'))).rejects.toThrow(/ENOENT/);
  });
});
