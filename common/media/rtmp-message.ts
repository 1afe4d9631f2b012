/**
 * RTMP messages above the chunk stream: protocol control (Adobe RTMP spec 1.0 section 5.4),
 * user control events (6.2 and 7.1.7), commands and data in AMF0 (7.1.1, 7.1.2, 7.2), and
 * aggregate messages (7.1.6). Builders return messages ready for `serializeRtmpMessage`.
 */
import { decodeAmf0, encodeAmf0, newAmfObject, type AmfObject, type AmfValue, type Amf0DecodeOptions } from './amf0.ts';
import { ByteReader } from './bytes.ts';
import { MediaFormatError } from './errors.ts';
import type { OutgoingRtmpMessage, RtmpMessage } from './rtmp-chunk.ts';

/** Message type ids (sections 5.4, 6.2, 7.1). */
export const RtmpType = {
  setChunkSize: 1,
  abort: 2,
  acknowledgement: 3,
  userControl: 4,
  windowAckSize: 5,
  setPeerBandwidth: 6,
  audio: 8,
  video: 9,
  dataAmf3: 15,
  sharedObjectAmf3: 16,
  commandAmf3: 17,
  dataAmf0: 18,
  sharedObjectAmf0: 19,
  commandAmf0: 20,
  aggregate: 22,
} as const;

/** User control event types (section 7.1.7). */
export const UserControlEvent = {
  streamBegin: 0,
  streamEof: 1,
  streamDry: 2,
  setBufferLength: 3,
  streamIsRecorded: 4,
  pingRequest: 6,
  pingResponse: 7,
} as const;

/** The chunk stream ids Tally sends on, after nginx-rtmp's layout. */
export const ChunkStream = {
  control: 2,
  command: 3,
  data: 5,
  audio: 6,
  video: 7,
} as const;

function u32Payload(value: number): Uint8Array {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setUint32(0, value >>> 0);
  return payload;
}

function control(typeId: number, payload: Uint8Array): OutgoingRtmpMessage {
  return { chunkStreamId: ChunkStream.control, typeId, streamId: 0, timestamp: 0, payload };
}

/** Set Chunk Size (5.4.1): the sender's chunks are at most `size` bytes from now on. */
export function setChunkSizeMessage(size: number): OutgoingRtmpMessage {
  return control(RtmpType.setChunkSize, u32Payload(size & 0x7fffffff));
}

/** Window Acknowledgement Size (5.4.4): acknowledge every `size` bytes. */
export function windowAckSizeMessage(size: number): OutgoingRtmpMessage {
  return control(RtmpType.windowAckSize, u32Payload(size));
}

/** Acknowledgement (5.4.3): bytes received so far, modulo 2^32. */
export function acknowledgementMessage(sequenceNumber: number): OutgoingRtmpMessage {
  return control(RtmpType.acknowledgement, u32Payload(sequenceNumber));
}

/** Set Peer Bandwidth (5.4.5); limit type 0 hard, 1 soft, 2 dynamic. */
export function setPeerBandwidthMessage(size: number, limitType: 0 | 1 | 2): OutgoingRtmpMessage {
  const payload = new Uint8Array(5);
  new DataView(payload.buffer).setUint32(0, size >>> 0);
  payload[4] = limitType;
  return control(RtmpType.setPeerBandwidth, payload);
}

/** A user control event with one 32-bit value (a stream id, or a ping timestamp). */
export function userControlMessage(event: number, value: number, extra?: number): OutgoingRtmpMessage {
  const payload = new Uint8Array(extra === undefined ? 6 : 10);
  const view = new DataView(payload.buffer);
  view.setUint16(0, event);
  view.setUint32(2, value >>> 0);
  if (extra !== undefined) view.setUint32(6, extra >>> 0);
  return control(RtmpType.userControl, payload);
}

/** A decoded user control event. */
export interface UserControl {
  event: number;
  /** Stream id, or the ping timestamp. */
  value: number;
  /** Set Buffer Length's buffer length in ms. */
  extra?: number;
}

/** Parses a user control message payload (section 7.1.7). */
export function parseUserControl(payload: Uint8Array): UserControl {
  const reader = new ByteReader(payload);
  const event = reader.u16();
  const value = reader.remaining >= 4 ? reader.u32() : 0;
  return reader.remaining >= 4 ? { event, value, extra: reader.u32() } : { event, value };
}

