/**
 * The channel manifest: the contract's entries without their schemas, which is all the
 * preload needs to expose one function per entry. The build generates it from the contract
 * (`scripts/build-steps.ts`), so the sandboxed preload bundles neither zod nor the scene
 * schema, and no channel name is written by hand.
 */
import { listEntries, type ContractSpec } from './contract-kit.ts';

/** One contract entry: its service, its name, its wire channel and whether it is a call or an event. */
export interface ChannelManifestEntry {
  readonly service: string;
  readonly name: string;
  readonly channel: string;
  readonly kind: 'call' | 'event';
}

export type ChannelManifest = readonly ChannelManifestEntry[];

/** The manifest of a contract, in contract order. */
export function channelManifestOf(contract: ContractSpec): ChannelManifest {
  return listEntries(contract).map(({ service, name, channel, spec }) => ({ service, name, channel, kind: spec.kind }));
}
