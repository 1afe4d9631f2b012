/**
 * The RTMP chunk stream: an incremental parser that takes byte slices of any size, and a
 * serializer. Spec: Adobe RTMP specification 1.0, section 5.3 (chunk basic header 5.3.1.1,
 * message header types 0-3 5.3.1.2, extended timestamp 5.3.1.3) and 5.4.1 (Set Chunk Size:
 * 31 bits, up to 2^31-1).
 *
 * Memory stays bounded under hostile input: a message longer than `maxMessageBytes` fails at
 * its header, and the messages being assembled at once never declare more than twice that.
 */
import { MediaFormatError } from './errors.ts';

/** One complete RTMP message as reassembled from its chunks. */
export interface RtmpMessage {
  /** Message type id (section 5.4 and 7.1): 1 Set Chunk Size ... 8 audio, 9 video, 18 data, 20 command. */
  typeId: number;
  /** Message stream id (0 for protocol control and NetConnection commands). */
  streamId: number;
  /** Timestamp in milliseconds, modulo 2^32. */
  timestamp: number;
  /** The chunk stream it arrived on. */
  chunkStreamId: number;
  payload: Uint8Array;
}

/** Limits for parsing an untrusted chunk stream. */
export interface ChunkParserOptions {
  /** Longest message accepted; longer ones fail with `MediaFormatError`. Default 16 MiB. */
  maxMessageBytes?: number;
}

/** The default chunk size both directions start with (section 5.4.1). */
export const DEFAULT_CHUNK_SIZE = 128;
/** The largest chunk size Set Chunk Size can carry (31 bits). */
export const MAX_CHUNK_SIZE = 0x7fffffff;
/** Chunk stream ids addressable by the 1- to 3-byte basic header. */
export const MAX_CHUNK_STREAM_ID = 65_599;
const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
const EXTENDED = 0xffffff;

interface ChunkStreamState {
  /** Header type 0 was seen, so later types have something to inherit from. */
  started: boolean;
  timestamp: number;
  /** The timestamp field of the last header (a delta, or absolute after type 0), already extended. */
  timestampField: number;
  /** The last header's timestamp field was 0xFFFFFF, so type 3 chunks carry an extended timestamp too. */
  extended: boolean;
  length: number;
  typeId: number;
  streamId: number;
  /** The message being assembled, or null between messages. */
  payload: Uint8Array | null;
  received: number;
}

/**
 * Reassembles RTMP messages from a chunk stream. `onMessage` runs synchronously for each
 * message as it completes, so a Set Chunk Size handler can call `setChunkSize` before the
 * next chunk is parsed.
 */
export class RtmpChunkParser {
  private readonly onMessage: (message: RtmpMessage) => void;
  private readonly maxMessageBytes: number;
  private readonly states = new Map<number, ChunkStreamState>();
  private chunkSize = DEFAULT_CHUNK_SIZE;
  /** Bytes of an incomplete chunk header from the previous `feed`. */
  private carry: Uint8Array | null = null;
  /** The chunk whose data is still arriving (its header was parsed). */
  private inChunk: { state: ChunkStreamState; chunkStreamId: number; remaining: number } | null = null;
  /** Declared lengths of the messages being assembled. */
  private pendingBytes = 0;
  /** Total bytes fed, modulo 2^32 (what Acknowledgement reports, section 5.4.3). */
  bytesReceived = 0;

