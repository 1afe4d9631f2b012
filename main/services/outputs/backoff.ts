/**
 * OBS's reconnect backoff (libobs/obs-output.c `output_reconnect`): the first retry after
 * 2 s, each next one 1.5× longer plus up to 10 % of jitter, so many studios cut off at once
 * do not return at once. OBS caps the delay at 15 minutes; a live show cannot wait that
 * long, so Tally caps it at one minute and keeps trying.
 */

/** First retry delay, ms. */
export const RECONNECT_FIRST_DELAY_MS = 2000;
/** Growth per attempt, before jitter. */
export const RECONNECT_GROWTH = 1.5;
/** Extra growth per attempt, up to this much, at random. */
export const RECONNECT_JITTER = 0.1;
/** Longest delay, ms. */
export const RECONNECT_MAX_DELAY_MS = 60_000;

/** The delay before reconnect attempt `attempt` (1 = the first), given the previous delay. */
export function nextReconnectDelayMs(previousDelayMs: number | null, random: () => number = Math.random): number {
  if (previousDelayMs === null) return RECONNECT_FIRST_DELAY_MS;
  const growth = RECONNECT_GROWTH + random() * RECONNECT_JITTER;
  return Math.min(RECONNECT_MAX_DELAY_MS, Math.round(previousDelayMs * growth));
}
