/**
 * Capture devices for the source dialogs and the wizard: the list (kept current as devices
 * come and go), a camera's capabilities, and files turned into URLs a source can load.
 */
import { useEffect, useState } from 'react';

/** The devices of a kind, labelled (labels need camera or microphone permission). */
export function useDevices(kind: MediaDeviceKind): MediaDeviceInfo[] {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    let live = true;
    const refresh = () =>
      void navigator.mediaDevices.enumerateDevices().then(
        (all) => live && setDevices(all.filter((device) => device.kind === kind && device.deviceId !== '')),
        () => undefined,
      );
    refresh();
    navigator.mediaDevices.addEventListener('devicechange', refresh);
    return () => {
      live = false;
      navigator.mediaDevices.removeEventListener('devicechange', refresh);
    };
  }, [kind]);
  return devices;
}

/**
 * A device list as select options, the system's default first (its value '' stands for
 * null); Chromium's own "default" entry is folded into it.
 */
export function deviceOptions(
  devices: readonly MediaDeviceInfo[],
  defaultLabel: string,
  noun: string,
): Array<{ value: string; label: string }> {
  return [
    { value: '', label: defaultLabel },
    ...devices
      .filter((device) => device.deviceId !== 'default')
      .map((device, index) => ({ value: device.deviceId, label: device.label || `${noun} ${index + 1}` })),
  ];
}

/** What a camera can deliver at most. */
export interface CameraLimits {
  width: number;
  height: number;
  frameRate: number;
}

/**
 * Opens a camera as large and fast as it goes (no scaling), reads what it gave, and closes
 * it: the camera's native best mode. Null when it cannot be opened.
 */
export async function probeCamera(deviceId: string | null): Promise<CameraLimits | null> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: {
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
        width: { ideal: 3840 },
        height: { ideal: 2160 },
        frameRate: { ideal: 60 },
        resizeMode: 'none',
      } as MediaTrackConstraints,
    });
    const track = stream.getVideoTracks()[0];
    const settings = track?.getSettings();
    const capabilities = track?.getCapabilities?.();
    for (const each of stream.getTracks()) each.stop();
    if (!settings?.width || !settings.height) return null;
    return {
      width: settings.width,
      height: settings.height,
      frameRate: Math.max(settings.frameRate ?? 30, capabilities?.frameRate?.max ?? 0),
    };
  } catch {
    return null;
  }
}

/**
 * The most a camera's track offers (`getCapabilities()`: the largest size and fastest rate,
 * scaling included), from a short open at its default mode. Null when it cannot be opened.
 */
export async function cameraCapabilities(deviceId: string | null): Promise<CameraLimits | null> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: deviceId ? { deviceId: { exact: deviceId } } : true });
    const capabilities = stream.getVideoTracks()[0]?.getCapabilities?.();
    for (const each of stream.getTracks()) each.stop();
    const { width, height, frameRate } = capabilities ?? {};
    return width?.max && height?.max && frameRate?.max ? { width: width.max, height: height.max, frameRate: frameRate.max } : null;
  } catch {
    return null;
  }
}

/** The camera's capabilities, read when the device changes. */
export function useCameraLimits(deviceId: string | null): CameraLimits | null {
  const [limits, setLimits] = useState<CameraLimits | null>(null);
  useEffect(() => {
    let live = true;
    void cameraCapabilities(deviceId).then((found) => live && setLimits(found));
    return () => {
      live = false;
    };
  }, [deviceId]);
  return limits;
}

/** Images up to this size are kept in the collection itself (the whole collection travels in one host call of at most 1 MiB). */
const EMBED_IMAGE_BYTES = 150 * 1024;

/** How a chosen file is kept: in the collection (it survives restarts), or for this session only. */
export interface FileUrl {
  url: string;
  /** Why it will not survive a restart, when it will not. */
  note: string | null;
}

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(blob);
  });
}

/**
 * An image file as a URL: small images (or larger stills re-encoded as WebP at most 1920
 * pixels wide) are embedded so they survive restarts; anything larger, or animated, plays
 * this session only.
 */
export async function imageUrlFromFile(file: File): Promise<FileUrl> {
  if (file.size <= EMBED_IMAGE_BYTES) return { url: await readAsDataUrl(file), note: null };
  if (file.type !== 'image/gif') {
    try {
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(1, 1920 / Math.max(bitmap.width, bitmap.height));
      const canvas = new OffscreenCanvas(Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
      canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      const webp = await canvas.convertToBlob({ type: 'image/webp', quality: 0.85 });
      if (webp.size <= EMBED_IMAGE_BYTES)
        return { url: await readAsDataUrl(webp), note: scale < 1 ? 'Scaled to 1920 pixels wide to keep it in the collection.' : null };
    } catch {
      // Not decodable here: fall through to a session URL, where the source shows why it cannot load.
    }
  }
  return {
    url: URL.createObjectURL(file),
    note: 'Only small images are kept inside a scene collection: this one shows until the studio restarts.',
  };
}

/** A media file as a URL for this session (media files are too large to keep in the collection). */
export function mediaUrlFromFile(file: File): FileUrl {
  return {
    url: URL.createObjectURL(file),
    note: 'Media files are not kept inside a scene collection: this one plays until the studio restarts.',
  };
}
