/**
 * H.264 encoder choices as pure functions: the level a size and rate need (ITU-T H.264
 * Table A-1), the codec strings to try in order, the profile an encoder actually produced
 * (from its avcC, ISO/IEC 14496-15 §5.3.3.1), and when a keyframe is due.
 */

/** The H.264 profiles the studio asks for, best first. */
export type H264Profile = 'high' | 'main' | 'baseline';

const PROFILE_PREFIX: Record<H264Profile, string> = { high: '6400', main: '4d40', baseline: '42e0' };
const PROFILE_IDC: Record<number, H264Profile> = { 100: 'high', 77: 'main', 66: 'baseline' };

/** [level_idc, MaxMBPS, MaxFS, MaxBR (kbit/s, Baseline/Main)] from Table A-1. */
const LEVELS: ReadonlyArray<readonly [number, number, number, number]> = [
  [10, 1485, 99, 64],
  [11, 3000, 396, 192],
  [12, 6000, 396, 384],
  [13, 11880, 396, 768],
  [20, 11880, 396, 2000],
  [21, 19800, 792, 4000],
  [22, 20250, 1620, 4000],
  [30, 40500, 1620, 10000],
  [31, 108000, 3600, 14000],
  [32, 216000, 5120, 20000],
  [40, 245760, 8192, 20000],
  [41, 245760, 8192, 50000],
  [42, 522240, 8704, 50000],
  [50, 589824, 22080, 135000],
  [51, 983040, 36864, 240000],
  [52, 2073600, 36864, 240000],
];

/** The lowest level_idc that carries this size, rate and bitrate (High allows 1.25× the bitrate). */
export function h264Level(width: number, height: number, fps: number, bitrateKbps: number, profile: H264Profile): number {
  const frameMbs = Math.ceil(width / 16) * Math.ceil(height / 16);
  const mbps = frameMbs * fps;
  const brFactor = profile === 'high' ? 1.25 : 1;
  for (const [level, maxMbps, maxFs, maxBr] of LEVELS) {
    if (frameMbs <= maxFs && mbps <= maxMbps && bitrateKbps <= maxBr * brFactor) return level;
  }
  return 52;
}

/** The `avc1.PPCCLL` codec string of a profile and level. */
export function avcCodecString(profile: H264Profile, level: number): string {
  return `avc1.${PROFILE_PREFIX[profile]}${level.toString(16).padStart(2, '0')}`;
}

/** Settings of the video encoder. */
export interface VideoEncoderSettings {
  width: number;
  height: number;
  fps: number;
  bitrateKbps: number;
  keyframeIntervalSec: number;
  /** The kind of encoder wanted; the others follow as fallbacks (see `accelerationOrder`). Default `prefer-hardware`. */
  hardwareAcceleration?: HardwareAcceleration;
}

/**
 * The `hardwareAcceleration` values to try for a preference, in order: the preference, then
 * whatever the browser has (`no-preference`), so a machine without that kind of encoder still streams.
 */
export function accelerationOrder(preference: HardwareAcceleration = 'prefer-hardware'): HardwareAcceleration[] {
  return preference === 'no-preference' ? ['no-preference'] : [preference, 'no-preference'];
}

/** One configuration to try, with what it stands for. */
export interface EncoderCandidate {
  profile: H264Profile;
  hardwareAcceleration: HardwareAcceleration;
  config: VideoEncoderConfig;
}

/**
 * Every configuration to try, in order: High, Main, Baseline; each with the preferred kind of
 * encoder first (hardware unless the settings say otherwise), then whatever the browser has.
 */
export function encoderCandidates(settings: VideoEncoderSettings): EncoderCandidate[] {
  const candidates: EncoderCandidate[] = [];
  for (const profile of ['high', 'main', 'baseline'] as const) {
    for (const hardwareAcceleration of accelerationOrder(settings.hardwareAcceleration)) {
      const level = h264Level(settings.width, settings.height, settings.fps, settings.bitrateKbps, profile);
      candidates.push({
        profile,
        hardwareAcceleration,
        config: {
          codec: avcCodecString(profile, level),
          width: settings.width,
          height: settings.height,
          framerate: settings.fps,
          bitrate: settings.bitrateKbps * 1000,
          bitrateMode: 'constant',
          latencyMode: 'realtime',
          hardwareAcceleration,
          // Length-prefixed NAL units with an avcC description: what FLV and MP4 both carry.
          avc: { format: 'avc' },
        },
      });
    }
  }
  return candidates;
}

/** The profile an avcC record says the stream uses, or null for anything unreadable. */
export function profileOfAvcC(
  description: ArrayBuffer | ArrayBufferView,
): { profile: H264Profile | null; profileIdc: number; levelIdc: number } | null {
  const bytes = ArrayBuffer.isView(description)
    ? new Uint8Array(description.buffer, description.byteOffset, description.byteLength)
    : new Uint8Array(description);
  if (bytes.length < 4 || bytes[0] !== 1) return null;
  return { profile: PROFILE_IDC[bytes[1]!] ?? null, profileIdc: bytes[1]!, levelIdc: bytes[3]! };
}

/** Whether the frame at `timestampUs` must be a keyframe, given the last one. */
export function keyframeDue(timestampUs: number, lastKeyframeUs: number | null, intervalSec: number, fps: number): boolean {
  if (lastKeyframeUs === null) return true;
  // Half a frame of slack, so a 2 s interval at 30 fps lands on every 60th frame despite rounding.
  return timestampUs - lastKeyframeUs >= intervalSec * 1_000_000 - 500_000 / fps;
}
