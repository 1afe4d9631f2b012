/**
 * Sources drawn from a <video> element: camera, screen and media files. The element plays
 * off-screen; each new decoded frame (requestVideoFrameCallback) bumps the version, so the
 * compositor uploads a 20 fps camera 20 times a second, not 60.
 */
import type { SourceSettings } from '../../../common/scene/schema.ts';
import { captureFromStoredDevice, StatusCell, type CaptureDevices, type RuntimeSource, type SourcePicture } from './source.ts';

type VideoKind = 'camera' | 'screen' | 'media';

/** A source backed by a video element; what differs per kind is how the element gets its media. */
export class VideoElementSource implements RuntimeSource {
  readonly kind: VideoKind;
  private readonly cell = new StatusCell();
  private readonly video: HTMLVideoElement;
  private stream: MediaStream | null = null;
  private version = 0;
  private frameCallback = 0;
  private audio: AudioNode | null = null;
  private disposed = false;

  constructor(settings: Extract<SourceSettings, { kind: VideoKind }>, devices: CaptureDevices) {
    this.kind = settings.kind;
    this.video = document.createElement('video');
    this.video.playsInline = true;
    this.video.muted = settings.kind !== 'media';
    this.video.crossOrigin = 'anonymous';
    this.cell.track(this.start(settings, devices));
  }

  get status() {
    return this.cell.status;
  }

  get started() {
    return this.cell.started;
  }

  get size() {
    return this.video.videoWidth > 0 ? { width: this.video.videoWidth, height: this.video.videoHeight } : null;
  }

  private async start(settings: Extract<SourceSettings, { kind: VideoKind }>, devices: CaptureDevices): Promise<void> {
    if (settings.kind === 'camera') {
      this.stream = await captureFromStoredDevice(devices, 'video', settings.deviceId, {
        width: { ideal: settings.width },
        height: { ideal: settings.height },
        frameRate: { ideal: settings.fps },
      });
    } else if (settings.kind === 'screen') {
      this.stream = settings.captureSourceId
        ? // Electron: a desktopCapturer id from capture.listScreenSources(), through Chromium's desktop constraint.
          await devices.getUserMedia({
            audio: false,
            video: {
              mandatory: { chromeMediaSource: 'desktop', chromeMediaSourceId: settings.captureSourceId, maxFrameRate: settings.fps },
            },
          } as unknown as MediaStreamConstraints)
        : await devices.getDisplayMedia({ video: { frameRate: { ideal: settings.fps } }, audio: settings.withAudio });
    }
    if (this.disposed) return this.stopStream();
    for (const track of this.stream?.getVideoTracks() ?? []) {
      // An unplugged camera or a stopped screen share ends the track; say so on the source.
      track.addEventListener(
        'ended',
        () => !this.disposed && this.cell.fail(new Error(`${settings.kind} capture ended (device unplugged or sharing stopped)`)),
        { once: true },
      );
    }
    if (this.stream) this.video.srcObject = this.stream;
    else {
      const media = settings as Extract<SourceSettings, { kind: 'media' }>;
      this.video.src = media.url;
      this.video.loop = media.loop;
      this.video.preload = 'auto';
    }
    this.watchFrames();
    await new Promise<void>((resolve, reject) => {
      if (this.video.readyState >= HTMLMediaElement.HAVE_METADATA) return resolve();
      this.video.addEventListener('loadedmetadata', () => resolve(), { once: true });
      this.video.addEventListener(
        'error',
        () => reject(new Error(`cannot play ${settings.kind}: ${this.video.error?.message ?? 'unknown error'}`)),
        { once: true },
      );
    });
    await this.play();
  }

  private async play(): Promise<void> {
    try {
      await this.video.play();
    } catch (error) {
      // Autoplay policy: a media file with sound waits for a click (resume()); show its first frame meanwhile.
      if (!(error instanceof DOMException && error.name === 'NotAllowedError')) throw error;
    }
  }

  private watchFrames(): void {
    const onFrame = () => {
      this.version++;
      if (!this.disposed) this.frameCallback = this.video.requestVideoFrameCallback(onFrame);
    };
    this.frameCallback = this.video.requestVideoFrameCallback(onFrame);
  }

  picture(): SourcePicture | null {
    const size = this.size;
    if (!size || this.video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return null;
    return { image: this.video, width: size.width, height: size.height, version: this.version };
  }

  audioNode(context: AudioContext): AudioNode | null {
    if (this.audio) return this.audio;
    if (this.kind === 'media') {
      // The element's sound now flows only through the mixer (gain, meters, limiter), not to the speakers.
      this.audio = context.createMediaElementSource(this.video);
    } else if (this.stream?.getAudioTracks().length) {
      this.audio = context.createMediaStreamSource(new MediaStream(this.stream.getAudioTracks()));
    }
    return this.audio;
  }

  restart(): void {
    if (this.kind !== 'media') return;
    this.video.currentTime = 0;
    void this.play().catch((error: unknown) => this.cell.fail(error));
  }

  async resume(): Promise<void> {
    if (this.video.paused && !this.video.ended) await this.play();
  }

  private stopStream(): void {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
  }

  dispose(): void {
    this.disposed = true;
    this.video.cancelVideoFrameCallback(this.frameCallback);
    this.video.pause();
    this.stopStream();
    this.video.removeAttribute('src');
    this.video.srcObject = null;
    this.video.load();
    this.audio?.disconnect();
  }
}
