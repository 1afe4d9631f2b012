import { describe, expect, it } from 'vitest';
import { BitrateAdapter, encoderTargetKbps } from './bitrate-adapter.ts';

describe('dynamic bitrate', () => {
  it('asks for what a congested link carried, then steps back up as the queue drains', () => {
    const adapter = new BitrateAdapter({ maxKbps: 4000, audioKbps: 160 });
    let now = 0;
    const tick = (sentKbps: number, queueMs: number, dropped = false) => adapter.tick({ sentKbps, queueMs, dropped, nowMs: (now += 1000) });
    expect(tick(4100, 50)).toBe(false);
    expect(adapter.requestedKbps).toBeNull();
    // A 2 Mbit/s link: the queue grows past the congestion mark.
    expect(tick(2000, 900)).toBe(true);
    expect(adapter.requestedKbps).toBe(Math.round((2000 - 160) * 0.85));
    // Held for 2 s before another reduction, and never raised while congested.
    expect(tick(1900, 1200)).toBe(false);
    tick(1500, 1500, true);
    expect(adapter.requestedKbps).toBe(Math.round((1500 - 160) * 0.85));
    const lowest = adapter.requestedKbps!;
    // Five clear seconds per 10 % step...
    for (let i = 0; i < 4; i++) expect(tick(1200, 20)).toBe(false);
    expect(tick(1200, 20)).toBe(true);
    expect(adapter.requestedKbps).toBe(Math.round(lowest * 1.1));
    // ...up to what the link carried when last congested (1500 - 160), where it stays a while...
    for (let i = 0; i < 25; i++) tick(1300, 20);
    expect(adapter.requestedKbps).toBe(1500 - 160);
    // ...then probes above it, and in the end returns to the configured bitrate.
    for (let i = 0; i < 400; i++) tick(4000, 20);
    expect(adapter.requestedKbps).toBeNull();
  });

  it('never asks for less than its floor, even when nothing got through', () => {
    const adapter = new BitrateAdapter({ maxKbps: 4000, audioKbps: 160 });
    adapter.tick({ sentKbps: 0, queueMs: 5000, dropped: true, nowMs: 1000 });
    expect(adapter.requestedKbps).toBe(400);
  });

  it('the encoder follows the slowest adapting destination', () => {
    expect(encoderTargetKbps(4500, [null, null])).toBe(4500);
    expect(encoderTargetKbps(4500, [3000, null, 1500])).toBe(1500);
    expect(encoderTargetKbps(1000, [3000])).toBe(1000);
  });
});
