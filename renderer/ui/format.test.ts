import { describe, expect, it } from 'vitest';
import { formatDuration } from './format.ts';
import { formatDuration as libraryDuration } from './library/library-format.ts';

describe('durations', () => {
  it('a 12.6 s recording is 12 whole seconds everywhere: the library card, the timers, the host\'s "keeps its first 12 s"', () => {
    expect(libraryDuration(12_600)).toBe('0:12');
    expect(formatDuration(12_600)).toBe('00:12');
    expect(libraryDuration(59_999)).toBe('0:59');
  });

  it('minutes and hours', () => {
    expect(libraryDuration(65_000)).toBe('1:05');
    expect(libraryDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(292_000)).toBe('04:52');
    expect(libraryDuration(null)).toBe('');
    expect(formatDuration(-5)).toBe('00:00');
  });
});
