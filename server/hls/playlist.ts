/**
 * Renders an HLS media playlist for fMP4 segments. Spec: RFC 8216 (4.3.2.1 EXTINF,
 * 4.3.2.3 EXT-X-DISCONTINUITY, 4.3.2.5 EXT-X-MAP, 4.3.2.6 EXT-X-PROGRAM-DATE-TIME,
 * 4.3.3.1 EXT-X-TARGETDURATION, 4.3.3.2 EXT-X-MEDIA-SEQUENCE, 4.3.3.3
 * EXT-X-DISCONTINUITY-SEQUENCE, 4.3.3.4 EXT-X-ENDLIST, 7 version 6 for EXT-X-MAP without
 * I-frames-only), and the Low-Latency HLS tags of draft-pantos-hls-rfc8216bis (4.4.3.7
 * EXT-X-PART-INF, 4.4.3.8 EXT-X-SERVER-CONTROL, 4.4.4.9 EXT-X-PART, 4.4.5.2 EXT-X-SKIP,
 * 4.4.5.3 EXT-X-PRELOAD-HINT; section 8: version 9 for EXT-X-SKIP).
 */

/** A partial segment (LL-HLS). */
export interface PlaylistPart {
  uri: string;
  durationMs: number;
  /** It starts with a sync sample (a keyframe, or audio). */
  independent: boolean;
}

/** One segment as the playlist lists it. */
export interface PlaylistSegment {
  /** Undefined for the segment still being cut (listed by its parts only). */
  uri: string | undefined;
  durationMs: number;
  /** Wall-clock time of the segment's first sample. */
  programDateTimeMs: number;
  /** The segment follows a change of encoder, timeline or configuration. */
  discontinuity: boolean;
  /** The init segment it needs. */
  mapUri: string;
  /** Its parts, listed near the live edge (LL-HLS). */
  parts?: readonly PlaylistPart[];
}

/** The Low-Latency HLS side of a playlist. */
export interface LowLatencyPlaylist {
  partTargetMs: number;
  /** EXT-X-SERVER-CONTROL PART-HOLD-BACK, at least three part targets. */
  partHoldBackMs: number;
  /** EXT-X-SERVER-CONTROL CAN-SKIP-UNTIL, at least six target durations. */
  canSkipUntilMs: number;
  /** The next part's URI (EXT-X-PRELOAD-HINT), while the playlist grows. */
  preloadHintUri: string | undefined;
  /** A delta update (`_HLS_skip=YES`): this many leading segments become EXT-X-SKIP. */
  skippedSegments: number;
}

/** What the playlist says. */
export interface MediaPlaylist {
  /** Whole seconds, at least every segment's rounded duration (RFC 8216 4.3.3.1). */
  targetDurationS: number;
  mediaSequence: number;
  discontinuitySequence: number;
  segments: readonly PlaylistSegment[];
  /** No more segments will be added. */
  ended: boolean;
  lowLatency?: LowLatencyPlaylist;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** The playlist's text. */
export function renderMediaPlaylist(playlist: MediaPlaylist): string {
  const ll = playlist.lowLatency;
  const skipped = ll?.skippedSegments ?? 0;
  const lines = [
    '#EXTM3U',
    `#EXT-X-VERSION:${skipped > 0 ? 9 : 6}`,
    `#EXT-X-TARGETDURATION:${playlist.targetDurationS}`,
    // No EXT-X-INDEPENDENT-SEGMENTS: a segment cut inside a GOP longer than the target duration does not start on a keyframe.
  ];
  if (ll) {
    lines.push(
      `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${seconds(ll.partHoldBackMs)},CAN-SKIP-UNTIL=${seconds(ll.canSkipUntilMs)}`,
      `#EXT-X-PART-INF:PART-TARGET=${seconds(ll.partTargetMs)}`,
    );
  }
  lines.push(`#EXT-X-MEDIA-SEQUENCE:${playlist.mediaSequence}`, `#EXT-X-DISCONTINUITY-SEQUENCE:${playlist.discontinuitySequence}`);
  if (skipped > 0) lines.push(`#EXT-X-SKIP:SKIPPED-SEGMENTS=${skipped}`);
  let map = '';
  for (const segment of playlist.segments.slice(skipped)) {
    // Written on the first listed segment too: EXT-X-DISCONTINUITY-SEQUENCE counts it only once it leaves (6.2.2).
    if (segment.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    if (segment.mapUri !== map) {
      map = segment.mapUri;
      lines.push(`#EXT-X-MAP:URI="${map}"`);
    }
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.programDateTimeMs).toISOString()}`);
    for (const part of segment.parts ?? [])
      lines.push(`#EXT-X-PART:DURATION=${seconds(part.durationMs)},URI="${part.uri}"${part.independent ? ',INDEPENDENT=YES' : ''}`);
    if (segment.uri === undefined) continue;
    lines.push(`#EXTINF:${seconds(segment.durationMs)},`);
    lines.push(segment.uri);
  }
  if (ll?.preloadHintUri && !playlist.ended) lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${ll.preloadHintUri}"`);
  if (playlist.ended) lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}
