/**
 * Renders an HLS media playlist for fMP4 segments. Spec: RFC 8216 (4.3.2.1 EXTINF,
 * 4.3.2.3 EXT-X-DISCONTINUITY, 4.3.2.5 EXT-X-MAP, 4.3.2.6 EXT-X-PROGRAM-DATE-TIME,
 * 4.3.3.1 EXT-X-TARGETDURATION, 4.3.3.2 EXT-X-MEDIA-SEQUENCE, 4.3.3.3
 * EXT-X-DISCONTINUITY-SEQUENCE, 4.3.3.4 EXT-X-ENDLIST, 7 version 6 for EXT-X-MAP without
 * I-frames-only). Low-latency parts (draft-pantos-hls-rfc8216bis) are not written yet.
 */

/** One segment as the playlist lists it. */
export interface PlaylistSegment {
  uri: string;
  durationMs: number;
  /** Wall-clock time of the segment's first sample. */
  programDateTimeMs: number;
  /** The segment follows a change of encoder, timeline or configuration. */
  discontinuity: boolean;
  /** The init segment it needs. */
  mapUri: string;
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
}

/** The playlist's text. */
export function renderMediaPlaylist(playlist: MediaPlaylist): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:6',
    `#EXT-X-TARGETDURATION:${playlist.targetDurationS}`,
    `#EXT-X-MEDIA-SEQUENCE:${playlist.mediaSequence}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${playlist.discontinuitySequence}`,
    // No EXT-X-INDEPENDENT-SEGMENTS: a segment cut inside a GOP longer than the target duration does not start on a keyframe.
  ];
  let map = '';
  for (const segment of playlist.segments) {
    // Written on the first listed segment too: EXT-X-DISCONTINUITY-SEQUENCE counts it only once it leaves (6.2.2).
    if (segment.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    if (segment.mapUri !== map) {
      map = segment.mapUri;
      lines.push(`#EXT-X-MAP:URI="${map}"`);
    }
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.programDateTimeMs).toISOString()}`);
    lines.push(`#EXTINF:${(segment.durationMs / 1000).toFixed(3)},`);
    lines.push(segment.uri);
  }
  if (playlist.ended) lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}
