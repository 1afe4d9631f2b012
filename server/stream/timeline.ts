/**
 * One stream's timeline: maps each publisher's RTMP timestamps (32-bit milliseconds, per
 * track) onto a continuous, forward-moving time that readers and HLS can trust, across
 * reconnects, 32-bit wraps and clocks that misbehave.
 *
 * - A new publisher's first timestamp lands where the last one ended (plus a gap); the
 *   `base` is the earliest first timestamp of its tracks, so tracks that start on different
 *   bases (video 3 s ahead of audio) keep their offset instead of one being flattened to 0.
 *   A track that shows up later with an earlier time shifts every track forward together.
 * - A track whose clock jumps (a restart at 0, a jump by hours: capture cards re-syncing,
 *   encoders restarting) is rebased: the jump is cut out, so its time continues one frame on.
 *   A jump forward is told from a real pause by the wall clock: time that advances far more
 *   than the wall clock did is a jump. When the other tracks jump by the same amount soon
 *   after (the publisher's one clock), they get the same correction, so tracks stay in step.
 * - Within a track, time never goes back: small back-steps (jitter) are held at the last time.
 *
 * Pure apart from the injected clock.
 */

/** The tracks whose time is followed. Data messages ride on the video (or audio) track's time. */
export type TimedTrack = 'audio' | 'video';

/** A forward step this much larger than the wall clock's is a jump, not a pause. */
export const JUMP_FORWARD_MS = 1000;
/** A step back by more than this is a jump (smaller ones are jitter, held). */
export const JUMP_BACK_MS = 500;
/** Two tracks' jumps that differ by less than this are one jump of the publisher's clock. */
const SAME_JUMP_MS = 1000;
/** How long one track's jump waits for the others to follow. */
const JUMP_MEMORY_MS = 5000;

interface TrackState {
  /** Last raw timestamp, unwrapped (32-bit wraps added). */
  lastRaw: number;
  /** Wraps of the 32-bit clock seen on this track. */
  wrapMs: number;
  lastWallMs: number;
  /** The last ordinary step between frames, used as the step across a jump. */
  stepMs: number;
  /** Correction for this track's jumps. */
  adjustMs: number;
  lastMs: number;
}

/** What mapping one timestamp did. */
export interface MappedTime {
  timestampMs: number;
  /** The raw time jumped by this much (ms) and was rebased here; 0 otherwise. */
  jumpMs: number;
}

/** The timeline of one stream. */
export class Timeline {
  private readonly now: () => number;
  private startMs = 0;
  private baseRaw: number | null = null;
  private shiftMs = 0;
  private tracks = new Map<TimedTrack, TrackState>();
  private recentJump: { track: TimedTrack; shiftMs: number; atWallMs: number } | null = null;
  private sessions = 0;
  /** The latest time on the timeline. */
  lastTimestampMs = 0;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** A publisher starts: its time continues the stream's, `gapMs` after the last one's end (the first starts at 0). */
  startSession(gapMs: number): void {
    this.startMs = this.sessions++ === 0 ? 0 : this.lastTimestampMs + gapMs;
    this.baseRaw = null;
    this.shiftMs = 0;
    this.tracks = new Map();
    this.recentJump = null;
  }

  /** Sets the raw timestamp that lands at the session's start: the earliest first timestamp of its tracks. */
  setBase(raw: number): void {
    this.baseRaw = raw;
  }

  /** Whether the session's base is known yet. */
  get hasBase(): boolean {
    return this.baseRaw !== null;
  }

  /** Maps one audio or video timestamp. */
  map(track: TimedTrack, raw: number): MappedTime {
    const wallMs = this.now();
    this.baseRaw ??= raw;
    let state = this.tracks.get(track);
    let jumpMs = 0;
    if (!state) {
      state = { lastRaw: raw, wrapMs: 0, lastWallMs: wallMs, stepMs: 20, adjustMs: this.sharedAdjustment(track), lastMs: -Infinity };
      this.tracks.set(track, state);
    } else {
      // 32-bit RTMP time wraps after 49.7 days; a jump back by more than half the range is a wrap.
      if (raw + state.wrapMs + 0x8000_0000 < state.lastRaw) state.wrapMs += 0x1_0000_0000;
      const stepMs = raw + state.wrapMs - state.lastRaw;
      const wallStepMs = wallMs - state.lastWallMs;
      if (stepMs > wallStepMs + JUMP_FORWARD_MS || stepMs < -JUMP_BACK_MS) {
        jumpMs = stepMs;
        this.rebase(track, state, stepMs - state.stepMs, wallMs);
      } else if (stepMs > 0 && stepMs <= JUMP_FORWARD_MS) state.stepMs = stepMs;
      state.lastRaw = raw + state.wrapMs;
      state.lastWallMs = wallMs;
    }
    let timestampMs = state.lastRaw - this.baseRaw + this.startMs + state.adjustMs + this.shiftMs;
    if (timestampMs < this.startMs && state.lastMs === -Infinity) {
      // A track that starts before the base: every track moves forward together, keeping their offset.
      this.shiftMs += this.startMs - timestampMs;
      timestampMs = this.startMs;
    }
    timestampMs = Math.max(timestampMs, state.lastMs, 0);
    state.lastMs = timestampMs;
    if (timestampMs > this.lastTimestampMs) this.lastTimestampMs = timestampMs;
    return { timestampMs, jumpMs };
  }

  /**
   * The time of a message that does not move the timeline: decoder configuration (on its
   * track's clock) or data (on the video's, else the audio's). It stays between the track's
   * last time and the timeline's end (a configuration may lead it by up to a second), and
   * within this session.
   */
  mapAside(raw: number, track?: TimedTrack): number {
    const state = track ? this.tracks.get(track) : (this.tracks.get('video') ?? this.tracks.get('audio'));
    const endMs = Math.max(this.startMs, this.lastTimestampMs);
    if (!state || this.baseRaw === null) return endMs;
    const timestampMs = raw + state.wrapMs - this.baseRaw + this.startMs + state.adjustMs + this.shiftMs;
    // A new configuration comes just before its keyframe: it may lead the timeline by a frame or so.
    return Math.min(Math.max(timestampMs, this.startMs, state.lastMs), track ? endMs + JUMP_FORWARD_MS : endMs);
  }

  private rebase(track: TimedTrack, state: TrackState, shiftMs: number, wallMs: number): void {
    const recent = this.recentJump;
    if (
      recent &&
      recent.track !== track &&
      wallMs - recent.atWallMs <= JUMP_MEMORY_MS &&
      Math.abs(shiftMs - recent.shiftMs) <= SAME_JUMP_MS
    ) {
      // The same jump of the publisher's clock, seen on this track: the same correction keeps the tracks in step.
      state.adjustMs -= recent.shiftMs;
      this.recentJump = null;
      return;
    }
    state.adjustMs -= shiftMs;
    this.recentJump = { track, shiftMs, atWallMs: wallMs };
  }

  /** A track that appears after another track's jump shares that track's correction (it is on the same clock). */
  private sharedAdjustment(track: TimedTrack): number {
    const other = this.tracks.get(track === 'audio' ? 'video' : 'audio');
    return other?.adjustMs ?? 0;
  }
}
