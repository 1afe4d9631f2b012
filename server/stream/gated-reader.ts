/**
 * The reader half every socket output shares (RTMP play, HTTP-FLV): packets through a
 * `ReaderGate`, wire bytes from the packet's shared serialization, counters. Packets of one
 * publisher read are collected and written together when the stream flushes, so a viewer
 * costs one write per batch, with no per-viewer timers or copies. The protocol
 * supplies the `ReaderOutput`: how to frame a packet, how to write, how full its socket is,
 * and what to tell its client when the publisher comes and goes.
 */
import type { LiveStream, ReaderProtocol, StreamReader } from './live-stream.ts';
import type { MediaPacket } from './media-packet.ts';
import { ReaderGate, type BackpressurePolicy } from './reader-gate.ts';

/** What a protocol provides to a gated reader. */
export interface ReaderOutput {
  readonly protocol: ReaderProtocol;
  /** The packet's bytes on this protocol's wire (shared, not copied). */
  bytesOf(packet: MediaPacket): Uint8Array;
  write(bytes: Uint8Array): void;
  /** Several packets at once, in one syscall where the transport allows (cork, writev). */
  writeMany(chunks: readonly Uint8Array[]): void;
  /** Bytes written but not yet taken by the kernel. */
  queuedBytes(): number;
  publishStarted(): void;
  publishStopped(): void;
  /** Closes the client's connection; `slow` says it was dropped for falling behind. */
  close(reason: string, slow: boolean): void;
}

/** A viewer of a stream over a socket. */
export class GatedReader implements StreamReader {
  readonly protocol: ReaderProtocol;
  private readonly stream: LiveStream;
  private readonly output: ReaderOutput;
  private readonly gate: ReaderGate;
  private closed = false;
  /** Bytes collected during the current batch of packets; written by `flush`. */
  private pending: Uint8Array[] = [];

  constructor(stream: LiveStream, output: ReaderOutput, policy?: BackpressurePolicy) {
    this.stream = stream;
    this.output = output;
    this.protocol = output.protocol;
    this.gate = new ReaderGate(policy);
  }

  /** Video frames this reader skipped to catch up. */
  get droppedFrames(): number {
    return this.gate.droppedFrames;
  }

  join(burst: readonly MediaPacket[], startsOnKeyframe: boolean): void {
    if (startsOnKeyframe) this.gate.startLive();
    for (const packet of burst) this.send(packet);
  }

  push(packet: MediaPacket): void {
    if (this.closed) return;
    const verdict = this.gate.verdict(packet, this.output.queuedBytes(), this.stream.video !== undefined);
    if (verdict === 'send') this.send(packet);
    else if (verdict === 'drop') {
      if (packet.kind === 'video' && !packet.config) this.stream.countDroppedFrame();
    } else this.detach(this.gate.disconnectReason, true);
  }

  publishStarted(): void {
    this.gate.awaitKeyframe();
    this.output.publishStarted();
  }

  publishStopped(): void {
    this.output.publishStopped();
  }

  streamClosed(reason: string): void {
    this.detach(reason, false);
  }

  /** Leaves the stream and closes the client (idempotent). */
  detach(reason: string, slow: boolean): void {
    if (this.leave()) this.output.close(reason, slow);
  }

  /** Leaves the stream and writes nothing more, leaving the client's connection to its owner; false if already gone. */
  leave(): boolean {
    if (this.closed) return false;
    this.closed = true;
    this.stream.removeReader(this);
    return true;
  }

  /** Writes what the batch collected: one write for the usual single packet, one corked write for several. */
  flush(): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    if (this.closed) return;
    if (pending.length === 1) this.output.write(pending[0]!);
    else this.output.writeMany(pending);
  }

  private send(packet: MediaPacket): void {
    const bytes = this.output.bytesOf(packet);
    this.stream.stats.bytesOut[this.protocol] += bytes.length;
    if (this.pending.length === 0) this.stream.markPending(this);
    this.pending.push(bytes);
  }
}
