/**
 * Names of recordings and screenshots: a pattern with `{date}` (YYYY-MM-DD), `{time}`
 * (HH-MM-SS, local time) and `{scene}` (the program scene's name), made safe for every
 * file system (no separators, no reserved characters, no leading dots) and unique in its folder.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The default pattern: sorts by time, says what was on program. */
export const DEFAULT_FILENAME_PATTERN = 'Tally {date} {time} {scene}';

const pad = (value: number) => String(value).padStart(2, '0');

/** Replaces anything a file system could misread: separators, reserved characters, control characters, leading dots. */
export function safeFileNamePart(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
      .replace(/[/\\:*?"<>|\u0000-\u001f\u007f]/g, '-')
      .replace(/\s+/g, ' ')
      .replace(/^[\s.]+|[\s.]+$/g, '')
      .slice(0, 120)
  );
}

/** The file name (without extension) for `pattern` at `when`, showing `scene`. */
export function fileNameFromPattern(pattern: string, when: Date, scene: string | null): string {
  const date = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
  const time = `${pad(when.getHours())}-${pad(when.getMinutes())}-${pad(when.getSeconds())}`;
  const name = pattern
    .replaceAll('{date}', date)
    .replaceAll('{time}', time)
    .replaceAll('{scene}', scene ?? '');
  return safeFileNamePart(name) || `Tally ${date} ${time}`;
}

/** `dir/name.ext`, or `dir/name (2).ext` and so on when taken. */
export function uniquePath(dir: string, name: string, extension: string): string {
  for (let n = 1; ; n++) {
    const candidate = join(dir, `${name}${n === 1 ? '' : ` (${n})`}.${extension}`);
    if (!existsSync(candidate)) return candidate;
  }
}
