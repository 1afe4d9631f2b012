/**
 * Puts a stream's audio and video packets in timestamp order before they are packaged, as
 * ffmpeg's muxers interleave (`av_interleaved_write_frame`). RTMP delivers each track in
 * order but not the tracks against each other: a capture device whose audio runs 3 s behind
 * its video sends audio for time t alongside video for time t+3 s. Cutting segments in
 * arrival order would put them in different segments; in time order each segment holds the
 * audio and video of the same span.
 *
 * A packet leaves once the other track has reached its time, or once that track is more than
 * `maxWaitMs` behind (it stopped, or never started): memory and added latency stay bounded.
 * Data messages carry nothing HLS packages and pass at once.
 */
import type { MediaPacket } from '../stream/media-packet.ts';

type Track = 'audio' | 'video';

/** Timestamp order across one stream's audio and video. */
export class Interleaver {
  private readonly release: (packet: MediaPacket) => void;
  private readonly hasTrack: (track: Track) => boolean;
  private readonly maxWaitMs: number;
  private readonly queues: Record<Track, MediaPacket[]> = { audio: [], video: [] };
  /** The newest time each track has shown (its later packets are not earlier: the timeline is monotonic per track). */
  private readonly newest: Record<Track, number | undefined> = { audio: undefined, video: undefined };
  /** The first time each track showed, since the last flush. */
  private readonly first: Record<Track, number | undefined> = { audio: undefined, video: undefined };
  private readonly heads: Record<Track, number> = { audio: 0, video: 0 };

  /**
   * `release` gets every packet once, in order. `hasTrack` says whether the stream has a track
   * at all (one it lacks is never waited for); a track more than `maxWaitMs` behind is not waited for either.
   */
  constructor(release: (packet: MediaPacket) => void, hasTrack: (track: Track) => boolean, maxWaitMs = 5000) {
    this.release = release;
    this.hasTrack = hasTrack;
    this.maxWaitMs = maxWaitMs;
  }

  /** Takes the next packet of its track. */
  push(packet: MediaPacket): void {
    if (packet.kind === 'data') {
      this.release(packet);
      return;
    }
    this.queues[packet.kind].push(packet);
    this.newest[packet.kind] = Math.max(this.newest[packet.kind] ?? -Infinity, packet.timestampMs);
    this.first[packet.kind] ??= packet.timestampMs;
    this.drain();
  }

  /** Releases everything held (the publisher left, or the stream ends). */
  flush(): void {
    for (;;) {
      const next = this.earliest();
      if (!next) break;
      this.take(next);
    }
    this.newest.audio = this.newest.video = this.first.audio = this.first.video = undefined;
  }

  /** Packets waiting. */
  get size(): number {
    return this.count('audio') + this.count('video');
  }

  private count(track: Track): number {
    return this.queues[track].length - this.heads[track];
  }

  private head(track: Track): MediaPacket | undefined {
    return this.queues[track][this.heads[track]];
  }

  /** The track whose head is earliest (video first on a tie: a segment cut at a keyframe takes the audio of that instant). */
  private earliest(): Track | undefined {
    const audio = this.head('audio');
    const video = this.head('video');
    if (!audio) return video ? 'video' : undefined;
    if (!video) return 'audio';
    return audio.timestampMs < video.timestampMs ? 'audio' : 'video';
  }

  private drain(): void {
    for (;;) {
      const track = this.earliest();
      if (!track) return;
      const other: Track = track === 'audio' ? 'video' : 'audio';
      if (!this.head(other) && this.hasTrack(other)) {
        // The other track may still send something earlier: wait, unless it has passed this time or is too far behind.
        const otherAt = this.newest[other] ?? this.first[track]!;
        const caughtUp = this.newest[other] !== undefined && this.head(track)!.timestampMs <= otherAt;
        if (!caughtUp && this.newest[track]! - otherAt <= this.maxWaitMs) return;
      }
      this.take(track);
    }
  }

  private take(track: Track): void {
    const queue = this.queues[track];
    const packet = queue[this.heads[track]++]!;
    if (this.heads[track] > 64 && this.heads[track] * 2 > queue.length) {
      queue.splice(0, this.heads[track]);
      this.heads[track] = 0;
    }
    this.release(packet);
  }
}
