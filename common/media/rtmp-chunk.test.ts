import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MediaFormatError } from './errors.ts';
import { RtmpChunkParser, RtmpChunkWriter, serializeRtmpMessage, type OutgoingRtmpMessage, type RtmpMessage } from './rtmp-chunk.ts';
import { RtmpType, setChunkSizeMessage, parseU32Control } from './rtmp-message.ts';

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

function collect(options?: ConstructorParameters<typeof RtmpChunkParser>[1]) {
  const messages: RtmpMessage[] = [];
  const parser = new RtmpChunkParser((message) => {
    // Copy: a message may be a view into the fed bytes.
    messages.push({ ...message, payload: new Uint8Array(message.payload) });
    if (message.typeId === RtmpType.setChunkSize) parser.setChunkSize(parseU32Control(message.payload));
  }, options);
  return { parser, messages };
}

const summary = (messages: RtmpMessage[]) =>
  messages.map((m) => ({
    csid: m.chunkStreamId,
    type: m.typeId,
    sid: m.streamId,
    ts: m.timestamp,
    data: Buffer.from(m.payload).toString('hex'),
  }));

describe('RTMP chunk stream', () => {
  it('applies header types 1, 2 and 3 as deltas, as in the spec example (5.3.2.1)', () => {
    const { parser, messages } = collect();
    parser.feed(
      hex(
        '04 0003e8 000003 08 01000000 aaaaaa' + // type 0: ts 1000, 3 bytes, audio, stream 1
          '84 000014 bbbbbb' + // type 2: delta 20
          'c4 cccccc' + // type 3: same delta again
          '44 00000a 000002 09 dddd', // type 1: delta 10, new length and type
      ),
    );
    expect(summary(messages)).toEqual([
      { csid: 4, type: 8, sid: 1, ts: 1000, data: 'aaaaaa' },
      { csid: 4, type: 8, sid: 1, ts: 1020, data: 'bbbbbb' },
      { csid: 4, type: 8, sid: 1, ts: 1040, data: 'cccccc' },
      { csid: 4, type: 9, sid: 1, ts: 1050, data: 'dddd' },
    ]);
  });

  it('reads extended timestamps, with or without the field repeated on continuation chunks', () => {
    const body = 'ab'.repeat(128);
    const tail = 'cd'.repeat(72);
    const withRepeat = hex(`05 ffffff 0000c8 09 01000000 01000000 ${body} c5 01000000 ${tail}`);
    const withoutRepeat = hex(`05 ffffff 0000c8 09 01000000 01000000 ${body} c5 ${tail}`);
    for (const bytes of [withRepeat, withoutRepeat]) {
      const { parser, messages } = collect();
      parser.feed(bytes);
      expect(summary(messages)).toEqual([{ csid: 5, type: 9, sid: 1, ts: 0x01000000, data: body + tail }]);
    }
  });

  it('decodes two- and three-byte basic headers', () => {
    const { parser, messages } = collect();
    parser.feed(hex('00 00 000000 000001 14 00000000 11' + '01 ff03 000000 000001 14 00000000 22'));
    expect(messages.map((m) => m.chunkStreamId)).toEqual([64, 64 + 0xff + 3 * 256]);
  });

  it('uses a new chunk size for the very next chunk after Set Chunk Size', () => {
    const { parser, messages } = collect();
    const big = new Uint8Array(300).fill(7);
    const bytes = Buffer.concat([
      serializeRtmpMessage(setChunkSizeMessage(4096), 128),
      serializeRtmpMessage({ chunkStreamId: 6, typeId: 9, streamId: 1, timestamp: 5, payload: big }, 4096),
    ]);
    parser.feed(bytes);
    expect(parser.peerChunkSize).toBe(4096);
    expect(messages[1]!.payload).toEqual(big);
  });

  it('writes every message at 128 bytes a chunk until it has sent Set Chunk Size, then at the new size', () => {
    const writer = new RtmpChunkWriter();
    const refusal = { chunkStreamId: 3, typeId: 20, streamId: 0, timestamp: 0, payload: new Uint8Array(300).fill(1) };
    // A peer that never heard of a larger size (a fresh parser at 128) reads the refusal whole.
    const { parser, messages } = collect();
    parser.feed(writer.write(refusal));
    expect(messages.map((m) => m.payload.length)).toEqual([300]);
    expect(writer.write(refusal)).toHaveLength(12 + 300 + 2); // a header and two continuation bytes
    parser.feed(writer.write(setChunkSizeMessage(4096)));
    expect(writer.chunkSize).toBe(4096);
    const after = writer.write(refusal);
    expect(after).toHaveLength(12 + 300);
    parser.feed(after);
    expect(messages.map((m) => m.payload.length)).toEqual([300, 4, 300]);
  });

  it('accepts chunk sizes up to 2^31-1 and refuses 0 and larger', () => {
    const { parser } = collect();
    parser.setChunkSize(0x7fffffff);
    expect(() => parser.setChunkSize(0)).toThrow(MediaFormatError);
    expect(() => parser.setChunkSize(0x80000000)).toThrow(MediaFormatError);
  });

  it('refuses a message longer than the limit at its header, before buffering it', () => {
    const { parser } = collect({ maxMessageBytes: 1000 });
    expect(() => parser.feed(hex('06 000000 0003e9 09 01000000'))).toThrow(/1001 bytes exceeds the 1000-byte limit/);
  });

  it('bounds the bytes of messages assembled at once across chunk streams', () => {
    const { parser } = collect({ maxMessageBytes: 1000 });
    let bytes = '';
    for (let csid = 3; csid < 6; csid++) bytes += `${csid.toString(16).padStart(2, '0')} 000000 0003e8 09 01000000 ${'00'.repeat(128)}`;
    expect(() => parser.feed(hex(bytes))).toThrow(/being assembled exceed 2000 bytes/);
  });

  it('refuses a continuation header before any full header, and a new header mid-message', () => {
    expect(() => collect().parser.feed(hex('c4 00'))).toThrow(/before any type 0 header/);
    const { parser } = collect();
    expect(() => parser.feed(hex(`04 000000 0000c8 09 01000000 ${'00'.repeat(128)} 44 000000 000001 09 00`))).toThrow(
      /middle of a message/,
    );
  });

  it('counts received bytes for acknowledgements', () => {
    const { parser } = collect();
    parser.feed(hex('04 0003e8 000003 08 01000000 aaaaaa'));
    expect(parser.bytesReceived).toBe(15);
  });

  const message: fc.Arbitrary<OutgoingRtmpMessage> = fc.record({
    chunkStreamId: fc.oneof(fc.integer({ min: 2, max: 63 }), fc.integer({ min: 64, max: 400 }), fc.integer({ min: 60000, max: 65599 })),
    typeId: fc.constantFrom(8, 9, 18, 20),
    streamId: fc.nat(),
    timestamp: fc.oneof(fc.nat(0xfffffe), fc.integer({ min: 0xffffff, max: 0xffffffff })),
    payload: fc.uint8Array({ maxLength: 700 }),
  });

  it('parses what it serializes, however the bytes are sliced (property)', () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (messages, chunkSize, cuts) => {
          const bytes = Buffer.concat(messages.map((m) => serializeRtmpMessage(m, chunkSize)));
          const { parser, messages: parsed } = collect();
          parser.setChunkSize(chunkSize);
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          let last = 0;
          for (const point of [...points, bytes.length]) {
            parser.feed(bytes.subarray(last, point));
            last = point;
          }
          expect(parsed.map((m) => ({ ...m, payload: Buffer.from(m.payload).toString('hex') }))).toEqual(
            messages.map((m) => ({ ...m, payload: Buffer.from(m.payload).toString('hex') })),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('either parses or throws MediaFormatError on arbitrary bytes, fed in pieces (fuzz)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (pieces) => {
        const { parser } = collect({ maxMessageBytes: 4096 });
        try {
          for (const piece of pieces) parser.feed(piece);
        } catch (error) {
          expect(error).toBeInstanceOf(MediaFormatError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
