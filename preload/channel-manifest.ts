/**
 * The host contract's channels for the preload. Computed from the contract here (tests,
 * typecheck); the build replaces this module with the same manifest as a literal, so the
 * bundled preload carries no schema library (see `scripts/build-steps.ts`).
 */
import { channelManifestOf, type ChannelManifest } from '../common/host/channel-manifest.ts';
import { hostContract } from '../common/host/contract.ts';

export const CHANNEL_MANIFEST: ChannelManifest = channelManifestOf(hostContract);
