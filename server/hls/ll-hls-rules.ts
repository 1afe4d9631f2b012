/**
 * The rules of draft-pantos-hls-rfc8216bis that a Low-Latency HLS media playlist and its
 * reloads must keep, as checks over `parseMediaPlaylist` that return the broken rules (empty
 * when all hold). Plain functions, for unit and e2e tests alike.
 *
 * Checked: 4.4.3.7 one PART-TARGET; 4.4.4.9 every part at most PART-TARGET, and at least 85 %
 * of it unless INDEPENDENT or the last of its segment; 4.4.3.8 CAN-BLOCK-RELOAD=YES,
 * PART-HOLD-BACK at least three part targets, CAN-SKIP-UNTIL at least six target durations;
 * 4.4.5.3 one EXT-X-PRELOAD-HINT of TYPE=PART while the playlist grows, none after ENDLIST,
 * naming a part not yet listed; section 8 version 9 for EXT-X-SKIP; 6.2.2 parts listed only on
 * the last segments (removed in order); a segment's parts add up to its EXTINF; every segment
 * has EXT-X-PROGRAM-DATE-TIME. Across reloads: PART-TARGET never changes, and a part keeps its
 * URI, duration and independence.
 */
import type { ListedPart, ParsedMediaPlaylist } from './playlist-rules.ts';

/** Decimal rounding in the playlist (three places). */
const ROUNDING_S = 0.0015;

/** The LL-HLS rules broken by one parsed playlist. */
export function checkLowLatencyPlaylist(playlist: ParsedMediaPlaylist): string[] {
  const problems: string[] = [];
  const partTarget = playlist.partTargetS;
  const target = playlist.targetDurationS ?? 0;
  if (partTarget === undefined || !(partTarget > 0)) return ['4.4.3.7: no EXT-X-PART-INF PART-TARGET'];
  const control = playlist.serverControl ?? {};
  if (control['CAN-BLOCK-RELOAD'] !== 'YES') problems.push('4.4.3.8: no CAN-BLOCK-RELOAD=YES');
  if (!(Number(control['PART-HOLD-BACK']) >= 3 * partTarget - ROUNDING_S))
    problems.push(`4.4.3.8: PART-HOLD-BACK ${control['PART-HOLD-BACK']} under three part targets`);
  if (control['CAN-SKIP-UNTIL'] !== undefined && !(Number(control['CAN-SKIP-UNTIL']) >= 6 * target))
    problems.push(`4.4.3.8: CAN-SKIP-UNTIL ${control['CAN-SKIP-UNTIL']} under six target durations`);
  if (playlist.skippedSegments > 0 && (playlist.version ?? 0) < 9) problems.push('8: EXT-X-SKIP needs EXT-X-VERSION 9');

  const checkParts = (parts: readonly ListedPart[], where: string, lastIsFinal: boolean) => {
    parts.forEach((part, index) => {
      if (part.durationS > partTarget + ROUNDING_S)
        problems.push(`4.4.4.9: part ${part.uri} (${where}) lasts ${part.durationS} s, over PART-TARGET ${partTarget}`);
      const exempt = part.independent || (lastIsFinal && index === parts.length - 1);
      if (!exempt && part.durationS < 0.85 * partTarget - ROUNDING_S)
        problems.push(`4.4.4.9: part ${part.uri} (${where}) lasts ${part.durationS} s, under 85 % of PART-TARGET ${partTarget}`);
    });
  };
  let partsSeen = false;
  for (const segment of playlist.segments) {
    if (segment.programDateTime === undefined) problems.push(`6.2.1: segment ${segment.msn} has no EXT-X-PROGRAM-DATE-TIME`);
    if (segment.parts.length === 0) {
      if (partsSeen) problems.push(`6.2.2: segment ${segment.msn} lists no parts after a segment that does`);
      continue;
    }
    partsSeen = true;
    checkParts(segment.parts, `segment ${segment.msn}`, true);
    const sum = segment.parts.reduce((total, part) => total + part.durationS, 0);
    if (Math.abs(sum - segment.durationS) > ROUNDING_S * segment.parts.length)
      problems.push(`segment ${segment.msn}: its parts add up to ${sum.toFixed(3)} s, its EXTINF says ${segment.durationS}`);
  }
  checkParts(playlist.pendingParts, 'the segment being cut', false);

  const hints = playlist.preloadHints.filter((hint) => hint.TYPE === 'PART');
  if (playlist.ended && playlist.preloadHints.length > 0) problems.push('4.4.5.3: EXT-X-PRELOAD-HINT after EXT-X-ENDLIST');
  if (!playlist.ended && hints.length !== 1) problems.push(`4.4.5.3: ${hints.length} EXT-X-PRELOAD-HINT tags of TYPE=PART`);
  const listed = new Set([...playlist.segments.flatMap((segment) => segment.parts), ...playlist.pendingParts].map((part) => part.uri));
  for (const hint of hints) if (listed.has(hint.URI ?? '')) problems.push(`4.4.5.3: the preload hint ${hint.URI} is already listed`);
  return problems;
}

/** The LL-HLS rules broken between a playlist a client loaded and a later reload of it. */
export function checkLowLatencyReload(before: ParsedMediaPlaylist, after: ParsedMediaPlaylist): string[] {
  const problems: string[] = [];
  if (before.partTargetS !== after.partTargetS)
    problems.push(`6.2.1: PART-TARGET changed from ${before.partTargetS} to ${after.partTargetS}`);
  const earlier = new Map<string, ListedPart>();
  for (const part of [...before.segments.flatMap((segment) => segment.parts), ...before.pendingParts]) earlier.set(part.uri, part);
  for (const part of [...after.segments.flatMap((segment) => segment.parts), ...after.pendingParts]) {
    const same = earlier.get(part.uri);
    if (same && (same.durationS !== part.durationS || same.independent !== part.independent))
      problems.push(`6.2.1: part ${part.uri} changed between reloads`);
  }
  return problems;
}
