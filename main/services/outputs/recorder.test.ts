import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RECORDING_FORMAT_INFO, RECORDING_FORMATS, type RecordingFormat } from '../../../common/host/recording-format.ts';
import { decodeAmf0, type AmfEcmaArray } from '../../../common/media/amf0.ts';
import { FlvReader, FlvTagType, type FlvTag } from '../../../common/media/flv.ts';
import { silentLogger } from '../../../server/log.ts';
import { Recorder, type RecordingResult } from './recorder.ts';
import { decodedVideoFrames, encodeTestProgram, probe, shiftProgram } from './testing.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-recorder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const program = encodeTestProgram({ seconds: 4, gop: 60 });
const span = program.packets.at(-1)!.timestampUs + 33_333;
/** A program heavy enough to fill a 1 MiB disk in a few loops (encoded only where the full-disk tests run). */
const heavy = process.getuid?.() === 0 ? encodeTestProgram({ seconds: 4, gop: 30, bitrateKbps: 3000 }) : program;

/** The top-level box types of an MP4 file. */
function topLevelBoxes(path: string): string[] {
  const bytes = readFileSync(path);
  const types: string[] = [];
  for (let at = 0; at < bytes.length; at += bytes.readUInt32BE(at)) types.push(bytes.toString('latin1', at + 4, at + 8));
  return types;
}

/** The tags of an FLV file, read with the origin's parser (which throws on a malformed stream). */
function flvTags(path: string): FlvTag[] {
  const tags: FlvTag[] = [];
  new FlvReader((tag) => tags.push(tag)).feed(readFileSync(path));
  return tags;
}

/** `onMetaData`'s entries in an FLV file. */
function flvMetadata(path: string): Record<string, unknown> {
  const script = flvTags(path).find((tag) => tag.type === FlvTagType.script)!;
  const [name, meta] = decodeAmf0(script.payload);
  expect(name).toBe('onMetaData');
  return (meta as AmfEcmaArray).entries;
}

/** What each format's file must look like, finished and cut short by a crash. */
const LAYOUT: Record<RecordingFormat, { finished(path: string): void; crashed(path: string): void }> = {
  'hybrid-mp4': {
    finished(path) {
      // Fragments renamed free, one progressive moov at the end.
      const boxes = topLevelBoxes(path);
      expect(boxes[0]).toBe('ftyp');
      expect(boxes.at(-1)).toBe('moov');
      expect(boxes.filter((type) => type === 'moov')).toHaveLength(1);
      expect(boxes).not.toContain('moof');
      // 4 s in fragments of at most 1 s: at least four mdat boxes.
      expect(boxes.filter((type) => type === 'mdat').length).toBeGreaterThanOrEqual(4);
    },
    crashed: (path) => expect(topLevelBoxes(path).slice(0, 3)).toEqual(['ftyp', 'moov', 'moof']),
  },
  'fragmented-mp4': {
    finished(path) {
      // Never finalised: ftyp, the fragmented moov, then moof + mdat pairs to the end.
      const boxes = topLevelBoxes(path);
      expect(boxes.slice(0, 3)).toEqual(['ftyp', 'moov', 'moof']);
      expect(boxes.at(-1)).toBe('mdat');
      expect(boxes.filter((type) => type === 'moov')).toHaveLength(1);
      expect(boxes.filter((type) => type === 'moof').length).toBeGreaterThanOrEqual(4);
    },
    crashed: (path) => expect(topLevelBoxes(path).slice(0, 3)).toEqual(['ftyp', 'moov', 'moof']),
  },
  flv: {
    finished(path) {
      const tags = flvTags(path);
      // Timestamps never go back: the tracks are interleaved.
      const media = tags.filter((tag) => tag.type !== FlvTagType.script);
      expect(media.every((tag, i) => i === 0 || tag.timestamp >= media[i - 1]!.timestamp)).toBe(true);
      const meta = flvMetadata(path);
      expect(meta.duration).toBeGreaterThan(3.9);
      expect(meta.filesize).toBe(statSync(path).size);
      expect(meta).toMatchObject({ width: 320, height: 180, videocodecid: 7, audiocodecid: 10 });
    },
    crashed(path) {
      // Whole tags to the end, and the duration still the placeholder: readers take the tags' timestamps.
      expect(flvTags(path).length).toBeGreaterThan(100);
      expect(flvMetadata(path).duration).toBe(0);
    },
  },
};

function recorder(path: string, format: RecordingFormat, extra: Partial<ConstructorParameters<typeof Recorder>[0]> = {}) {
  const stopped: { result: RecordingResult | null; split: boolean }[] = [];
  const created = new Recorder({
    path,
    format,
    log: silentLogger,
    audioExpected: true,
    onStopped: (result, split) => stopped.push({ result, split }),
    ...extra,
  });
  created.onConfig(program.config);
  return { recorder: created, stopped };
}

