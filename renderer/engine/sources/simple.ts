/** The sources with nothing to load: a solid colour, and the audio-only microphone and desktop audio. */
import type { SourceSettings } from '../../../common/scene/schema.ts';
import { captureFromStoredDevice, StatusCell, type CaptureDevices, type RuntimeSource, type SourcePicture } from './source.ts';

/** A solid colour of a given size: one texel, stretched. */
export class ColorSource implements RuntimeSource {
  readonly kind = 'color';
  readonly size: { width: number; height: number };
  private readonly cell = new StatusCell();
  private readonly pixel: ImageData;

  constructor(settings: Extract<SourceSettings, { kind: 'color' }>) {
    this.size = { width: settings.width, height: settings.height };
    const value = (index: number) => parseInt(settings.color.slice(1 + index * 2, 3 + index * 2), 16);
    this.pixel = new ImageData(new Uint8ClampedArray([value(0), value(1), value(2), settings.color.length === 9 ? value(3) : 255]), 1, 1);
    this.cell.ready();
  }

  get status() {
    return this.cell.status;
  }

  get started() {
    return this.cell.started;
  }

  picture(): SourcePicture {
    return { image: this.pixel, width: 1, height: 1, version: 0 };
  }

  dispose(): void {}
}

/** Microphone or desktop audio: a capture stream with sound and no picture. */
export class AudioCaptureSource implements RuntimeSource {
  readonly kind: 'microphone' | 'desktopAudio';
  readonly size = null;
  private readonly cell = new StatusCell();
  private stream: MediaStream | null = null;
  private node: AudioNode | null = null;
  private disposed = false;

  constructor(settings: Extract<SourceSettings, { kind: 'microphone' | 'desktopAudio' }>, devices: CaptureDevices) {
    this.kind = settings.kind;
    this.cell.track(this.start(settings, devices));
  }

  get status() {
    return this.cell.status;
  }

  get started() {
    return this.cell.started;
  }

  private async start(settings: Extract<SourceSettings, { kind: 'microphone' | 'desktopAudio' }>, devices: CaptureDevices): Promise<void> {
    if (settings.kind === 'microphone') {
      // A broadcast mixer wants the voice as it is; processing belongs to filters, not the browser.
      this.stream = await captureFromStoredDevice(devices, 'audio', settings.deviceId, {
        echoCancellation: false,
        autoGainControl: false,
        noiseSuppression: false,
      });
    } else {
      // Desktop audio rides on a display capture; Chromium offers it for tabs, and screens on Windows and ChromeOS.
      const stream = await devices.getDisplayMedia({ video: true, audio: true });
      for (const track of stream.getVideoTracks()) track.stop();
      if (stream.getAudioTracks().length === 0) throw new Error('this platform shares no desktop audio');
      this.stream = new MediaStream(stream.getAudioTracks());
    }
    if (this.disposed) this.stop();
  }

  picture(): null {
    return null;
  }

  audioNode(context: AudioContext): AudioNode | null {
    if (!this.node && this.stream) this.node = context.createMediaStreamSource(this.stream);
    return this.node;
  }

  private stop(): void {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
  }

  dispose(): void {
    this.disposed = true;
    this.node?.disconnect();
    this.stop();
  }
}
