/**
 * Mounts the host contract on Electron IPC: one `ipcMain.handle` per call, derived from the
 * contract through the router; events sent to every studio window; and a fresh media
 * MessagePort per request. Every message's sender frame is checked before anything runs.
 */
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, MessageChannelMain, MessagePortMain, WebContents } from 'electron';
import type { Disposable } from '../../common/host/contract-kit.ts';
import type { HostContract } from '../../common/host/contract.ts';
import { MEDIA_PORT_CHANNEL, MEDIA_PORT_REQUEST_CHANNEL } from '../../common/host/bridge.ts';
import { validateMediaFrame } from '../../common/host/media-frame.ts';
import type { CallOutcome } from '../../common/host/outcome.ts';
import type { HostEventBus, HostRouter } from '../../common/host/router.ts';
import type { Logger } from '../services/logger.ts';
import type { MediaHub } from '../services/media-hub.ts';
import { isTrustedFrame } from './security.ts';

export interface HostIpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler' | 'on' | 'removeListener'>;
  router: HostRouter<HostContract>;
  events: HostEventBus<HostContract>;
  media: MediaHub;
  /** Creates a MessageChannelMain (injected so tests run without Electron). */
  createChannel: () => Pick<MessageChannelMain, 'port1' | 'port2'>;
  /** The windows that receive events. */
  studioContents: () => Iterable<Pick<WebContents, 'send' | 'isDestroyed'>>;
  log: Logger;
}

const REFUSED: CallOutcome = { ok: false, error: { code: 'unknown-channel', message: 'sender is not the studio' } };

export function mountHostIpc(options: HostIpcOptions): Disposable {
  const { ipcMain, router, log } = options;
  for (const channel of router.channels) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      if (!isTrustedFrame(event.senderFrame)) {
        log.warn({ channel, url: event.senderFrame?.url }, 'IPC call from an untrusted frame refused');
        return REFUSED;
      }
      return router.invoke(channel, args);
    });
  }

  const events = options.events.subscribeAll((channel, payload) => {
    for (const contents of options.studioContents()) if (!contents.isDestroyed()) contents.send(channel, payload);
  });

  const ports = new Map<number, MessagePortMain>();
  const onPortRequest = (event: IpcMainEvent) => {
    if (!isTrustedFrame(event.senderFrame)) {
      log.warn({ url: event.senderFrame?.url }, 'media port request from an untrusted frame refused');
      return;
    }
    const id = event.sender.id;
    ports.get(id)?.close();
    const { port1, port2 } = options.createChannel();
    ports.set(id, port1);
    const peer = { send: (frame: Parameters<MessagePortMain['postMessage']>[0]) => port1.postMessage(frame) };
    port1.on('message', (message) => {
      try {
        options.media.receive(validateMediaFrame(message.data), peer);
      } catch (error) {
        log.warn({ err: error instanceof Error ? error.message : String(error) }, 'malformed media frame; closing the port');
        port1.close();
        ports.delete(id);
      }
    });
    port1.start();
    event.sender.once('destroyed', () => {
      port1.close();
      ports.delete(id);
    });
    event.sender.postMessage(MEDIA_PORT_CHANNEL, null, [port2]);
  };
  ipcMain.on(MEDIA_PORT_REQUEST_CHANNEL, onPortRequest);

  return {
    dispose() {
      for (const channel of router.channels) ipcMain.removeHandler(channel);
      ipcMain.removeListener(MEDIA_PORT_REQUEST_CHANNEL, onPortRequest);
      events.dispose();
      for (const port of ports.values()) port.close();
      ports.clear();
    },
  };
}
