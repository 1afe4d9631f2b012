/**
 * The runtime side of a source: whatever produces its picture (a video element, a decoded
 * image, a text raster) and its sound. The compositor asks each visible source for its
 * picture once per frame and uploads it only when `version` moved.
 */
import type { Disposable } from '../../../common/host/contract-kit.ts';
import type { SourceSettings } from '../../../common/scene/schema.ts';

/** How far along a source is. */
export type SourceStatus = { state: 'starting' } | { state: 'ready' } | { state: 'error'; message: string };

/** One frame's picture of a source. */
export interface SourcePicture {
  readonly image: TexImageSource;
  /** Pixel size of `image`. */
  readonly width: number;
  readonly height: number;
  /** Changes whenever the pixels do. */
  readonly version: number;
}

/** What a source is told each frame. */
export interface FrameInfo {
  /** The engine clock, ms. */
  readonly nowMs: number;
  /** Wall-clock time, epoch ms (for clocks and countdowns). */
  readonly epochMs: number;
  /** Output pixels per canvas pixel of the largest visible item showing it (for crisp text). */
  readonly rasterScale: number;
}

/** A running source. */
export interface RuntimeSource extends Disposable {
  readonly kind: SourceSettings['kind'];
  readonly status: SourceStatus;
  /** Size in canvas pixels that items scale and crop, or null while it has no picture. */
  readonly size: { width: number; height: number } | null;
  /** Advances to `frame` and returns the picture to draw, or null when there is none. */
  picture(frame: FrameInfo): SourcePicture | null;
  /** The source's sound as a node of `context`, created once; null when it has none. */
  audioNode?(context: AudioContext): AudioNode | null;
  /** Resolves once started (ready or failed). */
  readonly started: Promise<void>;
  /** Starts playback that needed a user gesture (media files). */
  resume?(): Promise<void>;
  /** Plays from the start (media files set to restart when they become active). */
  restart?(): void;
}

/** Where capture streams come from; `navigator.mediaDevices` in the studio, injectable for tests. */
export interface CaptureDevices {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  getDisplayMedia(options: DisplayMediaStreamOptions): Promise<MediaStream>;
}

/**
 * A capture stream from the device a source stored, or from the default device when that id is
 * gone. Browser device ids belong to one origin and profile: another browser, a new profile or
 * cleared site data gives every device a new id, and `{ exact }` on the old one fails with an
 * OverconstrainedError (with no message) although the device is there. The source's properties
 * then show "Default camera"/"Default microphone", which is what this falls back to. Errors other
 * than the missing id (denied, busy) are thrown as they are.
 */
export async function captureFromStoredDevice(
  devices: CaptureDevices,
  kind: 'audio' | 'video',
  deviceId: string | null | undefined,
  constraints: MediaTrackConstraints,
): Promise<MediaStream> {
  const request = (id: string | null | undefined) =>
    devices.getUserMedia({
      audio: false,
      video: false,
      [kind]: { ...(id ? { deviceId: { exact: id } } : {}), ...constraints },
    });
  if (!deviceId) return request(null);
  try {
    return await request(deviceId);
  } catch (error) {
    // Only the device id is exact here (sizes and rates are ideal), so an overconstrained request means the id.
    if (!(error instanceof Error && error.name === 'OverconstrainedError')) throw error;
    return request(null);
  }
}

/** Shared by the sources: the error text of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
}

/** A small helper that keeps a source's status and its `started` promise together. */
export class StatusCell {
  status: SourceStatus = { state: 'starting' };
  readonly started: Promise<void>;
  private resolve!: () => void;

  constructor() {
    this.started = new Promise((resolve) => (this.resolve = resolve));
  }

  ready(): void {
    this.status = { state: 'ready' };
    this.resolve();
  }

  fail(error: unknown): void {
    this.status = { state: 'error', message: messageOf(error) };
    this.resolve();
  }

  /** Runs `start`, marking ready or failed. */
  track(start: Promise<void>): void {
    start.then(
      () => this.status.state === 'starting' && this.ready(),
      (error: unknown) => this.fail(error),
    );
  }
}