  constructor(onMessage: (message: RtmpMessage) => void, options: ChunkParserOptions = {}) {
    this.onMessage = onMessage;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  /** The peer's chunk size, after Set Chunk Size (section 5.4.1). */
  get peerChunkSize(): number {
    return this.chunkSize;
  }

  /** Applies the peer's Set Chunk Size. */
  setChunkSize(size: number): void {
    if (!Number.isInteger(size) || size < 1 || size > MAX_CHUNK_SIZE) throw new MediaFormatError(`invalid chunk size ${size}`);
    this.chunkSize = size;
  }

  /** Drops a partly received message (Abort Message, section 5.4.2). */
  abort(chunkStreamId: number): void {
    const state = this.states.get(chunkStreamId);
    if (state?.payload) {
      this.pendingBytes -= state.length;
      state.payload = null;
    }
  }

  /** Parses as much of `bytes` as forms complete chunks; keeps the rest for the next call. */
  feed(bytes: Uint8Array): void {
    this.bytesReceived = (this.bytesReceived + bytes.length) % 0x1_0000_0000;
    let data = bytes;
    if (this.carry) {
      const joined = new Uint8Array(this.carry.length + bytes.length);
      joined.set(this.carry);
      joined.set(bytes, this.carry.length);
      data = joined;
      this.carry = null;
    }
    let offset = 0;
    while (offset < data.length) {
      if (this.inChunk) {
        offset = this.chunkData(data, offset);
        continue;
      }
      const next = this.chunk(data, offset);
      if (next < 0) {
        this.carry = data.slice(offset);
        return;
      }
      offset = next;
    }
  }

  /** Parses one chunk at `offset`; returns the offset after it, or -1 when its header is incomplete. */
  private chunk(data: Uint8Array, start: number): number {
    const end = data.length;
    let p = start;
    const first = data[p++]!;
    const fmt = first >> 6;
    let chunkStreamId = first & 0x3f;
    if (chunkStreamId === 0) {
      if (p + 1 > end) return -1;
      chunkStreamId = 64 + data[p++]!;
    } else if (chunkStreamId === 1) {
      if (p + 2 > end) return -1;
      chunkStreamId = 64 + data[p]! + data[p + 1]! * 256;
      p += 2;
    }
    const headerBytes = fmt === 0 ? 11 : fmt === 1 ? 7 : fmt === 2 ? 3 : 0;
    if (p + headerBytes > end) return -1;

    let state = this.states.get(chunkStreamId);
    if (!state) {
      if (fmt !== 0) throw new MediaFormatError(`chunk type ${fmt} on chunk stream ${chunkStreamId} before any type 0 header`);
      state = {
        started: false,
        timestamp: 0,
        timestampField: 0,
        extended: false,
        length: 0,
        typeId: 0,
        streamId: 0,
        payload: null,
        received: 0,
      };
      this.states.set(chunkStreamId, state);
    }
    const continuing = state.payload !== null;
    if (fmt !== 3 && continuing)
      throw new MediaFormatError(`chunk type ${fmt} on chunk stream ${chunkStreamId} in the middle of a message`);

    let field = state.timestampField;
    let extended = state.extended;
    if (fmt <= 2) {
      field = (data[p]! << 16) | (data[p + 1]! << 8) | data[p + 2]!;
      extended = field === EXTENDED;
      if (fmt <= 1) {
        state.length = (data[p + 3]! << 16) | (data[p + 4]! << 8) | data[p + 5]!;
        state.typeId = data[p + 6]!;
      }
      if (fmt === 0) state.streamId = (data[p + 7]! | (data[p + 8]! << 8) | (data[p + 9]! << 16) | (data[p + 10]! << 24)) >>> 0;
      p += headerBytes;
    } else if (!state.started) {
      throw new MediaFormatError(`chunk type 3 on chunk stream ${chunkStreamId} with nothing to inherit`);
    }
    if (extended) {
      if (p + 4 > end) return -1;
      const value = ((data[p]! << 24) | (data[p + 1]! << 16) | (data[p + 2]! << 8) | data[p + 3]!) >>> 0;
      // Some encoders omit the extended field on continuation chunks; take it only when it repeats the
      // message's own (as SRS does), otherwise those four bytes are payload.
      if (fmt !== 3 || !continuing || value === state.timestampField) {
        field = value;
        p += 4;
      }
    }

    if (!continuing) {
      state.timestamp = fmt === 0 ? field : (state.timestamp + field) % 0x1_0000_0000;
      state.timestampField = field;
      state.extended = extended;
      state.started = true;
      if (state.length > this.maxMessageBytes)
        throw new MediaFormatError(`message of ${state.length} bytes exceeds the ${this.maxMessageBytes}-byte limit`);
      const size = Math.min(this.chunkSize, state.length);
      if (p + size <= end && size === state.length) {
        // The whole message is one chunk already here: hand out a view, no copy.
        const payload = data.subarray(p, p + size);
        this.emit(chunkStreamId, state, payload);
        return p + size;
      }
      if (this.pendingBytes + state.length > 2 * this.maxMessageBytes)
        throw new MediaFormatError(`messages being assembled exceed ${2 * this.maxMessageBytes} bytes`);
      this.pendingBytes += state.length;
      state.payload = new Uint8Array(state.length);
      state.received = 0;
    }

    const want = Math.min(this.chunkSize, state.length - state.received);
    this.inChunk = { state, chunkStreamId, remaining: want };
    return this.chunkData(data, p);
  }

  /** Copies chunk data of the chunk in progress; returns the offset after what it took. */
  private chunkData(data: Uint8Array, p: number): number {
    const current = this.inChunk!;
    const { state } = current;
    const take = Math.min(current.remaining, data.length - p);
    state.payload!.set(data.subarray(p, p + take), state.received);
    state.received += take;
    current.remaining -= take;
    if (current.remaining === 0) {
      this.inChunk = null;
      if (state.received === state.length) {
        const payload = state.payload!;
        state.payload = null;
        this.pendingBytes -= state.length;
        this.emit(current.chunkStreamId, state, payload);
      }
    }
    return p + take;
  }

  private emit(chunkStreamId: number, state: ChunkStreamState, payload: Uint8Array): void {
    this.onMessage({ typeId: state.typeId, streamId: state.streamId, timestamp: state.timestamp, chunkStreamId, payload });
  }
}

/** What the serializer needs of a message. */
export interface OutgoingRtmpMessage {
  chunkStreamId: number;
  typeId: number;
  streamId: number;
  /** Milliseconds; taken modulo 2^32. */
  timestamp: number;
  payload: Uint8Array;
}

function basicHeaderSize(chunkStreamId: number): number {
  return chunkStreamId < 64 ? 1 : chunkStreamId < 320 ? 2 : 3;
}

function writeBasicHeader(out: Uint8Array, at: number, fmt: number, chunkStreamId: number): number {
  if (chunkStreamId < 64) {
    out[at] = (fmt << 6) | chunkStreamId;
    return at + 1;
  }
  if (chunkStreamId < 320) {
    out[at] = fmt << 6;
    out[at + 1] = chunkStreamId - 64;
    return at + 2;
  }
  out[at] = (fmt << 6) | 1;
  out[at + 1] = (chunkStreamId - 64) & 0xff;
  out[at + 2] = (chunkStreamId - 64) >> 8;
  return at + 3;
}

function writeU32(out: Uint8Array, at: number, value: number): void {
  out[at] = value >>> 24;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}

/** Set Chunk Size's message type id (section 5.4.1). */
const SET_CHUNK_SIZE_TYPE = 1;

/**
 * The sending half of one connection's chunk stream. Every message is chunked at the size
 * the peer has been told: 128 bytes until a Set Chunk Size goes out, its size from the next
 * message on (section 5.4.1). A peer that has not heard of a larger size reads a larger chunk
 * as a broken stream, so this holds for every message, refusals included.
 */
export class RtmpChunkWriter {
  private size = DEFAULT_CHUNK_SIZE;

