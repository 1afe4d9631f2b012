/**
 * The shape of what the Electron preload exposes on `window.tally`: one function per
 * contract entry, plus the request for a media port. The preload builds it from the
 * contract; the renderer adapts it into a `ClientTransport`.
 */
import type { CallSpec, ContractSpec } from './contract-kit.ts';
import type { CallOutcome } from './outcome.ts';

/** The global the preload exposes through contextBridge. */
export const BRIDGE_GLOBAL = 'tally';

/** Renderer → main: please send me a media port. */
export const MEDIA_PORT_REQUEST_CHANNEL = 'tally:media-port-request';
/** Main → preload (IPC) and preload → page (window message): here is the port. */
export const MEDIA_PORT_CHANNEL = 'tally:media-port';

/** One bridged call: raw arguments in, an outcome out (validation happens in main and in the client). */
export type BridgeCall = (...args: unknown[]) => Promise<CallOutcome>;
/** One bridged event: a listener in, an unsubscribe function out. */
export type BridgeEvent = (listener: (payload: unknown) => void) => () => void;

export type ContractBridge<C extends ContractSpec> = {
  readonly [S in keyof C]: { readonly [K in keyof C[S]]: C[S][K] extends CallSpec ? BridgeCall : BridgeEvent };
};

/** `window.tally` in Electron. */
export interface PreloadBridge<C extends ContractSpec> {
  readonly api: ContractBridge<C>;
  /** Asks main for a fresh media MessagePort, delivered as a window message tagged `MEDIA_PORT_CHANNEL`. */
  requestMediaPort(): void;
  /** The path on disk of a file dropped onto the page (Electron's `webUtils.getPathForFile`), so the library imports it in place. */
  pathForFile?(file: File): string;
}
