/**
 * What output the first-run wizard proposes from what the camera gives: the largest common
 * size the camera fills without upscaling (16:9, at least 720p), and the fastest standard
 * frame rate the camera delivers (never above it: a 20 fps camera gets 20, a 50 fps one 50).
 */
import type { VideoSettings } from '../../../common/settings/studio-settings.ts';

/** Output sizes offered in the wizard and in Settings → Video, largest first. */
export const OUTPUT_SIZES: ReadonlyArray<{ width: number; height: number }> = [
  { width: 3840, height: 2160 },
  { width: 2560, height: 1440 },
  { width: 1920, height: 1080 },
  { width: 1600, height: 900 },
  { width: 1280, height: 720 },
  { width: 960, height: 540 },
  { width: 854, height: 480 },
  { width: 640, height: 360 },
];

/** Frame rates offered. */
export const OUTPUT_FPS: readonly number[] = [24, 25, 30, 48, 50, 60];

/**
 * Standard frame rates a proposal picks from, fastest first. NTSC rates (29.97, 59.94) count
 * as 30 and 60: `FPS_TOLERANCE` covers the 0.1% they fall short.
 */
const STANDARD_FPS: readonly number[] = [60, 50, 30, 25, 24, 20, 15, 10, 5];
const FPS_TOLERANCE = 0.1;

/** The fastest standard rate a camera delivering up to `cameraFps` fills; 30 when it did not say. */
export function proposeFps(cameraFps: number | undefined): number {
  if (!cameraFps || !Number.isFinite(cameraFps) || cameraFps <= 0) return 30;
  return STANDARD_FPS.find((rate) => rate <= cameraFps + FPS_TOLERANCE) ?? Math.max(1, Math.floor(cameraFps));
}

/** What a camera track reports (`MediaStreamTrack.getSettings()` of a track opened as large and fast as it goes). */
export interface CameraMode {
  width?: number;
  height?: number;
  frameRate?: number;
}

/** The output to propose. Without a camera (or with a tiny one), 1280x720 at 30 fps. */
export function proposeOutput(camera: CameraMode | null): VideoSettings['output'] {
  const height = Math.min(camera?.height ?? 0, ((camera?.width ?? 0) * 9) / 16);
  // A 4K camera still proposes 1080p: the encoder on a typical machine, and most platforms, top out there.
  const size = OUTPUT_SIZES.find((candidate) => candidate.height <= Math.min(height, 1080) && candidate.height >= 720) ?? {
    width: 1280,
    height: 720,
  };
  return { ...size, fps: proposeFps(camera?.frameRate) };
}
