import { describe, expect, it } from 'vitest';
import { amfRecord, encodeAmf0 } from './amf0.ts';
import { MediaFormatError } from './errors.ts';
import { encodeFlvTag } from './flv.ts';
import {
  acknowledgementMessage,
  amfObject,
  commandMessage,
  decodeCommand,
  decodeData,
  onStatusMessage,
  parseU32Control,
  parseUserControl,
  RtmpType,
  setPeerBandwidthMessage,
  splitAggregate,
  userControlMessage,
  UserControlEvent,
} from './rtmp-message.ts';

describe('RTMP messages', () => {
  it('builds protocol control and user control messages on chunk stream 2, stream 0', () => {
    const ack = acknowledgementMessage(0x1_0000_0005 % 0x1_0000_0000);
    expect(ack).toMatchObject({ chunkStreamId: 2, streamId: 0, typeId: RtmpType.acknowledgement });
    expect(parseU32Control(ack.payload)).toBe(5);
    expect([...setPeerBandwidthMessage(2_500_000, 2).payload]).toEqual([0x00, 0x26, 0x25, 0xa0, 2]);
    const begin = userControlMessage(UserControlEvent.streamBegin, 1);
    expect(parseUserControl(begin.payload)).toEqual({ event: 0, value: 1 });
    expect(parseUserControl(userControlMessage(UserControlEvent.setBufferLength, 1, 3000).payload)).toEqual({
      event: 3,
      value: 1,
      extra: 3000,
    });
  });

  it('encodes and decodes commands, including the AMF3-typed form with its leading byte', () => {
    const message = commandMessage(0, 'connect', 1, amfObject({ app: 'live' }), 'extra');
    const command = decodeCommand(message);
    expect(command.name).toBe('connect');
    expect(command.transactionId).toBe(1);
    expect(amfRecord(command.object)).toEqual({ app: 'live' });
    expect(command.args).toEqual(['extra']);
    const amf3 = decodeCommand({ typeId: RtmpType.commandAmf3, payload: Uint8Array.of(0, ...message.payload) });
    expect(amf3.name).toBe('connect');
    expect(() => decodeCommand({ typeId: 20, payload: encodeAmf0([5]) })).toThrow(MediaFormatError);
    const status = decodeCommand(onStatusMessage(1, 'error', 'NetStream.Publish.BadName', 'no'));
    expect(amfRecord(status.args[0])).toEqual({ level: 'error', code: 'NetStream.Publish.BadName', description: 'no' });
    expect(decodeData({ typeId: RtmpType.dataAmf0, payload: encodeAmf0(['@setDataFrame', 'onMetaData']) })).toEqual([
      '@setDataFrame',
      'onMetaData',
    ]);
  });

  it('splits an aggregate message and re-bases sub-message timestamps on its own', () => {
    const payload = Buffer.concat([encodeFlvTag(9, 5000, Uint8Array.of(0x17, 1)), encodeFlvTag(8, 5020, Uint8Array.of(0xaf, 1))]);
    const parts = splitAggregate({ typeId: 22, streamId: 1, chunkStreamId: 4, timestamp: 100, payload });
    expect(parts.map((m) => [m.typeId, m.timestamp, m.streamId, [...m.payload]])).toEqual([
      [9, 100, 1, [0x17, 1]],
      [8, 120, 1, [0xaf, 1]],
    ]);
    expect(() => splitAggregate({ typeId: 22, streamId: 1, chunkStreamId: 4, timestamp: 0, payload: payload.subarray(0, 20) })).toThrow(
      MediaFormatError,
    );
  });
});
