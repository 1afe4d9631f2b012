/**
 * Words for the video encoder: the choices on Settings → Output and what the Stats dock says
 * is in use. Pure. WebCodecs does not say whether `no-preference` landed on hardware, so that
 * one reads "the browser's choice".
 */
import type { EncoderAcceleration } from '../../../common/host/outputs-contract.ts';
import type { EncoderInfo } from '../../engine/index.ts';

/** The encoder choices, as Settings → Output lists them. */
export const ACCELERATION_CHOICES: ReadonlyArray<{ value: EncoderAcceleration; label: string }> = [
  { value: 'prefer-hardware', label: 'Hardware (software where there is none)' },
  { value: 'prefer-software', label: 'Software (openh264)' },
  { value: 'no-preference', label: "The browser's choice" },
];

const KIND: Record<HardwareAcceleration, string> = {
  'prefer-hardware': 'hardware',
  'prefer-software': 'software',
  'no-preference': "browser's choice",
};

/** "H.264 High · hardware", with "(no hardware encoder here)" when the preference fell back. */
export function describeEncoder(
  info: Pick<EncoderInfo, 'profile' | 'requestedProfile' | 'hardwareAcceleration' | 'requestedAcceleration'>,
): string {
  const profile = info.profile ?? info.requestedProfile;
  const fellBack = info.hardwareAcceleration !== info.requestedAcceleration;
  return `H.264 ${profile[0]!.toUpperCase()}${profile.slice(1)} · ${KIND[info.hardwareAcceleration]}${
    fellBack ? ` (no ${KIND[info.requestedAcceleration]} encoder here)` : ''
  }`;
}
