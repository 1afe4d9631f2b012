/**
 * The Delivery Directives a playlist request carries (draft-pantos-hls-rfc8216bis 6.2.5):
 * `_HLS_msn` and `_HLS_part` (blocking playlist reload, 6.2.5.2) and `_HLS_skip` (playlist
 * delta updates, 6.2.5.1). Values are decimal-integers; `_HLS_part` without `_HLS_msn` is a
 * Bad Request (6.2.5.2).
 */

/** What a playlist request asks for. */
export interface DeliveryDirectives {
  /** Hold the answer until segment `msn` (or part `part` of it) exists. */
  msn?: number;
  part?: number;
  /** A Playlist Delta Update (`_HLS_skip=YES` or `v2`). */
  skip: boolean;
}

const DECIMAL_INTEGER = /^\d{1,15}$/;

/** The directives of a playlist request, or the reason it is a Bad Request. */
export function parseDeliveryDirectives(query: URLSearchParams): DeliveryDirectives | { error: string } {
  const msn = query.get('_HLS_msn');
  const part = query.get('_HLS_part');
  const skip = query.get('_HLS_skip');
  if (part !== null && msn === null) return { error: '_HLS_part without _HLS_msn' };
  if (msn !== null && !DECIMAL_INTEGER.test(msn)) return { error: '_HLS_msn is not a decimal-integer' };
  if (part !== null && !DECIMAL_INTEGER.test(part)) return { error: '_HLS_part is not a decimal-integer' };
  if (skip !== null && skip !== 'YES' && skip !== 'v2') return { error: '_HLS_skip is neither YES nor v2' };
  return {
    ...(msn !== null ? { msn: Number(msn) } : {}),
    ...(part !== null ? { part: Number(part) } : {}),
    skip: skip !== null,
  };
}
