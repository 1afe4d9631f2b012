/** The source types the studio offers, how they are named, and what a new one starts with. */
import {
  AUDIO_SOURCE_KINDS,
  TextStyle,
  VISUAL_SOURCE_KINDS,
  type Canvas,
  type Source,
  type SourceKind,
  type SourceSettings,
} from '../../../common/scene/schema.ts';
import type { Size } from '../../../common/scene/transforms.ts';
import type { AudioDeviceSettings } from '../../../common/settings/studio-settings.ts';

/** A source type as the Add Source menu lists it. */
export interface SourceKindInfo {
  kind: SourceKind;
  /** The menu entry and dialog title. */
  label: string;
  /** The name a new source of this type gets (made unique). */
  defaultName: string;
}

export const SOURCE_KINDS: readonly SourceKindInfo[] = [
  { kind: 'camera', label: 'Camera', defaultName: 'Camera' },
  { kind: 'screen', label: 'Screen or window', defaultName: 'Screen capture' },
  { kind: 'image', label: 'Image', defaultName: 'Image' },
  { kind: 'text', label: 'Text', defaultName: 'Text' },
  { kind: 'color', label: 'Colour', defaultName: 'Colour' },
  { kind: 'media', label: 'Media file', defaultName: 'Media' },
  { kind: 'clock', label: 'Clock or countdown', defaultName: 'Clock' },
  { kind: 'microphone', label: 'Microphone', defaultName: 'Microphone' },
  { kind: 'desktopAudio', label: 'Desktop audio', defaultName: 'Desktop audio' },
];

/** The label of a kind. */
export function kindLabel(kind: SourceKind): string {
  return SOURCE_KINDS.find((info) => info.kind === kind)?.label ?? kind;
}

/**
 * The settings a new source starts with, or null for kinds that need a file first (image,
 * media): those are added once one is chosen.
 */
export function initialSettings(kind: SourceKind, canvas: Canvas, devices: AudioDeviceSettings): SourceSettings | null {
  switch (kind) {
    case 'camera':
      return { kind, deviceId: devices.defaultCameraId, width: 1280, height: 720, fps: 30 };
    case 'screen':
      return { kind, captureSourceId: null, fps: 30, withAudio: false };
    case 'microphone':
      return { kind, deviceId: devices.defaultMicrophoneId };
    case 'desktopAudio':
      return { kind };
    case 'text':
      return { kind, text: 'Text', style: TextStyle.parse({ fontSizePx: 64, background: { color: '#00000000', paddingPx: 12 } }) };
    case 'color':
      return { kind, color: '#2d3446', width: canvas.width, height: canvas.height };
    case 'clock':
      return {
        kind,
        mode: 'clock',
        targetEpochMs: null,
        endText: '00:00',
        showSeconds: true,
        style: TextStyle.parse({ fontSizePx: 48, background: { color: '#00000080', paddingPx: 10 } }),
      };
    case 'image':
    case 'media':
      return null;
  }
}

/** The size a source asks for before it runs (cameras, colours), for placing and for error boxes. */
export function nominalSize(settings: SourceSettings): Size | null {
  if (settings.kind === 'camera' || settings.kind === 'color') return { width: settings.width, height: settings.height };
  return null;
}

/** Whether a source has a picture. */
export function isVisual(settings: SourceSettings): boolean {
  return VISUAL_SOURCE_KINDS.has(settings.kind);
}

/** Whether a source has sound the mixer shows (a screen only when it captures audio). */
export function hasAudio(source: Source): boolean {
  if (source.settings.kind === 'screen') return source.settings.withAudio;
  return AUDIO_SOURCE_KINDS.has(source.settings.kind);
}
