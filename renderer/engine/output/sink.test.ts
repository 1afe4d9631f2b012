import { describe, expect, it } from 'vitest';
import { decodeMediaFrame, encodeMediaFrame, MediaFlags, MediaKind, type MediaFrame } from '../../../common/host/media-frame.ts';
import { HostMediaSink } from './sink.ts';

describe('the host media sink', () => {
  it('sends the avcC as a config frame, chunks with the keyframe flag, and PCM as audioPcm (s16), on the shared clock', () => {
    const sent: MediaFrame[] = [];
    const sink = new HostMediaSink({ send: (frame) => sent.push(decodeMediaFrame(encodeMediaFrame(frame))), queuedBytes: 0 }, 3);
    sink.videoConfig({ codec: 'avc1.64001f', width: 1280, height: 720, description: Uint8Array.of(1, 100, 0, 31).buffer, profile: 'high' });
    sink.video({ data: Uint8Array.of(0, 0, 0, 1, 0x65).buffer, timestampUs: 33_333, durationUs: 33_333, keyframe: true });
    sink.video({ data: Uint8Array.of(0, 0, 0, 1, 0x41).buffer, timestampUs: 66_667, durationUs: 33_333, keyframe: false });
    sink.audio({ data: Float32Array.of(0.5, -0.5, 1.5, -1), frames: 2, timestampUs: 40_000 });
    expect(sent.map(({ kind, flags, track, timestampUs }) => ({ kind, flags, track, timestampUs }))).toEqual([
      { kind: MediaKind.video, flags: MediaFlags.config, track: 3, timestampUs: 0 },
      { kind: MediaKind.video, flags: MediaFlags.keyframe, track: 3, timestampUs: 33_333 },
      { kind: MediaKind.video, flags: 0, track: 3, timestampUs: 66_667 },
      { kind: MediaKind.audioPcm, flags: 0, track: 3, timestampUs: 40_000 },
    ]);
    // s16le, full scale 32767, out-of-range samples clamped.
    expect([...new Int16Array(sent[3]!.payload)]).toEqual([16384, -16383, 32767, -32767]);
    expect([...new Uint8Array(sent[0]!.payload)]).toEqual([1, 100, 0, 31]);
  });

  it('drops whole GOPs while the host is behind, and says so in its stats', () => {
    const sent: { keyframe: boolean; timestampUs: number }[] = [];
    const port = {
      queuedBytes: 0,
      send: (frame: MediaFrame) => sent.push({ keyframe: (frame.flags & MediaFlags.keyframe) !== 0, timestampUs: frame.timestampUs }),
    };
    const sink = new HostMediaSink(port, 1, 1000);
    const frame = (n: number, keyframe: boolean) => sink.video({ data: new ArrayBuffer(10), timestampUs: n, durationUs: 1, keyframe });
    frame(0, true);
    frame(1, false);
    port.queuedBytes = 5000; // the host stalls
    frame(2, false);
    port.queuedBytes = 0; // ...and catches up mid-GOP: the rest of that GOP still goes nowhere
    frame(3, false);
    port.queuedBytes = 5000;
    frame(4, true); // a keyframe while still behind is dropped too
    frame(5, false);
    port.queuedBytes = 10;
    frame(6, true);
    frame(7, false);
    expect(sent.map((f) => f.timestampUs)).toEqual([0, 1, 6, 7]);
    expect(sink.stats()).toEqual({ hostQueueBytes: 10, framesDroppedHostLag: 4, audioBlocksDroppedHostLag: 0 });
  });
});