  /** The chunk size the peer knows we send with. */
  get chunkSize(): number {
    return this.size;
  }

  /** The message's chunks; a Set Chunk Size takes effect for the messages after it. */
  write(message: OutgoingRtmpMessage): Uint8Array {
    const bytes = serializeRtmpMessage(message, this.size);
    if (message.typeId === SET_CHUNK_SIZE_TYPE && message.streamId === 0 && message.payload.length >= 4) {
      const size = new DataView(message.payload.buffer, message.payload.byteOffset, 4).getUint32(0) & 0x7fffffff;
      if (size < 1) throw new MediaFormatError(`invalid chunk size ${size}`);
      this.size = size;
    }
    return bytes;
  }
}

/**
 * One message as chunks, without copying its payload: the type 0 header, the payload's first
 * `chunkSize` bytes, then a type 3 header (the same bytes each time) before each further
 * `chunkSize` bytes, as views into `message.payload`. Written in order (a corked socket makes
 * them one `writev`), they are `serializeRtmpMessage`'s bytes.
 */
export function rtmpMessageChunks(message: OutgoingRtmpMessage, chunkSize: number): Uint8Array[] {
  const { chunkStreamId, payload } = message;
  if (chunkStreamId < 2 || chunkStreamId > MAX_CHUNK_STREAM_ID) throw new MediaFormatError(`invalid chunk stream id ${chunkStreamId}`);
  if (payload.length > 0xffffff) throw new MediaFormatError(`message of ${payload.length} bytes does not fit a 24-bit length`);
  const timestamp = message.timestamp % 0x1_0000_0000;
  const extended = timestamp >= EXTENDED;
  const extra = extended ? 4 : 0;
  const header = new Uint8Array(basicHeaderSize(chunkStreamId) + 11 + extra);
  let p = writeBasicHeader(header, 0, 0, chunkStreamId);
  const field = extended ? EXTENDED : timestamp;
  header[p] = field >>> 16;
  header[p + 1] = (field >>> 8) & 0xff;
  header[p + 2] = field & 0xff;
  header[p + 3] = payload.length >>> 16;
  header[p + 4] = (payload.length >>> 8) & 0xff;
  header[p + 5] = payload.length & 0xff;
  header[p + 6] = message.typeId;
  // The message stream id is little-endian, the one such field in RTMP (section 5.3.1.2.1).
  header[p + 7] = message.streamId & 0xff;
  header[p + 8] = (message.streamId >>> 8) & 0xff;
  header[p + 9] = (message.streamId >>> 16) & 0xff;
  header[p + 10] = (message.streamId >>> 24) & 0xff;
  if (extended) writeU32(header, p + 11, timestamp);
  if (payload.length <= chunkSize) return payload.length > 0 ? [header, payload] : [header];
  const continuation = new Uint8Array(basicHeaderSize(chunkStreamId) + extra);
  p = writeBasicHeader(continuation, 0, 3, chunkStreamId);
  if (extended) writeU32(continuation, p, timestamp);
  const chunks: Uint8Array[] = [header];
  for (let sent = 0; sent < payload.length; sent += chunkSize) {
    if (sent > 0) chunks.push(continuation);
    chunks.push(payload.subarray(sent, Math.min(payload.length, sent + chunkSize)));
  }
  return chunks;
}

/**
 * Serializes one message into chunks: a type 0 header, then type 3 continuations every
 * `chunkSize` bytes. A type 0 header depends on no earlier state, so the same bytes can be
 * written to every connection that shares the chunk size (the origin's fan-out relies on it).
 */
export function serializeRtmpMessage(message: OutgoingRtmpMessage, chunkSize: number): Uint8Array {
  const chunks = rtmpMessageChunks(message, chunkSize);
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let p = 0;
  for (const chunk of chunks) {
    out.set(chunk, p);
    p += chunk.length;
  }
  return out;
}
