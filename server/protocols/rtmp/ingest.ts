/**
 * The ingest seam (MediaMTX's `to_stream`): a publisher's session into its stream. Media goes
 * into `LiveStream.ingest`, the end of each socket read into `endOfRead` (viewers then write
 * what that read carried, once each), and ending the session releases the stream and sums
 * it up for `on_unpublish`.
 */
import type { SessionSummary } from '../../stream/admission.ts';
import type { LiveStream, Publisher } from '../../stream/live-stream.ts';
import type { PacketKind } from '../../stream/media-packet.ts';

/** One publish session. */
export class RtmpIngest {
  readonly name: string;
  private readonly stream: LiveStream;
  private readonly publisher: Publisher;
  private readonly startedAtMs = Date.now();
  private readonly bytesAtStart: number;

  /** `bytesIn` is what the connection had received when the session started. */
  constructor(name: string, stream: LiveStream, publisher: Publisher, bytesIn: number) {
    this.name = name;
    this.stream = stream;
    this.publisher = publisher;
    this.bytesAtStart = bytesIn;
  }

  /** One audio, video or data message. Throws `MediaFormatError` when it is malformed. */
  push(kind: PacketKind, timestamp: number, payload: Uint8Array): void {
    this.stream.ingest(kind, timestamp, payload);
  }

  /** The socket read that carried the last messages is done. */
  endOfRead(): void {
    this.stream.endOfRead();
  }

  /** Releases the stream; `bytesIn` is what the connection has received by now. */
  end(bytesIn: number): SessionSummary {
    this.stream.release(this.publisher);
    return { durationMs: Date.now() - this.startedAtMs, bytes: bytesIn - this.bytesAtStart };
  }
}
