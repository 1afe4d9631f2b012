/**
 * One audio, video or data message of a live stream, as the publisher sent it (an FLV tag
 * body), on the stream's continuous timeline. Its wire forms for readers are built once,
 * on first use, and shared by every reader: the RTMP chunks (self-contained type 0 headers,
 * the origin's outgoing chunk size, message stream 1) and the FLV tag. Fan-out then writes
 * the same buffer to every socket instead of re-chunking or copying per viewer.
 */
import { writeFlvTag, FLV_TAG_HEADER_SIZE } from '../../common/media/flv.ts';
import { serializeRtmpMessage } from '../../common/media/rtmp-chunk.ts';
import { ChunkStream, RtmpType } from '../../common/media/rtmp-message.ts';

/** The chunk size the origin sends with (announced by Set Chunk Size right after connect). */
export const OUT_CHUNK_SIZE = 4096;
/** The message stream id the origin gives every NetStream (createStream answers 1). */
export const PLAY_STREAM_ID = 1;

/** What a packet carries. */
export type PacketKind = 'audio' | 'video' | 'data';

/** The wire forms a packet has, built once and shared by every reader. */
export type WireForm = 'rtmp' | 'flv';

const TYPE_IDS: Record<PacketKind, number> = { audio: RtmpType.audio, video: RtmpType.video, data: RtmpType.dataAmf0 };
const CHUNK_STREAMS: Record<PacketKind, number> = { audio: ChunkStream.audio, video: ChunkStream.video, data: ChunkStream.data };

/** A packet of a live stream. Immutable once made. */
export class MediaPacket {
  readonly kind: PacketKind;
  /** Milliseconds on the stream's timeline (continuous across publisher reconnects). */
  readonly timestampMs: number;
  /** The FLV tag body / RTMP message payload. */
  readonly payload: Uint8Array;
  /** A video keyframe carrying picture data (a reader may start here). */
  readonly keyframe: boolean;
  /** Decoder configuration or metadata rather than a frame (sequence headers, onMetaData). */
  readonly config: boolean;
  private rtmpBytes: Uint8Array | undefined;
  private flvBytes: Uint8Array | undefined;

  constructor(kind: PacketKind, timestampMs: number, payload: Uint8Array, flags: { keyframe?: boolean; config?: boolean } = {}) {
    this.kind = kind;
    this.timestampMs = timestampMs;
    this.payload = payload;
    this.keyframe = flags.keyframe ?? false;
    this.config = flags.config ?? false;
  }

  /** RTMP type id (8 audio, 9 video, 18 data). */
  get typeId(): number {
    return TYPE_IDS[this.kind];
  }

  /** The RTMP chunks of this packet for message stream `streamId`; cached for the usual stream 1. */
  rtmp(streamId = PLAY_STREAM_ID): Uint8Array {
    if (streamId !== PLAY_STREAM_ID) return this.serializeRtmp(streamId);
    return (this.rtmpBytes ??= this.serializeRtmp(streamId));
  }

  private serializeRtmp(streamId: number): Uint8Array {
    return serializeRtmpMessage(
      { chunkStreamId: CHUNK_STREAMS[this.kind], typeId: this.typeId, streamId, timestamp: this.timestampMs, payload: this.payload },
      OUT_CHUNK_SIZE,
    );
  }

  /** The FLV tag (header, body, PreviousTagSize). */
  flv(): Uint8Array {
    if (!this.flvBytes) {
      this.flvBytes = new Uint8Array(FLV_TAG_HEADER_SIZE + this.payload.length + 4);
      writeFlvTag(this.flvBytes, 0, this.typeId, this.timestampMs, this.payload);
    }
    return this.flvBytes;
  }

  /** The packet in a shared wire form: RTMP chunks for message stream 1, or the FLV tag. */
  wire(form: WireForm): Uint8Array {
    return form === 'rtmp' ? this.rtmp() : this.flv();
  }

  /** The same packet at another timestamp (decoder configuration sent to a reader that joins late). */
  restamped(timestampMs: number): MediaPacket {
    return timestampMs === this.timestampMs
      ? this
      : new MediaPacket(this.kind, timestampMs, this.payload, { keyframe: this.keyframe, config: this.config });
  }
}