/** Reads the 32-bit value of Set Chunk Size, Window Acknowledgement Size or Acknowledgement. */
export function parseU32Control(payload: Uint8Array): number {
  return new ByteReader(payload).u32();
}

/** An AMF0 command: name, transaction id, command object, then optional arguments (section 7.1.1). */
export interface RtmpCommand {
  name: string;
  transactionId: number;
  object: AmfValue;
  args: AmfValue[];
}

/** The AMF0 body of a command or data message; AMF3-typed ones start with a format byte we skip (7.1.1, 7.1.2). */
function amfBody(typeId: number, payload: Uint8Array): Uint8Array {
  return typeId === RtmpType.commandAmf3 || typeId === RtmpType.dataAmf3 ? payload.subarray(1) : payload;
}

/** Decodes a command message (type 20, or 17 with an AMF0 body). */
export function decodeCommand(message: Pick<RtmpMessage, 'typeId' | 'payload'>, options?: Amf0DecodeOptions): RtmpCommand {
  const values = decodeAmf0(amfBody(message.typeId, message.payload), options);
  const [name, transactionId, object, ...args] = values;
  if (typeof name !== 'string') throw new MediaFormatError('command without a name');
  return { name, transactionId: typeof transactionId === 'number' ? transactionId : 0, object: object ?? null, args };
}

/** Decodes a data message (type 18, or 15 with an AMF0 body): the handler name and its values. */
export function decodeData(message: Pick<RtmpMessage, 'typeId' | 'payload'>, options?: Amf0DecodeOptions): AmfValue[] {
  return decodeAmf0(amfBody(message.typeId, message.payload), options);
}

/** A command message on `streamId` (0 for NetConnection, the stream's id for NetStream). */
export function commandMessage(
  streamId: number,
  name: string,
  transactionId: number,
  object: AmfValue,
  ...args: AmfValue[]
): OutgoingRtmpMessage {
  return {
    chunkStreamId: ChunkStream.command,
    typeId: RtmpType.commandAmf0,
    streamId,
    timestamp: 0,
    payload: encodeAmf0([name, transactionId, object, ...args]),
  };
}

/** Builds an AMF0 object from plain entries. */
export function amfObject(entries: Record<string, AmfValue>): AmfObject {
  return Object.assign(newAmfObject(), entries);
}

/** An `onStatus` NetStream event (section 7.2.2): level `status` or `error`, a code such as `NetStream.Publish.Start`. */
export function onStatusMessage(
  streamId: number,
  level: 'status' | 'error' | 'warning',
  code: string,
  description: string,
  extra: Record<string, AmfValue> = {},
): OutgoingRtmpMessage {
  return commandMessage(streamId, 'onStatus', 0, null, amfObject({ level, code, description, ...extra }));
}

/** A data message (`onMetaData`, `|RtmpSampleAccess`...). */
export function dataMessage(streamId: number, values: readonly AmfValue[], timestamp = 0): OutgoingRtmpMessage {
  return { chunkStreamId: ChunkStream.data, typeId: RtmpType.dataAmf0, streamId, timestamp, payload: encodeAmf0(values) };
}

/**
 * Splits an aggregate message (section 7.1.6) into its sub-messages. Sub-message timestamps are
 * re-based so the first one lands on the aggregate's own timestamp.
 */
export function splitAggregate(message: RtmpMessage): RtmpMessage[] {
  const reader = new ByteReader(message.payload);
  const out: RtmpMessage[] = [];
  let firstTimestamp: number | null = null;
  while (reader.remaining > 0) {
    const typeId = reader.u8();
    const length = reader.u24();
    const low = reader.u24();
    const timestamp = ((reader.u8() << 24) | low) >>> 0;
    reader.u24(); // stream id: overridden by the aggregate's (7.1.6)
    const payload = reader.bytesView(length, 'aggregate sub-message');
    reader.u32(); // back pointer
    firstTimestamp ??= timestamp;
    out.push({
      typeId,
      streamId: message.streamId,
      chunkStreamId: message.chunkStreamId,
      timestamp: (message.timestamp + timestamp - firstTimestamp + 0x1_0000_0000) % 0x1_0000_0000,
      payload,
    });
  }
  return out;
}
