import { describe, expect, it } from 'vitest';
import { MediaKind, type MediaFrame } from '../../common/host/media-frame.ts';
import type { OutputFile, OutputsState } from '../../common/host/outputs-contract.ts';
import type { EngineSnapshot } from '../engine/index.ts';
import type { ConnectionState } from '../host/index.ts';
import { HOST_LOST, StudioOutputs, type OutputsEngine, type OutputsHost } from './studio-outputs.ts';
import { encodingOutputs, IDLE_OUTPUTS as idle } from './testing.ts';

const live: OutputsState = { ...encodingOutputs(true, 3000), streaming: { active: true, sinceMs: 1 } };
const screenshotFile: OutputFile = {
  id: 'file-1',
  kind: 'screenshot',
  path: '/r/Screenshots/shot.png',
  startedAtMs: 1,
  endedAtMs: 1,
  durationMs: null,
  sizeBytes: 4,
  videoCodec: null,
  audioCodec: null,
  width: 2,
  height: 1,
  sceneCollectionId: null,
  destinationIds: [],
  status: 'complete',
};

/** A fake host: the `outputs` and `recording` services answer from memory, and the calls are logged. */
function fakeHost() {
  const calls: string[] = [];
  const sent: MediaFrame[] = [];
  let emit: (state: OutputsState) => void = () => {};
  let connection: (state: ConnectionState) => void = () => {};
  /** What `getState` answers. */
  let current = idle;
  const unused = async (): Promise<never> => {
    throw new Error('not used by this test');
  };
  const host: OutputsHost = {
    api: {
      outputs: {
        getState: async () => current,
        onDidChangeState: (listener) => ((emit = listener), { dispose: () => (emit = () => {}) }),
        goLive: async () => (calls.push('goLive'), live),
        endStream: async () => (calls.push('endStream'), idle),
        saveDestination: unused,
        removeDestination: unused,
        startDestination: async () => {
          throw new Error('tally:outputs.startDestination: no destination nope');
        },
        stopDestination: unused,
        setDestinationEnabled: unused,
        setEncoderSettings: unused,
        startLocalOrigin: unused,
        stopLocalOrigin: unused,
      },
      recording: {
        start: async () => (calls.push('recording.start'), idle.recording),
        stop: async () => null,
        setFolder: unused,
        setFormat: unused,
        saveScreenshot: async (requestId) => (calls.push(`saveScreenshot ${requestId}`), screenshotFile),
        listFiles: async () => [],
        onDidSaveFile: () => ({ dispose() {} }),
      },
    },
    media: { ready: Promise.resolve(), queuedBytes: 0, send: (frame) => sent.push(frame) },
    onConnectionChange: (listener) => {
      connection = listener;
      listener('open');
      return () => (connection = () => {});
    },
  };
  return {
    host,
    calls,
    sent,
    emit: (state: OutputsState) => emit(state),
    connection: (state: ConnectionState) => connection(state),
    answer: (state: OutputsState) => (current = state),
  };
}

/** A fake engine: records encoder calls, hands out a 4-byte "PNG", and lets the test push snapshots. */
function fakeEngine(calls: string[]) {
  let snapshot: (snapshot: EngineSnapshot) => void = () => {};
  const engine: OutputsEngine = {
    resumeAudio: async () => void calls.push('resumeAudio'),
    screenshot: async () => new Blob([Uint8Array.of(0x89, 0x50, 0x4e, 0x47)], { type: 'image/png' }),
    onSnapshot: (listener) => ((snapshot = listener), { dispose() {} }),
    startEncoding: async (settings) => void calls.push(`startEncoding ${settings.bitrateKbps}`),
    stopEncoding: async () => void calls.push('stopEncoding'),
    setEncodingBitrate: (kbps) => void calls.push(`bitrate ${kbps}`),
  };
  const stats = (hostQueueBytes: number, framesDroppedHostLag: number) =>
    snapshot({ stats: { hostQueueBytes, framesDroppedHostLag, encoderError: null } } as EngineSnapshot);
  return { engine, stats };
}

describe('StudioOutputs, the renderer-side API of the outputs (fake host and engine)', () => {
  it('reads the host state, starts the encoder when going live, and notifies subscribers only on changes', async () => {
    const { host, calls, emit } = fakeHost();
    const { engine, stats } = fakeEngine(calls);
    const outputs = new StudioOutputs(host, engine);
    let notified = 0;
    outputs.subscribe(() => notified++);
    await outputs.encoderSettled();
    expect(outputs.getSnapshot().state).toEqual(idle);

    const state = await outputs.goLive();
    expect(state.streaming.active).toBe(true);
    expect(outputs.getSnapshot().state).toBe(state);
    // The host's event is what moves the encoder (the same state arrives both ways).
    emit(live);
    await outputs.encoderSettled();
    expect(calls).toEqual(['resumeAudio', 'goLive', 'startEncoding 3000']);

    stats(1024, 30);
    const before = outputs.getSnapshot();
    expect(before.encoder).toEqual({ hostQueueBytes: 1024, framesDroppedHostLag: 30, error: null });
    const count = notified;
    stats(1024, 30);
    expect(outputs.getSnapshot()).toBe(before);
    expect(notified).toBe(count);

    emit(idle);
    await outputs.encoderSettled();
    expect(calls.at(-1)).toBe('stopEncoding');
    outputs.dispose();
  });

  it('sends the screenshot as an image frame on the track it asks the host to save', async () => {
    const { host, calls, sent } = fakeHost();
    const outputs = new StudioOutputs(host, fakeEngine(calls).engine);
    const first = await outputs.screenshot();
    const second = await outputs.screenshot();
    expect([first, second]).toEqual([screenshotFile, screenshotFile]);
    expect(sent.map((frame) => [frame.kind, frame.track, [...new Uint8Array(frame.payload)]])).toEqual([
      [MediaKind.image, 1, [0x89, 0x50, 0x4e, 0x47]],
      [MediaKind.image, 2, [0x89, 0x50, 0x4e, 0x47]],
    ]);
    expect(calls.filter((call) => call.startsWith('saveScreenshot'))).toEqual(['saveScreenshot 1', 'saveScreenshot 2']);
    outputs.dispose();
  });

  it('drops the host state while the host is away, and reads it again (and follows it) when the host is back', async () => {
    const { host, calls, connection, answer } = fakeHost();
    answer(live);
    const outputs = new StudioOutputs(host, fakeEngine(calls).engine);
    await expect.poll(() => outputs.getSnapshot().state).toBe(live);
    await outputs.encoderSettled();
    expect(calls).toEqual(['startEncoding 3000']);

    // The host died (kill -9): nothing it last said holds, so nothing is shown as live or recording.
    connection('closed');
    connection('connecting');
    connection('closed');
    expect(outputs.getSnapshot()).toMatchObject({ state: null, stateError: HOST_LOST });

    // A restarted host is idle: the snapshot says so, and the encoder it no longer wants stops.
    answer(idle);
    connection('open');
    await expect.poll(() => outputs.getSnapshot()).toMatchObject({ state: idle, stateError: null });
    await expect.poll(async () => (await outputs.encoderSettled(), calls.at(-1))).toBe('stopEncoding');
    outputs.dispose();
  });

  it('rejects a failed command with a message ready to show', async () => {
    const { host, calls } = fakeHost();
    const outputs = new StudioOutputs(host, fakeEngine(calls).engine);
    await expect(outputs.startDestination('nope')).rejects.toThrow(/^no destination nope$/);
    outputs.dispose();
  });
});
