/**
 * The one module of the renderer that reaches the host. In Electron it uses the preload's
 * `window.tally` bridge and a MessagePort; in a browser it uses the web host's sockets.
 * Either way the rest of the renderer sees the same typed `StudioHost`.
 */
import { createContractClient, type ClientTransport } from '../../common/host/client.ts';
import { listEntries, type ContractClient } from '../../common/host/contract-kit.ts';
import { hostContract, type HostContract } from '../../common/host/contract.ts';
import { BRIDGE_GLOBAL, MEDIA_PORT_CHANNEL, type BridgeCall, type BridgeEvent, type PreloadBridge } from '../../common/host/bridge.ts';
import { WEB_CONTROL_PATH, WEB_MEDIA_PATH } from '../../common/host/web-wire.ts';
import { mediaChannelOverPort, mediaChannelOverWebSocket, type MediaChannel } from './media-channel.ts';
import { connectWebTransport, type ConnectionState } from './web-transport.ts';

export type { MediaChannel } from './media-channel.ts';
export type { ConnectionState } from './web-transport.ts';

export interface StudioHost {
  readonly kind: 'electron' | 'web';
  readonly api: ContractClient<HostContract>;
  readonly media: MediaChannel;
  /** Connection state of the control channel (always `open` in Electron). */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  /** Where a dropped file is on the host's disk (Electron); null in a browser, where it must be uploaded. */
  pathForFile(file: File): string | null;
}

/** Connects to whichever host serves this page. */
export function connectHost(): StudioHost {
  const bridge = (window as unknown as Record<string, unknown>)[BRIDGE_GLOBAL] as PreloadBridge<HostContract> | undefined;
  return bridge ? connectElectronHost(bridge) : connectWebHost();
}

function connectElectronHost(bridge: PreloadBridge<HostContract>): StudioHost {
  const entries = new Map(listEntries(hostContract).map((entry) => [entry.channel, entry]));
  const lookup = (channel: string): unknown => {
    const entry = entries.get(channel);
    if (!entry) throw new Error(`no ${channel} in the contract`);
    return (bridge.api as unknown as Record<string, Record<string, unknown>>)[entry.service]?.[entry.name];
  };
  const transport: ClientTransport = {
    invoke: (channel, args) => (lookup(channel) as BridgeCall)(...args),
    subscribe: (channel, listener) => (lookup(channel) as BridgeEvent)(listener),
  };
  const port = new Promise<MessagePort>((resolve) => {
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window || event.data !== MEDIA_PORT_CHANNEL || !event.ports[0]) return;
      window.removeEventListener('message', onMessage);
      resolve(event.ports[0]);
    };
    window.addEventListener('message', onMessage);
    bridge.requestMediaPort();
  });
  return {
    kind: 'electron',
    api: createContractClient(hostContract, transport),
    media: mediaChannelOverPort(port),
    onConnectionChange: (listener) => {
      listener('open');
      return () => {};
    },
    pathForFile: (file) => bridge.pathForFile?.(file) || null,
  };
}

function connectWebHost(): StudioHost {
  const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
  const transport = connectWebTransport(base + WEB_CONTROL_PATH);
  return {
    kind: 'web',
    api: createContractClient(hostContract, transport),
    media: mediaChannelOverWebSocket(base + WEB_MEDIA_PATH),
    onConnectionChange: (listener) => {
      listener(transport.state);
      return transport.onStateChange(listener);
    },
    pathForFile: () => null,
  };
}
