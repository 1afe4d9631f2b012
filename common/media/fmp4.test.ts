import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MediaFormatError } from './errors.ts';
import { fmp4InitSegment, fmp4MediaSegment, type Fmp4Track } from './fmp4.ts';

const testdata = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, 'testdata', name)));

interface Box {
  type: string;
  start: number;
  size: number;
  body: Buffer;
  children: Box[];
}

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'mvex', 'moof', 'traf', 'dinf']);

/** A plain ISO BMFF box walker, independent of the muxer. */
function boxes(bytes: Buffer, offset = 0, end = bytes.length): Box[] {
  const out: Box[] = [];
  while (offset < end) {
    const size = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    expect(size).toBeGreaterThanOrEqual(8);
    expect(offset + size).toBeLessThanOrEqual(end);
    const body = bytes.subarray(offset + 8, offset + size);
    out.push({ type, start: offset, size, body, children: CONTAINERS.has(type) ? boxes(bytes, offset + 8, offset + size) : [] });
    offset += size;
  }
  return out;
}

const find = (list: Box[], path: string): Box[] => {
  const [head, ...rest] = path.split('/');
  const matches = list.filter((box) => box.type === head);
  return rest.length === 0 ? matches : matches.flatMap((box) => find(box.children, rest.join('/')));
};

const tracks: Fmp4Track[] = [
  { id: 1, kind: 'video', timescale: 90000, codec: 'avc1', config: testdata('x264-1280x720-30fps.avcc'), width: 1280, height: 720 },
  { id: 2, kind: 'audio', timescale: 48000, codec: 'mp4a', config: testdata('aac-lc-48k-stereo.asc'), channels: 2, sampleRateHz: 48000 },
];

describe('fMP4 muxer', () => {
  it('writes an init segment with ftyp, one trak per track, the decoder configs and mvex/trex', () => {
    const init = Buffer.from(fmp4InitSegment(tracks));
    const top = boxes(init);
    expect(top.map((box) => box.type)).toEqual(['ftyp', 'moov']);
    expect(top[0]!.body.toString('latin1', 0, 4)).toBe('iso6');
    expect(find(top, 'moov/trak')).toHaveLength(2);
    expect(find(top, 'moov/mvex/trex').map((box) => box.body.readUInt32BE(4))).toEqual([1, 2]);
    const mdhd = find(top, 'moov/trak/mdia/mdhd').map((box) => box.body.readUInt32BE(12));
    expect(mdhd).toEqual([90000, 48000]);
    const tkhd = find(top, 'moov/trak/tkhd')[0]!.body;
    expect([tkhd.readUInt32BE(tkhd.length - 8) / 65536, tkhd.readUInt32BE(tkhd.length - 4) / 65536]).toEqual([1280, 720]);
    const stsd = find(top, 'moov/trak/mdia/minf/stbl/stsd');
    expect(stsd[0]!.body.toString('latin1', 12, 16)).toBe('avc1');
    expect(init.includes(Buffer.concat([Buffer.from('avcC'), Buffer.from(tracks[0]!.config)]))).toBe(true);
    expect(stsd[1]!.body.toString('latin1', 12, 16)).toBe('mp4a');
    // esds carries the AudioSpecificConfig in a DecoderSpecificInfo (tag 5).
    expect(init.includes(Buffer.concat([Buffer.of(0x05, tracks[1]!.config.length), Buffer.from(tracks[1]!.config)]))).toBe(true);
  });

  it('writes a media segment whose trun offsets, sizes, durations, flags and decode times describe the mdat', () => {
    const video = [
      { durationTicks: 3000, data: Buffer.from('key-frame'), keyframe: true, compositionOffsetTicks: 6000 },
      { durationTicks: 3000, data: Buffer.from('b'), keyframe: false, compositionOffsetTicks: -3000 },
    ];
    const audio = [{ durationTicks: 1024, data: Buffer.from('aac!'), keyframe: true, compositionOffsetTicks: 0 }];
    const segment = Buffer.from(
      fmp4MediaSegment(7, [
        { trackId: 1, baseDecodeTimeTicks: 2 ** 33 + 5, samples: video },
        { trackId: 2, baseDecodeTimeTicks: 96000, samples: audio },
        { trackId: 3, baseDecodeTimeTicks: 0, samples: [] },
      ]),
    );
    const top = boxes(segment);
    expect(top.map((box) => box.type)).toEqual(['moof', 'mdat']);
    expect(find(top, 'moof/mfhd')[0]!.body.readUInt32BE(4)).toBe(7);
    const trafs = find(top, 'moof/traf');
    expect(trafs).toHaveLength(2);
    const expected = [video, audio];
    trafs.forEach((traf, index) => {
      const tfdt = find(traf.children, 'tfdt')[0]!.body;
      expect(tfdt.readBigUInt64BE(4)).toBe(index === 0 ? BigInt(2 ** 33 + 5) : 96000n);
      const trun = find(traf.children, 'trun')[0]!.body;
      expect(trun[0]).toBe(1);
      const count = trun.readUInt32BE(4);
      let dataOffset = trun.readInt32BE(8);
      for (let i = 0; i < count; i++) {
        const at = 12 + i * 16;
        const sample = expected[index]![i]!;
        expect(trun.readUInt32BE(at)).toBe(sample.durationTicks);
        const size = trun.readUInt32BE(at + 4);
        expect(segment.subarray(dataOffset, dataOffset + size)).toEqual(sample.data);
        expect(trun.readUInt32BE(at + 8) & 0x00010000 ? 'non-sync' : 'sync').toBe(sample.keyframe ? 'sync' : 'non-sync');
        expect(trun.readInt32BE(at + 12)).toBe(sample.compositionOffsetTicks);
        dataOffset += size;
      }
    });
    expect(() => fmp4MediaSegment(1, [])).toThrow(MediaFormatError);
    expect(() => fmp4InitSegment([])).toThrow(MediaFormatError);
  });
});
