/** Builds the runtime source for a source's settings. */
import type { SourceSettings } from '../../../common/scene/schema.ts';
import { ImageSource } from './image.ts';
import { AudioCaptureSource, ColorSource } from './simple.ts';
import type { CaptureDevices, RuntimeSource } from './source.ts';
import { TextSource } from './text.ts';
import { VideoElementSource } from './video-element.ts';

/** The runtime source for a source's settings. */
export function createSource(settings: SourceSettings, devices: CaptureDevices): RuntimeSource {
  switch (settings.kind) {
    case 'camera':
    case 'screen':
    case 'media':
      return new VideoElementSource(settings, devices);
    case 'image':
      return new ImageSource(settings.url);
    case 'text':
    case 'clock':
      return new TextSource(settings);
    case 'color':
      return new ColorSource(settings);
    case 'microphone':
    case 'desktopAudio':
      return new AudioCaptureSource(settings, devices);
  }
}
