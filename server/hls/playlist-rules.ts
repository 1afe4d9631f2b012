/**
 * The rules of RFC 8216 that a live fMP4 media playlist and its reloads must keep, as a
 * parser and two checks that return the broken rules (empty when all hold). The origin's
 * tests read every playlist a player would see through them; they are plain functions so
 * any test (unit, e2e, a later LL-HLS one) can use them.
 *
 * Checked: 4.3.1.1 EXTM3U first; 4.3.1.2 one EXT-X-VERSION, 6 or more with EXT-X-MAP
 * (section 7); 4.3.2.1 EXTINF before every URI; 4.3.3.1 one EXT-X-TARGETDURATION and every
 * EXTINF, rounded, at most it; 4.3.3.2/4.3.3.3 the sequence tags before the first segment;
 * 4.3.2.6 PROGRAM-DATE-TIME as ISO 8601. Across reloads (6.2.1, 6.2.2, 6.3.4.. as a client
 * relies on them): the target duration never changes; the media sequence never goes back; a
 * segment keeps its URI, duration, map and discontinuity sequence number; an ended playlist
 * does not change. The Low-Latency HLS tags are parsed here too (parts, PART-INF,
 * SERVER-CONTROL, PRELOAD-HINT, SKIP) and checked by `ll-hls-rules.ts`.
 */

/** A partial segment as listed (EXT-X-PART). */
export interface ListedPart {
  uri: string;
  durationS: number;
  independent: boolean;
}

/** A segment as listed. */
export interface ListedSegment {
  /** Media sequence number. */
  msn: number;
  uri: string;
  durationS: number;
  discontinuity: boolean;
  /** Its discontinuity sequence number: EXT-X-DISCONTINUITY-SEQUENCE plus the EXT-X-DISCONTINUITY tags up to it. */
  dsn: number;
  /** The EXT-X-MAP URI in effect. */
  map: string | undefined;
  programDateTime: string | undefined;
  /** Its EXT-X-PART tags. */
  parts: ListedPart[];
}

/** A parsed media playlist. */
export interface ParsedMediaPlaylist {
  version: number | undefined;
  targetDurationS: number | undefined;
  mediaSequence: number;
  discontinuitySequence: number;
  independentSegments: boolean;
  ended: boolean;
  segments: ListedSegment[];
  /** EXT-X-PART tags after the last segment: the segment being cut. */
  pendingParts: ListedPart[];
  /** EXT-X-PART-INF PART-TARGET. */
  partTargetS: number | undefined;
  /** EXT-X-SERVER-CONTROL's attributes. */
  serverControl: Record<string, string> | undefined;
  /** EXT-X-PRELOAD-HINT tags' attributes. */
  preloadHints: Record<string, string>[];
  /** EXT-X-SKIP SKIPPED-SEGMENTS (a delta update), 0 otherwise. */
  skippedSegments: number;
  /** Rules broken within this one text. */
  problems: string[];
}

