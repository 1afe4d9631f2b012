import { afterEach, describe, expect, it, vi } from 'vitest';
import { MediaKind, readAck, type MediaFrame } from '../../common/host/media-frame.ts';
import { captureLogger } from '../../server/log.ts';
import { MediaHub } from './media-hub.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('the media hub', () => {
  it('acknowledges a steady stream from the frames themselves, at most every 100 ms, and the tail once the frames stop', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const hub = new MediaHub(captureLogger());
    const handled: number[] = [];
    hub.handle(MediaKind.audioPcm, (frame) => handled.push(frame.payload.byteLength));
    const acks: { atMs: number; total: number; handledBefore: number }[] = [];
    const peer = {
      send(frame: MediaFrame) {
        acks.push({ atMs: performance.now(), total: readAck(frame)!, handledBefore: handled.length });
      },
    };
    // 1 s of 20 ms PCM blocks of 3840 bytes.
    for (let i = 0; i < 50; i++) {
      hub.receive({ kind: MediaKind.audioPcm, flags: 0, track: 1, timestampUs: i * 20_000, payload: new ArrayBuffer(3840) }, peer);
      vi.advanceTimersByTime(20);
    }
    const whileStreaming = acks.length;
    // One ack per 100 ms of the stream, none from a timer of their own.
    expect(whileStreaming).toBeGreaterThanOrEqual(9);
    expect(whileStreaming).toBeLessThanOrEqual(10);
    for (let i = 1; i < acks.length; i++) expect(acks[i]!.atMs - acks[i - 1]!.atMs).toBeGreaterThanOrEqual(100);
    // Each ack counts only frames already handled.
    for (const ack of acks) expect(ack.total).toBe(ack.handledBefore * 3840);
    // The frames stop: the tail is acknowledged 100 ms after the last, once.
    vi.advanceTimersByTime(200);
    expect(acks.length).toBe(whileStreaming + 1);
    expect(acks.at(-1)!.total).toBe(50 * 3840);
    vi.advanceTimersByTime(1000);
    expect(acks.length).toBe(whileStreaming + 1);
  });
});
