import { describe, expect, it } from 'vitest';
import type { OutputsState } from '../../../common/host/outputs-contract.ts';
import { encodingOutputs as encoding, IDLE_OUTPUTS as idle } from '../../outputs/testing.ts';
import { HostOutputLink, type EncodingTarget } from './host-output-link.ts';

describe('the link from the host outputs to the engine encoder (fake engine and host)', () => {
  it('encodes while the host needs it, follows its bitrate, and uses a new media track per session', async () => {
    const calls: string[] = [];
    const tracks: number[] = [];
    const target: EncodingTarget = {
      async startEncoding(settings, sink) {
        calls.push(`start ${settings.bitrateKbps} ${settings.keyframeIntervalSec} ${settings.hardwareAcceleration}`);
        sink.videoConfig({ codec: 'avc1', width: 2, height: 2, description: new ArrayBuffer(4), profile: null });
      },
      async stopEncoding() {
        calls.push('stop');
      },
      setEncodingBitrate: (kbps) => calls.push(`bitrate ${kbps}`),
    };
    let listener: (state: OutputsState) => void = () => {};
    const link = new HostOutputLink(
      target,
      { getState: async () => idle, onDidChangeState: (l) => ((listener = l), { dispose() {} }) },
      { send: (frame) => tracks.push(frame.track), queuedBytes: 0 },
    );
    await link.settled();
    const software = encoding(true, 1800);
    software.encoder.settings = { ...software.encoder.settings, hardwareAcceleration: 'prefer-software' };
    for (const state of [encoding(true), encoding(true, 1800), encoding(true, 1800), software, encoding(false), encoding(true)]) {
      listener(state);
      await link.settled();
    }
    // Bursts coalesce: only the latest state counts.
    listener(encoding(false));
    listener(encoding(true));
    await link.settled();
    // The bitrate changes in place; another kind of encoder is a new encoding session.
    expect(calls).toEqual([
      'start 4500 2 prefer-hardware',
      'bitrate 1800',
      'start 1800 2 prefer-software',
      'stop',
      'start 4500 2 prefer-hardware',
    ]);
    expect(tracks).toHaveLength(3);
    expect(new Set(tracks).size).toBe(3);
    link.dispose();
  });
});
