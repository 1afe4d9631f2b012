/**
 * Where Low-Latency HLS parts end, and the part target they keep (draft-pantos-hls-rfc8216bis
 * 4.4.3.7 EXT-X-PART-INF, 4.4.4.9 EXT-X-PART): every part lasts at most PART-TARGET, and at
 * least 85 % of it unless it is INDEPENDENT or the last part of its segment. Frames do not
 * divide a configured 200 ms evenly (24 fps gives 208 ms, 12 fps 167 ms), so a playlist's
 * PART-TARGET is not the configured duration but what its first segment's parts came out as
 * (plus a little room for timestamp jitter), fixed from then on like the target duration.
 */

/** Room above the parts seen when PART-TARGET is fixed: millisecond timestamps jitter by a millisecond or two. */
const PART_TARGET_SLACK = 1.03;

/** What the cut rule reads at a frame. */
export interface PartCutInput {
  /** From the part's first sample to this frame, in ms. */
  elapsedMs: number;
  /** The duration of the frame before this one (the best guess for this one's), in ms. */
  frameMs: number;
  /** The configured part duration (`hls.partDurationMs`). */
  configuredMs: number;
  /** The playlist's PART-TARGET in ms, once fixed. */
  partTargetMs: number | null;
}

/**
 * Whether the part ends before this frame: when its length is as close to the configured
 * duration as whole frames allow, or when this frame would carry it past PART-TARGET.
 */
export function shouldEndPart({ elapsedMs, frameMs, configuredMs, partTargetMs }: PartCutInput): boolean {
  if (elapsedMs <= 0) return false;
  if (elapsedMs >= configuredMs - frameMs / 2) return true;
  return partTargetMs !== null && elapsedMs + frameMs > partTargetMs;
}

/** PART-TARGET (ms) for a playlist whose first parts lasted `partDurationsMs`, never below the configured duration's 85 %. */
export function partTargetFor(partDurationsMs: readonly number[], configuredMs: number): number {
  const longest = Math.max(0, ...partDurationsMs);
  return Math.ceil(Math.max(longest, configuredMs * 0.85) * PART_TARGET_SLACK);
}

/**
 * The Advance Part Limit (6.2.5.2): how many parts past the last one a blocking request may
 * ask for before it is a Bad Request. Three divided by PART-TARGET in seconds, or three.
 */
export function advancePartLimit(partTargetMs: number): number {
  return partTargetMs < 1000 ? Math.ceil(3000 / partTargetMs) : 3;
}

/** A part's file name: `part-EPOCH-MSN-INDEX.m4s`. */
export function partName(epoch: string, msn: number, index: number): string {
  return `part-${epoch}-${msn}-${index}.m4s`;
}

/** The media sequence number and index a part file name stands for, or null. */
export function parsePartName(name: string): { epoch: string; msn: number; index: number } | null {
  const match = /^part-([0-9a-f]+)-(\d{1,15})-(\d{1,6})\.m4s$/.exec(name);
  return match ? { epoch: match[1]!, msn: Number(match[2]), index: Number(match[3]) } : null;
}
