/**
 * The playback seam (MediaMTX's `from_stream`): a player's session on its stream, as a
 * `GatedReader` whose output is this connection. Media goes out as the packet's shared RTMP
 * chunks (built once for every viewer) while the connection sends at the origin's chunk size,
 * and as this connection's own chunks otherwise; the publisher's comings and goings become
 * the player's status events.
 */
import type { OutgoingRtmpMessage } from '../../../common/media/rtmp-chunk.ts';
import type { SessionSummary } from '../../stream/admission.ts';
import { GatedReader } from '../../stream/gated-reader.ts';
import type { LiveStream } from '../../stream/live-stream.ts';
import { ChunkStream } from '../../../common/media/rtmp-message.ts';
import { OUT_CHUNK_SIZE, PLAY_STREAM_ID, type MediaPacket } from '../../stream/media-packet.ts';
import type { BackpressurePolicy } from '../../stream/reader-gate.ts';

/** The connection, as a player's session writes to it. */
export interface PlaybackConnection {
  /** The chunk size the peer knows we send with. */
  readonly chunkSize: number;
  /** Chunks a message at that size (for a packet that cannot use the shared chunks). */
  chunk(message: OutgoingRtmpMessage): Uint8Array;
  write(bytes: Uint8Array): void;
  /** Several chunks in one syscall. */
  writeMany(chunks: readonly Uint8Array[]): void;
  /** Bytes written but not yet taken by the kernel. */
  queuedBytes(): number;
  /** Tells the player the publisher came back / left (onStatus PublishNotify / UnpublishNotify). */
  publisherCame(): void;
  publisherWent(): void;
  /** Closes the connection; `slow` says it was dropped for falling behind. */
  close(reason: string, slow: boolean): void;
}

const CHUNK_STREAMS = { audio: ChunkStream.audio, video: ChunkStream.video, data: ChunkStream.data } as const;

/** One play session. */
export class RtmpPlayback {
  readonly name: string;
  private readonly reader: GatedReader;
  private readonly startedAtMs = Date.now();
  private bytes = 0;

  constructor(name: string, stream: LiveStream, streamId: number, connection: PlaybackConnection, backpressure: BackpressurePolicy) {
    this.name = name;
    // The origin's shared chunks fit this connection while it sends at the origin's chunk size on message stream 1.
    const shared = () => connection.chunkSize === OUT_CHUNK_SIZE && streamId === PLAY_STREAM_ID;
    this.reader = new GatedReader(
      stream,
      {
        protocol: 'rtmp',
        bytesOf: (packet: MediaPacket) =>
          shared()
            ? packet.rtmp()
            : connection.chunk({
                chunkStreamId: CHUNK_STREAMS[packet.kind],
                typeId: packet.typeId,
                streamId,
                timestamp: packet.timestampMs,
                payload: packet.payload,
              }),
        sharedForm: () => (shared() ? 'rtmp' : undefined),
        write: (bytes) => {
          this.bytes += bytes.length;
          connection.write(bytes);
        },
        writeMany: (chunks) => {
          for (const chunk of chunks) this.bytes += chunk.length;
          connection.writeMany(chunks);
        },
        queuedBytes: () => connection.queuedBytes(),
        publishStarted: () => connection.publisherCame(),
        publishStopped: () => connection.publisherWent(),
        close: (reason, slow) => connection.close(reason, slow),
      },
      backpressure,
    );
    stream.addReader(this.reader);
  }

  /** Leaves the stream (the peer stopped playing, or the connection is closing) and sums the session up. */
  end(): SessionSummary {
    this.reader.leave();
    return { durationMs: Date.now() - this.startedAtMs, bytes: this.bytes };
  }
}
