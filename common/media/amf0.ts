/**
 * AMF0, the value encoding of RTMP commands and FLV script data.
 * Spec: Adobe "Action Message Format -- AMF 0" (amf0-file-format-specification.pdf), section 2.
 *
 * Decoded objects have no prototype, so a hostile `__proto__` key is just a key. Nesting is
 * bounded (`maxDepth`) so a deeply nested payload fails cleanly instead of exhausting the stack.
 */
import { ByteReader, ByteWriter, utf8Decode, utf8Encode } from './bytes.ts';
import { MediaFormatError } from './errors.ts';

/** Any AMF0 value as JavaScript sees it. */
export type AmfValue = number | boolean | string | null | undefined | Date | AmfObject | AmfEcmaArray | AmfValue[];

/** An anonymous (or typed) AMF0 object: string keys to values. */
export interface AmfObject {
  [key: string]: AmfValue;
}

/** An AMF0 ECMA array (associative array), kept apart from objects so it encodes back the same way. */
export class AmfEcmaArray {
  /** The entries, in order. */
  readonly entries: AmfObject;

  constructor(entries: AmfObject = newAmfObject()) {
    this.entries = entries;
  }
}

/** AMF0 type markers (spec section 2.1). */
export const Amf0Marker = {
  number: 0x00,
  boolean: 0x01,
  string: 0x02,
  object: 0x03,
  movieClip: 0x04,
  null: 0x05,
  undefined: 0x06,
  reference: 0x07,
  ecmaArray: 0x08,
  objectEnd: 0x09,
  strictArray: 0x0a,
  date: 0x0b,
  longString: 0x0c,
  unsupported: 0x0d,
  recordSet: 0x0e,
  xmlDocument: 0x0f,
  typedObject: 0x10,
  avmPlus: 0x11,
} as const;

/** Limits for decoding untrusted AMF0. */
export interface Amf0DecodeOptions {
  /** Deepest nesting of objects and arrays accepted. Default 32. */
  maxDepth?: number;
  /** Most entries in one strict array (its count is read before the items). Default 65536. */
  maxArrayLength?: number;
}

const DEFAULT_MAX_DEPTH = 32;
const DEFAULT_MAX_ARRAY_LENGTH = 65_536;

/** A fresh object without a prototype, the shape every decoded AMF0 object has. */
export function newAmfObject(): AmfObject {
  return Object.create(null) as AmfObject;
}

/** The entries of an object or an ECMA array, or `undefined` for anything else. */
export function amfRecord(value: AmfValue): AmfObject | undefined {
  if (value instanceof AmfEcmaArray) return value.entries;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) return value;
  return undefined;
}

/** Decodes every value in `bytes`, in order (a command or script-data message body). */
export function decodeAmf0(bytes: Uint8Array, options: Amf0DecodeOptions = {}): AmfValue[] {
  const decoder = new Amf0Decoder(new ByteReader(bytes), options);
  const values: AmfValue[] = [];
  while (decoder.reader.remaining > 0) values.push(decoder.value(0));
  return values;
}

class Amf0Decoder {
  readonly reader: ByteReader;
  private readonly maxDepth: number;
  private readonly maxArrayLength: number;
  /** Complex values in the order they began, for reference markers (spec 2.9). `null` while still being read. */
  private readonly references: (AmfValue | null)[] = [];

  constructor(reader: ByteReader, options: Amf0DecodeOptions) {
    this.reader = reader;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxArrayLength = options.maxArrayLength ?? DEFAULT_MAX_ARRAY_LENGTH;
  }

  value(depth: number): AmfValue {
    const r = this.reader;
    const marker = r.u8();
    switch (marker) {
      case Amf0Marker.number:
        return r.f64();
      case Amf0Marker.boolean:
        return r.u8() !== 0;
      case Amf0Marker.string:
        return utf8Decode(r.bytesView(r.u16(), 'AMF0 string'));
      case Amf0Marker.longString:
      case Amf0Marker.xmlDocument:
        return utf8Decode(r.bytesView(r.u32(), 'AMF0 long string'));
      case Amf0Marker.null:
        return null;
      case Amf0Marker.undefined:
      case Amf0Marker.unsupported:
        return undefined;
      case Amf0Marker.date: {
        const ms = r.f64();
        r.i16(); // time zone: reserved, should be 0 (spec 2.13)
        return new Date(ms);
      }
      case Amf0Marker.object:
        return this.object(depth, newAmfObject());
      case Amf0Marker.typedObject:
        r.skip(r.u16(), 'AMF0 class name');
        return this.object(depth, newAmfObject());
      case Amf0Marker.ecmaArray: {
        r.u32(); // associative count: a hint only; the object-end marker ends the array (spec 2.10)
        const array = new AmfEcmaArray();
        this.object(depth, array.entries, array, true);
        return array;
      }
      case Amf0Marker.strictArray: {
        const count = r.u32();
        if (count > this.maxArrayLength) throw new MediaFormatError(`AMF0 strict array of ${count} items exceeds ${this.maxArrayLength}`);
        // Each item takes at least one byte, so a count beyond the bytes left is a lie.
        if (count > r.remaining) throw new MediaFormatError(`AMF0 strict array claims ${count} items in ${r.remaining} bytes`);
        this.enter(depth);
        const items: AmfValue[] = [];
        const index = this.references.push(null) - 1;
        for (let i = 0; i < count; i++) items.push(this.value(depth + 1));
        this.references[index] = items;
        return items;
      }
      case Amf0Marker.reference: {
        const index = r.u16();
        const target = this.references[index];
        if (target === undefined || target === null) throw new MediaFormatError(`AMF0 reference ${index} points to no complete value`);
        return target;
      }
      case Amf0Marker.avmPlus:
        throw new MediaFormatError('AMF3 values (AVM+ marker) are not supported');
      default:
        throw new MediaFormatError(`unknown AMF0 marker 0x${marker.toString(16).padStart(2, '0')} at offset ${r.offset - 1}`);
    }
  }

