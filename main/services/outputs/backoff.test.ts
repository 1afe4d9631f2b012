import { describe, expect, it } from 'vitest';
import { nextReconnectDelayMs, RECONNECT_MAX_DELAY_MS } from './backoff.ts';

describe('reconnect backoff (OBS)', () => {
  it('waits 2 s first, then 1.5x longer each time plus a little jitter, up to a cap', () => {
    const delays: number[] = [];
    let previous: number | null = null;
    for (let attempt = 0; attempt < 14; attempt++) delays.push((previous = nextReconnectDelayMs(previous, () => 0)));
    expect(delays.slice(0, 5)).toEqual([2000, 3000, 4500, 6750, 10125]);
    expect(delays.at(-1)).toBe(RECONNECT_MAX_DELAY_MS);
    expect(nextReconnectDelayMs(2000, () => 1)).toBe(3200);
    expect(nextReconnectDelayMs(2000, () => 0.5)).toBe(3100);
  });
});
