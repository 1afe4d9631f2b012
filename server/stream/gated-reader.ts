/**
 * The reader half every socket output shares (RTMP play, HTTP-FLV): packets through a
 * `ReaderGate`, wire bytes from the packet's shared serialization, counters. Packets of one
 * publisher read are collected and written together when the stream flushes: a viewer that
 * took the whole batch writes the batch's bytes, joined once for all such viewers, in one
 * call; one that skipped some writes its own packets, corked. No per-viewer timers or
 * copies. The protocol supplies the `ReaderOutput`: how to frame a packet, how to write, how
 * full its socket is, and what to tell its client when the publisher comes and goes.
 */
import type { LiveStream, ReaderProtocol, StreamReader } from './live-stream.ts';
import type { MediaPacket, WireForm } from './media-packet.ts';
import { ReaderGate, type BackpressurePolicy } from './reader-gate.ts';

/** What a protocol provides to a gated reader. */
export interface ReaderOutput {
  readonly protocol: ReaderProtocol;
  /** The packet's bytes on this protocol's wire (shared, not copied). */
  bytesOf(packet: MediaPacket): Uint8Array;
  /** The shared wire form `bytesOf` returns, when it is one (batches of it are then joined once for all readers). */
  sharedForm(): WireForm | undefined;
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
  /** Packets collected during the current batch; written by `flush`. */
  private pending: MediaPacket[] = [];
  /** The socket's queue, read once per batch (the gate needs no finer grain). */
  private queued = -1;

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
    if (this.queued < 0) this.queued = this.output.queuedBytes();
    const verdict = this.gate.verdict(packet, this.queued, this.stream.video !== undefined);
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

  /** Writes what the batch collected: the shared batch bytes when it took all of `batch`, its own packets otherwise. */
  flush(batch: readonly MediaPacket[] = []): void {
    const pending = this.pending;
    this.queued = -1;
    if (pending.length === 0) return;
    this.pending = [];
    if (this.closed) return;
    const form = this.output.sharedForm();
    // Packets are pushed in order and a reader only ever skips some, so same length and same first packet means all of them.
    if (form && pending.length === batch.length && pending[0] === batch[0]) this.output.write(this.stream.batchBytes(batch, form));
    else if (pending.length === 1) this.output.write(this.output.bytesOf(pending[0]!));
    else this.output.writeMany(pending.map((packet) => this.output.bytesOf(packet)));
  }

  private send(packet: MediaPacket): void {
    this.stream.stats.bytesOut[this.protocol] += this.output.bytesOf(packet).length;
    if (this.pending.length === 0) this.stream.markPending(this);
    this.pending.push(packet);
  }
}
