import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmfEcmaArray, amfRecord, decodeAmf0, encodeAmf0, newAmfObject, type AmfObject, type AmfValue } from './amf0.ts';
import { MediaFormatError } from './errors.ts';

const hex = (text: string) =>
  Uint8Array.from(
    text
      .replace(/\s+/g, '')
      .match(/../g)!
      .map((byte) => parseInt(byte, 16)),
  );
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function obj(entries: Record<string, AmfValue>): AmfObject {
  return Object.assign(newAmfObject(), entries);
}

describe('AMF0', () => {
  it('encodes a _result command byte for byte as the spec lays it out', () => {
    const bytes = encodeAmf0(['_result', 1, obj({ a: true }), null, undefined]);
    expect(toHex(bytes)).toBe(
      '0200075f726573756c74' + // string "_result"
        '003ff0000000000000' + // number 1
        '03' +
        '000161' +
        '0101' +
        '000009' + // object { a: true }
        '05' + // null
        '06', // undefined
    );
  });

  it('decodes the connect command ffmpeg sends (captured bytes)', () => {
    // connect(1, { app: "live", type: "nonprivate", flashVer: "FMLE/3.0", tcUrl: "rtmp://127.0.0.1:1935/live" })
    const bytes = hex(
      '0200 07 636f6e6e656374 00 3ff0000000000000 03' +
        '0003 617070 02 0004 6c697665' +
        '0004 74797065 02 000a 6e6f6e70726976617465' +
        '0008 666c617368566572 02 0008 464d4c452f332e30' +
        '0005 746355726c 02 001a 72746d703a2f2f3132372e302e302e313a313933352f6c697665' +
        '000009',
    );
    const [name, transactionId, command] = decodeAmf0(bytes);
    expect(name).toBe('connect');
    expect(transactionId).toBe(1);
    expect(amfRecord(command)).toEqual({ app: 'live', type: 'nonprivate', flashVer: 'FMLE/3.0', tcUrl: 'rtmp://127.0.0.1:1935/live' });
  });

  it('round-trips ECMA arrays, strict arrays, dates and long strings', () => {
    const long = 'x'.repeat(70_000);
    const metadata = new AmfEcmaArray(obj({ width: 1280, height: 720, encoder: 'Lavf59', stereo: true }));
    const date = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));
    const bytes = encodeAmf0(['onMetaData', metadata, [1, 'two', null], date, long]);
    expect(bytes[13]).toBe(0x08); // ECMA array marker right after the 13-byte string
    const decoded = decodeAmf0(bytes);
    expect(decoded[1]).toBeInstanceOf(AmfEcmaArray);
    expect((decoded[1] as AmfEcmaArray).entries).toEqual(metadata.entries);
    expect(decoded[2]).toEqual([1, 'two', null]);
    expect((decoded[3] as Date).getTime()).toBe(date.getTime());
    expect(decoded[4]).toBe(long);
    expect(bytes[bytes.length - long.length - 5]).toBe(0x0c); // long string marker, 32-bit length
  });

  it('accepts an ECMA array that ends without the object-end marker', () => {
    const bytes = hex('08 00000001 0001 61 003ff0000000000000');
    expect(amfRecord(decodeAmf0(bytes)[0])).toEqual({ a: 1 });
  });

  it('resolves references to earlier complete objects and refuses references to unfinished ones', () => {
    // [ {a:1}, ref 1 ]: strict array is reference 0, the object reference 1
    const ok = hex('0a 00000002 03 0001 61 003ff0000000000000 000009 07 0001');
    const [array] = decodeAmf0(ok) as [AmfValue[]];
    expect(array[1]).toBe(array[0]);
    const cyclic = hex('03 0001 61 07 0000 000009');
    expect(() => decodeAmf0(cyclic)).toThrow(MediaFormatError);
  });

  it('keeps __proto__ as a plain key', () => {
    const bytes = hex('03 0009 5f5f70726f746f5f5f 03 0001 78 0101 000009 000009');
    const [value] = decodeAmf0(bytes);
    const record = amfRecord(value)!;
    expect(Object.getPrototypeOf(record)).toBeNull();
    expect(Object.keys(record)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses nesting deeper than the limit, AMF3 and unknown markers, and truncation', () => {
    const deep = new Uint8Array(200).fill(0x0a); // strict arrays of...
    const nested = hex('0a 00000001 '.repeat(40) + '05');
    expect(() => decodeAmf0(nested)).toThrow(/nesting deeper than 32/);
    expect(() => decodeAmf0(deep)).toThrow(MediaFormatError);
    expect(() => decodeAmf0(hex('11 01'))).toThrow(/AMF3/);
    expect(() => decodeAmf0(hex('42'))).toThrow(/unknown AMF0 marker 0x42/);
    expect(() => decodeAmf0(hex('02 0010 41'))).toThrow(/truncated/);
    expect(() => decodeAmf0(hex('0a ffffffff'))).toThrow(MediaFormatError);
    const cyclic: AmfValue[] = [];
    cyclic.push(cyclic);
    expect(() => encodeAmf0([cyclic])).toThrow(/deeper than 32/);
  });

  const amfValue: fc.Arbitrary<AmfValue> = fc.letrec<{ value: AmfValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.string(),
      fc.constant(null),
      fc.constant(undefined),
      fc.date({ noInvalidDate: true }),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.string({ minLength: 1 }), tie('value'), { maxKeys: 4 }).map((entries) => obj(entries)),
      fc.dictionary(fc.string({ minLength: 1 }), tie('value'), { maxKeys: 4 }).map((entries) => new AmfEcmaArray(obj(entries))),
    ),
  })).value;

  it('decodes whatever it encodes (property)', () => {
    fc.assert(
      fc.property(fc.array(amfValue, { maxLength: 4 }), (values) => {
        expect(decodeAmf0(encodeAmf0(values))).toEqual(values);
      }),
      { numRuns: 300 },
    );
  });

  it('either decodes or throws MediaFormatError on arbitrary bytes (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        try {
          decodeAmf0(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(MediaFormatError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('survives mutations of a valid command (fuzz)', () => {
    const valid = encodeAmf0(['connect', 1, obj({ app: 'live', tcUrl: 'rtmp://h/live', caps: 15 }), new AmfEcmaArray(obj({ w: [1, 2] }))]);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), (edits) => {
        const bytes = valid.slice();
        for (const [at, value] of edits) bytes[at] = value;
        try {
          decodeAmf0(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(MediaFormatError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