const ISO_8601 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** Parses a media playlist, collecting the rules it breaks on its own. */
export function parseMediaPlaylist(text: string): ParsedMediaPlaylist {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const problems: string[] = [];
  const parsed: ParsedMediaPlaylist = {
    version: undefined,
    targetDurationS: undefined,
    mediaSequence: 0,
    discontinuitySequence: 0,
    independentSegments: false,
    ended: false,
    segments: [],
    pendingParts: [],
    partTargetS: undefined,
    serverControl: undefined,
    preloadHints: [],
    skippedSegments: 0,
    problems,
  };
  if (lines[0] !== '#EXTM3U') problems.push('4.3.1.1: the first line is not #EXTM3U');
  let versions = 0;
  let targets = 0;
  let pending: { durationS?: number; discontinuity: boolean; programDateTime?: string; parts: ListedPart[] } = {
    discontinuity: false,
    parts: [],
  };
  let map: string | undefined;
  let msn: number | undefined;
  let dsn: number | undefined;
  for (const line of lines.slice(1)) {
    const [tag, value = ''] = line.startsWith('#') ? splitTag(line) : ['', line];
    switch (tag) {
      case '#EXT-X-VERSION':
        versions++;
        parsed.version = Number(value);
        break;
      case '#EXT-X-TARGETDURATION':
        targets++;
        if (!/^\d+$/.test(value)) problems.push(`4.3.3.1: EXT-X-TARGETDURATION "${value}" is not a decimal-integer`);
        parsed.targetDurationS = Number(value);
        break;
      case '#EXT-X-MEDIA-SEQUENCE':
        if (parsed.segments.length > 0 || pending.durationS !== undefined)
          problems.push('4.3.3.2: EXT-X-MEDIA-SEQUENCE after the first segment');
        parsed.mediaSequence = Number(value);
        break;
      case '#EXT-X-DISCONTINUITY-SEQUENCE':
        if (parsed.segments.length > 0 || pending.durationS !== undefined)
          problems.push('4.3.3.3: EXT-X-DISCONTINUITY-SEQUENCE after the first segment');
        parsed.discontinuitySequence = Number(value);
        break;
      case '#EXT-X-INDEPENDENT-SEGMENTS':
        parsed.independentSegments = true;
        break;
      case '#EXT-X-ENDLIST':
        parsed.ended = true;
        break;
      case '#EXT-X-PART-INF':
        parsed.partTargetS = Number(attributes(value)['PART-TARGET']);
        break;
      case '#EXT-X-SERVER-CONTROL':
        parsed.serverControl = attributes(value);
        break;
      case '#EXT-X-PRELOAD-HINT':
        parsed.preloadHints.push(attributes(value));
        break;
      case '#EXT-X-SKIP':
        parsed.skippedSegments = Number(attributes(value)['SKIPPED-SEGMENTS']);
        if (parsed.segments.length > 0) problems.push('4.4.5.2: EXT-X-SKIP after a segment');
        break;
      case '#EXT-X-PART': {
        const part = attributes(value);
        if (!part.URI || !Number.isFinite(Number(part.DURATION))) problems.push(`4.4.4.9: EXT-X-PART without URI or DURATION: ${line}`);
        pending.parts.push({ uri: part.URI ?? '', durationS: Number(part.DURATION), independent: part.INDEPENDENT === 'YES' });
        break;
      }
      case '#EXT-X-MAP': {
        const uri = /URI="([^"]+)"/.exec(value)?.[1];
        if (!uri) problems.push(`4.3.2.5: EXT-X-MAP without a URI: ${line}`);
        map = uri;
        break;
      }
      case '#EXT-X-DISCONTINUITY':
        pending.discontinuity = true;
        break;
      case '#EXT-X-PROGRAM-DATE-TIME':
        if (!ISO_8601.test(value)) problems.push(`4.3.2.6: EXT-X-PROGRAM-DATE-TIME "${value}" is not ISO 8601`);
        pending.programDateTime = value;
        break;
      case '#EXTINF': {
        const duration = Number(value.split(',')[0]);
        if (!Number.isFinite(duration) || duration < 0) problems.push(`4.3.2.1: EXTINF "${value}" has no duration`);
        pending.durationS = duration;
        break;
      }
      case '':
        if (pending.durationS === undefined) problems.push(`4.3.2.1: URI ${line} without EXTINF`);
        msn = msn === undefined ? parsed.mediaSequence + parsed.skippedSegments : msn + 1;
        dsn = (dsn ?? parsed.discontinuitySequence) + (pending.discontinuity ? 1 : 0);
        parsed.segments.push({
          msn,
          uri: line,
          durationS: pending.durationS ?? 0,
          discontinuity: pending.discontinuity,
          dsn,
          map,
          programDateTime: pending.programDateTime,
          parts: pending.parts,
        });
        pending = { discontinuity: false, parts: [] };
        break;
      default:
      // Tags this origin does not write (LL-HLS ones, later) are checked by their own tests.
    }
  }
  parsed.pendingParts = pending.parts;
  if (versions !== 1) problems.push(`4.3.1.2: ${versions} EXT-X-VERSION tags`);
  if (targets !== 1) problems.push(`4.3.3.1: ${targets} EXT-X-TARGETDURATION tags`);
  if (parsed.segments.some((segment) => segment.map !== undefined) && (parsed.version ?? 0) < 6)
    problems.push('7: EXT-X-MAP in a media playlist needs EXT-X-VERSION 6 or more');
  const target = parsed.targetDurationS ?? 0;
  for (const segment of parsed.segments)
    if (Math.round(segment.durationS) > target)
      problems.push(`4.3.3.1: segment ${segment.msn} lasts ${segment.durationS} s, over the target duration of ${target} s`);
  return parsed;
}

/** An attribute list (RFC 8216 4.2): `NAME=VALUE,NAME="quoted, string"`, quotes removed. */
export function attributes(value: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of value.matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) found[match[1]!] = match[2]!.replace(/^"|"$/g, '');
  return found;
}

function splitTag(line: string): [string, string] {
  const colon = line.indexOf(':');
  return colon < 0 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1)];
}

/** The rules broken by one playlist text. */
export function checkMediaPlaylist(text: string): string[] {
  return parseMediaPlaylist(text).problems;
}

/** The rules broken between a playlist a client loaded and a later reload of it. */
export function checkPlaylistReload(before: ParsedMediaPlaylist, after: ParsedMediaPlaylist): string[] {
  const problems: string[] = [];
  if (before.targetDurationS !== after.targetDurationS)
    problems.push(`4.3.3.1/6.2.1: EXT-X-TARGETDURATION changed from ${before.targetDurationS} to ${after.targetDurationS}`);
  if (after.mediaSequence < before.mediaSequence)
    problems.push(`6.2.1: EXT-X-MEDIA-SEQUENCE went back from ${before.mediaSequence} to ${after.mediaSequence}`);
  if (before.ended && JSON.stringify(before.segments) !== JSON.stringify(after.segments)) problems.push('6.2.1: an ended playlist changed');
  if (before.independentSegments !== after.independentSegments) problems.push('6.2.1: EXT-X-INDEPENDENT-SEGMENTS came or went');
  const earlier = new Map(before.segments.map((segment) => [segment.msn, segment]));
  for (const segment of after.segments) {
    const same = earlier.get(segment.msn);
    if (!same) continue;
    if (same.uri !== segment.uri || same.durationS !== segment.durationS || same.map !== segment.map)
      problems.push(`6.2.1: segment ${segment.msn} changed between reloads`);
    // 6.2.2: removing EXT-X-DISCONTINUITY tags must be counted by EXT-X-DISCONTINUITY-SEQUENCE.
    if (same.dsn !== segment.dsn)
      problems.push(`6.2.2: segment ${segment.msn} moved from discontinuity sequence ${same.dsn} to ${segment.dsn}`);
  }
  return problems;
}
