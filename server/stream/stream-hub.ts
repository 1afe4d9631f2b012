/**
 * The streams of one origin, by name. Streams are made on first use (a publish or a play of
 * a name that exists) by a factory the origin supplies, which attaches per-stream services
 * such as the HLS muxer.
 */
import type { LiveStream } from './live-stream.ts';

/** Streams by name. */
export class StreamHub {
  private readonly streams = new Map<string, LiveStream>();
  private readonly create: (name: string) => LiveStream;

  constructor(create: (name: string) => LiveStream) {
    this.create = create;
  }

  /** The stream called `name`, made if needed. The caller checks that the name exists. */
  get(name: string): LiveStream {
    let stream = this.streams.get(name);
    if (!stream) {
      stream = this.create(name);
      this.streams.set(name, stream);
    }
    return stream;
  }

  /** The stream if it was ever used since start. */
  find(name: string): LiveStream | undefined {
    return this.streams.get(name);
  }

  all(): LiveStream[] {
    return [...this.streams.values()];
  }

  /** Closes and forgets a stream (deleted). */
  remove(name: string, reason: string): void {
    const stream = this.streams.get(name);
    if (!stream) return;
    this.streams.delete(name);
    stream.close(reason);
  }

  /** Closes every stream. */
  closeAll(reason: string): void {
    for (const stream of this.streams.values()) stream.close(reason);
    this.streams.clear();
  }
}
