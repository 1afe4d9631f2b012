/** Formats a byte count for people: 1536 → "1.5 KiB", 1048576 → "1.0 MiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} ${units[0]}` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A duration as `H:MM:SS`, or under an hour `MM:SS` (a running timer) or `M:SS` (`padMinutes:
 * false`, a library card). Whole seconds, rounded down, as the host's messages count them ("keeps
 * its first 12 s"): 12.6 s is 00:12, what surely plays. The one duration format of the UI.
 */
export function formatDuration(ms: number, { padMinutes = true }: { padMinutes?: boolean } = {}): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const pad = (value: number) => String(value).padStart(2, '0');
  if (hours > 0) return `${hours}:${pad(minutes)}:${pad(total % 60)}`;
  return `${padMinutes ? pad(minutes) : minutes}:${pad(total % 60)}`;
}

/** A gain in dB for people: `-6.0 dB`, `-∞ dB` at the bottom of the fader. */
export function formatDb(db: number): string {
  return db <= -60 ? '-∞ dB' : `${db > 0 ? '+' : ''}${db.toFixed(1)} dB`;
}
