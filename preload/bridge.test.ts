import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { MEDIA_PORT_CHANNEL, MEDIA_PORT_REQUEST_CHANNEL } from '../common/host/bridge.ts';
import { channelManifestOf } from '../common/host/channel-manifest.ts';
import { listEntries } from '../common/host/contract-kit.ts';
import { hostContract, type HostContract } from '../common/host/contract.ts';
import { buildBridge, type IpcRendererLike } from './bridge.ts';

/** A stand-in for ipcRenderer (no Electron binary here). */
class FakeIpcRenderer extends EventEmitter {
  readonly invoked: Array<[string, unknown[]]> = [];
  readonly sent: string[] = [];
  invoke(channel: string, ...args: unknown[]) {
    this.invoked.push([channel, args]);
    return Promise.resolve({ ok: true, value: null });
  }
  send(channel: string) {
    this.sent.push(channel);
  }
}

describe('the preload bridge (fake ipcRenderer, no Electron binary)', () => {
  it('exposes exactly one function per contract entry, and nothing else', () => {
    const bridge = buildBridge<HostContract>(
      channelManifestOf(hostContract),
      new FakeIpcRenderer() as unknown as IpcRendererLike,
      () => {},
    );
    const exposed = Object.entries(bridge.api).flatMap(([service, entries]) => Object.keys(entries).map((name) => `${service}.${name}`));
    expect(exposed).toEqual(listEntries(hostContract).map((entry) => `${entry.service}.${entry.name}`));
    for (const entries of Object.values(bridge.api)) for (const fn of Object.values(entries)) expect(typeof fn).toBe('function');
    expect(Object.keys(bridge)).toEqual(['api', 'requestMediaPort']);
  });

  it('a call invokes its own channel with its arguments', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = buildBridge<HostContract>(channelManifestOf(hostContract), ipc as unknown as IpcRendererLike, () => {});
    await bridge.api.app.getInfo();
    expect(ipc.invoked).toEqual([['tally:app.getInfo', []]]);
  });

  it('an event listener receives payloads until unsubscribed', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = buildBridge<HostContract>(channelManifestOf(hostContract), ipc as unknown as IpcRendererLike, () => {});
    const seen: unknown[] = [];
    const stop = bridge.api.app.onDidUpdateStats((payload) => seen.push(payload));
    ipc.emit('tally:app.onDidUpdateStats', {}, { cpuPercent: 1 });
    stop();
    ipc.emit('tally:app.onDidUpdateStats', {}, { cpuPercent: 2 });
    expect(seen).toEqual([{ cpuPercent: 1 }]);
    expect(() => bridge.api.app.onDidUpdateStats('nope' as never)).toThrow(/listener function/);
  });

  it('requests a media port and forwards the one main sends to the page', () => {
    const ipc = new FakeIpcRenderer();
    const forwarded: Array<[string, readonly unknown[]]> = [];
    const bridge = buildBridge<HostContract>(channelManifestOf(hostContract), ipc as unknown as IpcRendererLike, (message, ports) =>
      forwarded.push([message, ports]),
    );
    bridge.requestMediaPort();
    expect(ipc.sent).toEqual([MEDIA_PORT_REQUEST_CHANNEL]);
    const port = { fake: 'port' };
    ipc.emit(MEDIA_PORT_CHANNEL, { ports: [port] });
    expect(forwarded).toEqual([[MEDIA_PORT_CHANNEL, [port]]]);
  });
});
