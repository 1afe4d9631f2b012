import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_PORT_CHANNEL, MEDIA_PORT_REQUEST_CHANNEL } from '../../common/host/bridge.ts';
import { MediaKind, readAck, validateMediaFrame } from '../../common/host/media-frame.ts';
import { startHost, type Host } from '../services/host.ts';
import { silentLogger } from '../services/logger.ts';
import { until } from '../../server/testing.ts';
import { mountHostIpc, type HostIpcOptions } from './ipc.ts';
import { APP_ORIGIN } from './security.ts';

/** A stand-in for ipcMain with just the methods mountHostIpc uses (no Electron binary here). */
class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
}

/** A stand-in for MessagePortMain: an EventEmitter pair. */
class FakePort extends EventEmitter {
  other!: FakePort;
  closed = false;
  postMessage(data: unknown) {
    this.other.emit('message', { data, ports: [] });
  }
  start() {}
  close() {
    this.closed = true;
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'tally-ipc-'));
let host: Host;
beforeAll(async () => {
  host = await startHost({ version: '1.2.3', runtime: 'electron', dataDir: scratch, log: silentLogger, statsIntervalMs: 60_000 });
});
afterAll(() => {
  host.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

function mount() {
  const ipcMain = new FakeIpcMain();
  const sent: Array<[string, unknown]> = [];
  const contents = { send: (channel: string, payload: unknown) => sent.push([channel, payload]), isDestroyed: () => false };
  const ports: FakePort[] = [];
  const mounted = mountHostIpc({
    ipcMain: ipcMain as unknown as HostIpcOptions['ipcMain'],
    router: host.router,
    events: host.events,
    media: host.media,
    createChannel: () => {
      const port1 = new FakePort();
      const port2 = new FakePort();
      port1.other = port2;
      port2.other = port1;
      ports.push(port1, port2);
      return { port1, port2 };
    },
    studioContents: () => [contents],
    log: silentLogger,
  });
  return { ipcMain, sent, ports, mounted };
}

const trusted = { senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } };
const untrusted = { senderFrame: { url: 'https://evil.example/', parent: null } };

describe('host IPC wiring (fake ipcMain, no Electron binary)', () => {
  it('registers one handler per contract call and answers app.getInfo for the studio', async () => {
    const { ipcMain, mounted } = mount();
    expect([...ipcMain.handlers.keys()]).toEqual(host.router.channels);
    const outcome = await ipcMain.handlers.get('tally:app.getInfo')!(trusted);
    expect(outcome).toMatchObject({ ok: true, value: { version: '1.2.3', runtime: 'electron', dataDir: scratch } });
    mounted.dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('refuses a call from a frame that is not the studio, without running it', async () => {
    const { ipcMain, mounted } = mount();
    const outcome = await ipcMain.handlers.get('tally:app.getInfo')!(untrusted);
    expect(outcome).toMatchObject({ ok: false, error: { message: 'sender is not the studio' } });
    expect(await ipcMain.handlers.get('tally:app.getInfo')!({ senderFrame: null })).toMatchObject({ ok: false });
    mounted.dispose();
  });

  it('validates arguments: extra arguments are refused', async () => {
    const { ipcMain, mounted } = mount();
    expect(await ipcMain.handlers.get('tally:app.getInfo')!(trusted, 'surprise')).toMatchObject({
      ok: false,
      error: { code: 'invalid-arguments' },
    });
    mounted.dispose();
  });

  it('sends host events to studio windows', () => {
    const { sent, mounted } = mount();
    host.events.emit('app', 'onDidUpdateStats', { cpuPercent: 1, rssBytes: 2, heapUsedBytes: 3, uptimeMs: 4 });
    expect(sent).toEqual([['tally:app.onDidUpdateStats', { cpuPercent: 1, rssBytes: 2, heapUsedBytes: 3, uptimeMs: 4 }]]);
    mounted.dispose();
  });

  it('hands the studio a media port whose loopback echoes frames, and refuses strangers', () => {
    const { ipcMain, ports, mounted } = mount();
    const posted: Array<{ channel: string; ports: unknown[] }> = [];
    const sender = Object.assign(new EventEmitter(), {
      id: 1,
      postMessage: (channel: string, _message: unknown, transfer: unknown[]) => posted.push({ channel, ports: transfer }),
    });
    ipcMain.emit(MEDIA_PORT_REQUEST_CHANNEL, { ...untrusted, sender });
    expect(posted).toHaveLength(0);
    ipcMain.emit(MEDIA_PORT_REQUEST_CHANNEL, { ...trusted, sender });
    expect(posted).toHaveLength(1);
    expect(posted[0]!.channel).toBe(MEDIA_PORT_CHANNEL);

    const rendererPort = posted[0]!.ports[0] as FakePort;
    const echoes: unknown[] = [];
    rendererPort.on('message', (message: { data: unknown }) => echoes.push(message.data));
    const payload = new Uint8Array(1024 * 1024).fill(7).buffer;
    rendererPort.postMessage({ kind: MediaKind.loopback, flags: 0, track: 1, timestampUs: 5, payload });
    expect(echoes).toHaveLength(1);
    expect((echoes[0] as { payload: ArrayBuffer }).payload.byteLength).toBe(1024 * 1024);

    // A malformed frame closes the host's end.
    rendererPort.postMessage({ kind: 200 });
    expect(ports[0]!.closed).toBe(true);
    mounted.dispose();
  });

  it('takes media in the shape the renderer posts (a cloned plain object, no transfer) and acknowledges its bytes', async () => {
    const { ipcMain, mounted } = mount();
    let rendererPort: FakePort | undefined;
    const sender = Object.assign(new EventEmitter(), {
      id: 2,
      postMessage: (_channel: string, _message: unknown, transfer: unknown[]) => (rendererPort = transfer[0] as FakePort),
    });
    ipcMain.emit(MEDIA_PORT_REQUEST_CHANNEL, { ...trusted, sender });
    const acks: number[] = [];
    rendererPort!.on('message', (message: { data: unknown }) => {
      const total = readAck(validateMediaFrame(message.data));
      if (total !== null) acks.push(total);
    });
    const frame = { kind: MediaKind.audioPcm, flags: 0, track: 1, timestampUs: 20_000, payload: new Int16Array(1920).buffer };
    rendererPort!.postMessage(structuredClone(frame));
    rendererPort!.postMessage(structuredClone(frame));
    // Acks go out at most every 100 ms, with the total taken in.
    await until(() => acks.length > 0, 5000, 'an ack');
    expect(acks).toEqual([2 * 1920 * 2]);
    mounted.dispose();
  });
});
