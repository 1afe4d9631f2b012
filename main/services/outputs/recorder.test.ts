import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../server/log.ts';
import { Recorder, type RecordingResult } from './recorder.ts';
import { decodedVideoFrames, encodeTestProgram, probe, shiftProgram } from './testing.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-recorder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const program = encodeTestProgram({ seconds: 4, gop: 60 });
const span = program.packets.at(-1)!.timestampUs + 33_333;

/** The top-level box types of an MP4 file. */
function topLevelBoxes(path: string): string[] {
  const bytes = readFileSync(path);
  const types: string[] = [];
  for (let at = 0; at < bytes.length; at += bytes.readUInt32BE(at)) types.push(bytes.toString('latin1', at + 4, at + 8));
  return types;
}

function recorder(path: string, extra: Partial<ConstructorParameters<typeof Recorder>[0]> = {}) {
  const stopped: { result: RecordingResult | null; split: boolean }[] = [];
  const created = new Recorder({
    path,
    log: silentLogger,
    audioExpected: true,
    onStopped: (result, split) => stopped.push({ result, split }),
    ...extra,
  });
  created.onConfig(program.config);
  return { recorder: created, stopped };
}

describe('the hybrid MP4 recorder', () => {
  it('writes fragments of at most one second while recording, and a regular MP4 every player opens on stop', () => {
    const path = join(scratch, 'normal.mp4');
    const { recorder: rec } = recorder(path);
    for (const packet of program.packets) rec.onPacket(packet);
    const result = rec.stop()!;
    expect(result).toMatchObject({
      status: 'complete',
      error: null,
      videoCodec: program.config.video!.codec,
      audioCodec: 'mp4a.40.2',
      width: 320,
      height: 180,
    });
    expect(result.durationMs).toBeGreaterThan(3900);
    // Fragments renamed free, one progressive moov at the end.
    const boxes = topLevelBoxes(path);
    expect(boxes[0]).toBe('ftyp');
    expect(boxes.at(-1)).toBe('moov');
    expect(boxes.filter((type) => type === 'moov')).toHaveLength(1);
    expect(boxes).not.toContain('moof');
    // 4 s in fragments of at most 1 s: at least four mdat boxes.
    expect(boxes.filter((type) => type === 'mdat').length).toBeGreaterThanOrEqual(4);
    const probed = probe(path);
    expect(probed.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(['audio:aac', 'video:h264']);
    expect(probed.durationSec).toBeGreaterThan(3.9);
    expect(decodedVideoFrames(path)).toBe(program.packets.filter((p) => p.kind === 'video').length);
  });

  it('leaves a file that plays up to its last fragment when the process dies mid-recording', () => {
    const path = join(scratch, 'crash.mp4');
    const copy = join(scratch, 'crash-copy.mp4');
    const { recorder: rec } = recorder(path);
    const packets = [...program.packets, ...shiftProgram(program.packets, span)];
    packets.slice(0, Math.floor(packets.length * 0.75)).forEach((packet) => rec.onPacket(packet));
    // What is on disk now is what a kill -9 would leave.
    copyFileSync(path, copy);
    rec.stop();
    expect(topLevelBoxes(copy).slice(0, 3)).toEqual(['ftyp', 'moov', 'moof']);
    const probed = probe(copy);
    expect(probed.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    // 6 s of media handed in; the unfinished last second may be missing.
    expect(probed.durationSec).toBeGreaterThanOrEqual(4.9);
    expect(decodedVideoFrames(copy)).toBeGreaterThan(140);
  });

  it('stops by itself with a clear message when the disk runs low, leaving a finished file', () => {
    const path = join(scratch, 'low.mp4');
    let free = 10 ** 12;
    const { recorder: rec, stopped } = recorder(path, { minFreeBytes: 1000, freeBytes: () => free });
    program.packets.slice(0, 100).forEach((packet) => rec.onPacket(packet));
    free = 10;
    (rec as unknown as { checkDisk(): void }).checkDisk();
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.result).toMatchObject({ status: 'complete', error: expect.stringMatching(/less than .* free/) as unknown });
    expect(topLevelBoxes(path).at(-1)).toBe('moov');
    expect(probe(path).durationSec).toBeGreaterThan(1);
  });

  it('continues in a new file when the encoder restarts with another configuration', () => {
    const path = join(scratch, 'split.mp4');
    const { recorder: rec, stopped } = recorder(path);
    program.packets.slice(0, 90).forEach((packet) => rec.onPacket(packet));
    const avcC = program.config.video!.avcC.slice();
    avcC[3] = avcC[3]! + 1; // another level: another decoder configuration
    rec.onConfig({ ...program.config, video: { ...program.config.video!, avcC } });
    expect(stopped).toEqual([{ result: expect.objectContaining({ status: 'complete' }) as unknown, split: true }]);
    expect(probe(path).streams).toHaveLength(2);
  });

  it.skipIf(process.getuid?.() !== 0)('on a full disk (a real 1 MiB tmpfs) stops with a clear message and leaves a playable file', () => {
    const mount = join(scratch, 'small-disk');
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount]);
    try {
      const path = join(mount, 'full.mp4');
      const { recorder: rec, stopped } = recorder(path, { minFreeBytes: 0 });
      const heavy = encodeTestProgram({ seconds: 4, gop: 30, bitrateKbps: 3000 });
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
