/** How the library shows durations, dates and kinds. */
import type { LibraryItem, LibraryItemKind } from '../../../common/host/library-contract.ts';
import { formatDuration as formatClock } from '../format.ts';

/** 65_000 → "1:05", 3_725_000 → "1:02:05", 12_600 → "0:12" (the UI's one format, `../format.ts`); '' when unknown. */
export function formatDuration(ms: number | null): string {
  return ms === null ? '' : formatClock(ms, { padMinutes: false });
}

export function formatDate(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export const KIND_LABELS: Record<LibraryItemKind, string> = {
  recording: 'Recording',
  screenshot: 'Screenshot',
  video: 'Video',
  image: 'Image',
  audio: 'Sound',
};

/** "1280x720 · 30 fps · h264 / aac · stereo" */
export function describeMedia(item: LibraryItem): string {
  const parts: string[] = [];
  if (item.width && item.height) parts.push(`${item.width}x${item.height}`);
  if (item.fps) parts.push(`${Math.round(item.fps * 100) / 100} fps`);
  const codecs = [item.videoCodec, item.audioCodec].filter(Boolean).join(' / ');
  if (codecs) parts.push(codecs);
  if (item.audioChannels)
    parts.push(item.audioChannels === 1 ? 'mono' : item.audioChannels === 2 ? 'stereo' : `${item.audioChannels} channels`);
  return parts.join(' · ');
}

/** A date input's value ("2024-05-01") as local-midnight epoch ms, or undefined. */
export function dateInputToMs(value: string, endOfDay = false): number | undefined {
  if (!value) return undefined;
  const [year, month, day] = value.split('-').map(Number);
  if (!year || !month || !day) return undefined;
  return new Date(year, month - 1, day + (endOfDay ? 1 : 0)).getTime();
}