describe.each(RECORDING_FORMATS)('the recorder writing %s', (format) => {
  const extension = RECORDING_FORMAT_INFO[format].extension;
  const file = (name: string) => join(scratch, `${format}-${name}.${extension}`);

  it('writes fragments of at most one second while recording, and a file ffprobe reads whole on stop', () => {
    const path = file('normal');
    const { recorder: rec } = recorder(path, format);
    for (const packet of program.packets) rec.onPacket(packet);
    const result = rec.stop()!;
    expect(result).toMatchObject({
      path,
      status: 'complete',
      error: null,
      videoCodec: program.config.video!.codec,
      audioCodec: 'mp4a.40.2',
      width: 320,
      height: 180,
      sizeBytes: statSync(path).size,
    });
    expect(result.durationMs).toBeGreaterThan(3900);
    LAYOUT[format].finished(path);
    const probed = probe(path);
    expect(probed.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:aac', 'video:h264']);
    expect(probed.durationSec).toBeGreaterThan(3.9);
    expect(probed.durationSec).toBeLessThan(4.2);
    expect(decodedVideoFrames(path)).toBe(program.packets.filter((p) => p.kind === 'video').length);
  });

  it('leaves a file that plays up to its last fragment when the process dies mid-recording', () => {
    const path = file('crash');
    const copy = file('crash-copy');
    const { recorder: rec } = recorder(path, format);
    const packets = [...program.packets, ...shiftProgram(program.packets, span)];
    packets.slice(0, Math.floor(packets.length * 0.75)).forEach((packet) => rec.onPacket(packet));
    // What is on disk now is what a kill -9 would leave.
    copyFileSync(path, copy);
    rec.stop();
    LAYOUT[format].crashed(copy);
    const probed = probe(copy);
    expect(probed.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    // 6 s of media handed in; the unfinished last second may be missing.
    expect(probed.durationSec).toBeGreaterThanOrEqual(4.9);
    expect(decodedVideoFrames(copy)).toBeGreaterThan(140);
  });

  it('stops by itself with a clear message when the disk runs low, leaving a finished file', () => {
    const path = file('low');
    let free = 10 ** 12;
    const { recorder: rec, stopped } = recorder(path, format, { minFreeBytes: 1000, freeBytes: () => free });
    program.packets.slice(0, 100).forEach((packet) => rec.onPacket(packet));
    free = 10;
    (rec as unknown as { checkDisk(): void }).checkDisk();
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.result).toMatchObject({ status: 'complete', error: expect.stringMatching(/less than .* free/) as unknown });
    expect(probe(path).durationSec).toBeGreaterThan(1);
  });

  it('continues in a new file when the encoder restarts with another configuration', () => {
    const path = file('split');
    const { recorder: rec, stopped } = recorder(path, format);
    program.packets.slice(0, 90).forEach((packet) => rec.onPacket(packet));
    const avcC = program.config.video!.avcC.slice();
    avcC[3] = avcC[3]! + 1; // another level: another decoder configuration
    rec.onConfig({ ...program.config, video: { ...program.config.video!, avcC } });
    expect(stopped).toEqual([{ result: expect.objectContaining({ status: 'complete' }) as unknown, split: true }]);
    expect(probe(path).streams).toHaveLength(2);
  });

  it('refuses to overwrite a file that exists, stopping with the reason', () => {
    const path = file('taken');
    writeFileSync(path, 'not ours');
    const { recorder: rec, stopped } = recorder(path, format);
    program.packets.slice(0, 60).forEach((packet) => rec.onPacket(packet));
    expect(stopped).toEqual([{ result: null, split: false }]);
    expect(readFileSync(path, 'utf8')).toBe('not ours');
  });

  it.skipIf(process.getuid?.() !== 0)('on a full disk (a real 1 MiB tmpfs) stops with a clear message and leaves a playable file', () => {
    const mount = join(scratch, `small-disk-${format}`);
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount]);
    try {
      const path = join(mount, `full.${extension}`);
      const { recorder: rec, stopped } = recorder(path, format, { minFreeBytes: 0 });
      for (let loop = 0; loop < 6 && stopped.length === 0; loop++)
        shiftProgram(heavy.packets, loop * span).forEach((packet) => rec.onPacket(packet));
      expect(stopped).toHaveLength(1);
      expect(stopped[0]!.result!.error).toMatch(/disk .* is full/);
      expect(stopped[0]!.result!.status).toBe('truncated');
      const probed = probe(path);
      expect(probed.streams.map((s) => s.codec_name)).toContain('h264');
      expect(probed.durationSec).toBeGreaterThan(0.5);
      expect(decodedVideoFrames(path)).toBeGreaterThan(10);
    } finally {
      execFileSync('umount', [mount]);
    }
  });
});
