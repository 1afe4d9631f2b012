/**
 * Builds `window.tally` from the channel manifest: one function per contract entry, each
 * bound to its own channel, plus the media port request. No raw `ipcRenderer` ever reaches
 * the page, and nothing here imports a schema: the preload stays a few kilobytes.
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { ChannelManifest } from '../common/host/channel-manifest.ts';
import type { ContractSpec } from '../common/host/contract-kit.ts';
import { MEDIA_PORT_CHANNEL, MEDIA_PORT_REQUEST_CHANNEL, type ContractBridge, type PreloadBridge } from '../common/host/bridge.ts';
import type { CallOutcome } from '../common/host/outcome.ts';

export type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener' | 'send'>;

/** Hands a MessagePort to the page (window.postMessage with transfer). */
export type PostPortToPage = (message: string, ports: readonly MessagePort[]) => void;

export function buildBridge<C extends ContractSpec>(
  manifest: ChannelManifest,
  ipc: IpcRendererLike,
  postPortToPage: PostPortToPage,
): PreloadBridge<C> {
  const api: Record<string, Record<string, unknown>> = {};
  for (const entry of manifest) {
    const service = (api[entry.service] ??= {});
    service[entry.name] =
      entry.kind === 'call'
        ? (...args: unknown[]) => ipc.invoke(entry.channel, ...args) as Promise<CallOutcome>
        : (listener: (payload: unknown) => void) => {
            if (typeof listener !== 'function') throw new TypeError(`${entry.service}.${entry.name} needs a listener function`);
            const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
            ipc.on(entry.channel, forward);
            return () => void ipc.removeListener(entry.channel, forward);
          };
  }
  ipc.on(MEDIA_PORT_CHANNEL, (event: IpcRendererEvent) => postPortToPage(MEDIA_PORT_CHANNEL, event.ports));
  return {
    api: api as ContractBridge<C>,
    requestMediaPort: () => ipc.send(MEDIA_PORT_REQUEST_CHANNEL),
  };
}