  private enter(depth: number): void {
    if (depth >= this.maxDepth) throw new MediaFormatError(`AMF0 nesting deeper than ${this.maxDepth}`);
  }

  /** Reads properties until the object-end marker (spec 2.5). */
  private object(depth: number, target: AmfObject, complete: AmfValue = target, endMayBeMissing = false): AmfObject {
    this.enter(depth);
    const r = this.reader;
    const index = this.references.push(null) - 1;
    for (;;) {
      // Some encoders end an ECMA array at the end of the message without the end marker.
      if (endMayBeMissing && r.remaining === 0) break;
      const key = utf8Decode(r.bytesView(r.u16(), 'AMF0 property name'));
      if (key === '' && r.remaining > 0 && r.bytes[r.offset] === Amf0Marker.objectEnd) {
        r.offset++;
        break;
      }
      target[key] = this.value(depth + 1);
    }
    this.references[index] = complete;
    return target;
  }
}

/** Limits for encoding. */
export interface Amf0EncodeOptions {
  /** Deepest nesting written; deeper (or cyclic) values throw. Default 32. */
  maxDepth?: number;
}

/** Encodes values one after another (a command: name, transaction id, object, arguments...). */
export function encodeAmf0(values: readonly AmfValue[], options: Amf0EncodeOptions = {}): Uint8Array {
  const writer = new ByteWriter(128);
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  for (const value of values) writeValue(writer, value, 0, maxDepth);
  return writer.finish();
}

function writeString(writer: ByteWriter, bytes: Uint8Array): void {
  writer.u16(bytes.length).bytes(bytes);
}

function writeProperties(writer: ByteWriter, object: AmfObject, depth: number, maxDepth: number): void {
  for (const key of Object.keys(object)) {
    const name = utf8Encode(key);
    if (name.length > 0xffff) throw new MediaFormatError('AMF0 property name longer than 65535 bytes');
    writeString(writer, name);
    writeValue(writer, object[key], depth + 1, maxDepth);
  }
  writer.u16(0).u8(Amf0Marker.objectEnd);
}

function writeValue(writer: ByteWriter, value: AmfValue, depth: number, maxDepth: number): void {
  if (value === null) {
    writer.u8(Amf0Marker.null);
  } else if (value === undefined) {
    writer.u8(Amf0Marker.undefined);
  } else if (typeof value === 'number') {
    writer.u8(Amf0Marker.number).f64(value);
  } else if (typeof value === 'boolean') {
    writer.u8(Amf0Marker.boolean).u8(value ? 1 : 0);
  } else if (typeof value === 'string') {
    const bytes = utf8Encode(value);
    if (bytes.length <= 0xffff) writer.u8(Amf0Marker.string).u16(bytes.length).bytes(bytes);
    else writer.u8(Amf0Marker.longString).u32(bytes.length).bytes(bytes);
  } else if (value instanceof Date) {
    writer.u8(Amf0Marker.date).f64(value.getTime()).i16(0);
  } else {
    if (depth >= maxDepth) throw new MediaFormatError(`AMF0 value nested deeper than ${maxDepth} (or cyclic)`);
    if (Array.isArray(value)) {
      writer.u8(Amf0Marker.strictArray).u32(value.length);
      for (const item of value) writeValue(writer, item, depth + 1, maxDepth);
    } else if (value instanceof AmfEcmaArray) {
      writer.u8(Amf0Marker.ecmaArray).u32(Object.keys(value.entries).length);
      writeProperties(writer, value.entries, depth, maxDepth);
    } else {
      writer.u8(Amf0Marker.object);
      writeProperties(writer, value, depth, maxDepth);
    }
  }
}
