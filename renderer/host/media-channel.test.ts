import { describe, expect, it } from 'vitest';
import { ackFrame, MediaKind, validateMediaFrame } from '../../common/host/media-frame.ts';
import { mediaChannelOverPort, type MediaPortLike } from './media-channel.ts';

/** A fake MessagePort (Electron's port cannot run here) that records exactly what postMessage was given. */
function fakePort() {
  const posted: unknown[][] = [];
  const port: MediaPortLike = {
    onmessage: null,
    postMessage: (...args: unknown[]) => void posted.push(args),
    start: () => {},
    close: () => {},
  };
  return { port, posted, deliver: (data: unknown) => port.onmessage?.({ data } as MessageEvent) };
}

describe('the Electron media port (fake port)', () => {
  it('posts a plain object with the payload and no transfer list, which arrives intact after a structured clone', async () => {
    const { port, posted } = fakePort();
    const channel = mediaChannelOverPort(Promise.resolve(port));
    await channel.ready;
    const payload = Uint8Array.of(1, 2, 3, 250).buffer;
    channel.send({ kind: MediaKind.video, flags: 1, track: 7, timestampUs: 33_333, payload });
    expect(posted).toHaveLength(1);
    // One argument only: a transfer list would empty the message in MessagePortMain (electron/electron#34905).
    expect(posted[0]).toHaveLength(1);
    const message = posted[0]![0] as Record<string, unknown>;
    expect(Object.keys(message).sort()).toEqual(['flags', 'kind', 'payload', 'timestampUs', 'track']);
    expect(message.payload).toBe(payload);
    // What main receives: the structured clone of that object.
    const received = validateMediaFrame(structuredClone(message));
    expect([...new Uint8Array(received.payload)]).toEqual([1, 2, 3, 250]);
    expect(received).toMatchObject({ kind: MediaKind.video, flags: 1, track: 7, timestampUs: 33_333 });
    // The sender keeps its buffer (nothing was detached).
    expect(payload.byteLength).toBe(4);
  });

  it('counts what the host has not acknowledged, and keeps acks away from frame listeners', async () => {
    const { port, deliver } = fakePort();
    const channel = mediaChannelOverPort(Promise.resolve(port));
    await channel.ready;
    const heard: number[] = [];
    channel.onFrame((frame) => heard.push(frame.kind));
    channel.send({ kind: MediaKind.audioPcm, flags: 0, track: 1, timestampUs: 0, payload: new ArrayBuffer(3000) });
    channel.send({ kind: MediaKind.video, flags: 0, track: 1, timestampUs: 0, payload: new ArrayBuffer(2000) });
    expect(channel.queuedBytes).toBe(5000);
    deliver(ackFrame(3000));
    expect(channel.queuedBytes).toBe(2000);
    deliver({ kind: MediaKind.loopback, flags: 0, track: 0, timestampUs: 0, payload: new ArrayBuffer(1) });
    expect(heard).toEqual([MediaKind.loopback]);
  });
});
