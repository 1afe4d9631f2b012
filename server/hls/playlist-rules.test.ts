import { describe, expect, it } from 'vitest';
import { checkMediaPlaylist, checkPlaylistReload, parseMediaPlaylist } from './playlist-rules.ts';

const playlist = (target: number, sequence: number, segments: [number, boolean?][], dsn = 0) =>
  [
    '#EXTM3U',
    '#EXT-X-VERSION:6',
    `#EXT-X-TARGETDURATION:${target}`,
    `#EXT-X-MEDIA-SEQUENCE:${sequence}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${dsn}`,
    '#EXT-X-MAP:URI="init.mp4"',
    ...segments.flatMap(([duration, discontinuity], i) => [
      ...(discontinuity ? ['#EXT-X-DISCONTINUITY'] : []),
      `#EXTINF:${duration.toFixed(3)},`,
      `seg-${sequence + i}.m4s`,
    ]),
  ].join('\n') + '\n';

describe('the RFC 8216 checks the tests read playlists with', () => {
  it('pass a well-formed live playlist and its reload', () => {
    const first = playlist(2, 0, [[2], [2.4], [1.9, true]]);
    const second = playlist(2, 1, [[2.4], [1.9, true], [2]]);
    expect(checkMediaPlaylist(first)).toEqual([]);
    expect(checkPlaylistReload(parseMediaPlaylist(first), parseMediaPlaylist(second))).toEqual([]);
  });

  it('catch a segment over the target duration, a changed target, a segment rewritten, and an uncounted discontinuity', () => {
    expect(checkMediaPlaylist(playlist(2, 0, [[2.6]]))).toEqual(['4.3.3.1: segment 0 lasts 2.6 s, over the target duration of 2 s']);
    const before = parseMediaPlaylist(playlist(2, 0, [[2], [2, true], [2]]));
    expect(checkPlaylistReload(before, parseMediaPlaylist(playlist(7, 0, [[2], [2, true], [2]])))).toEqual([
      '4.3.3.1/6.2.1: EXT-X-TARGETDURATION changed from 2 to 7',
    ]);
    expect(checkPlaylistReload(before, parseMediaPlaylist(playlist(2, 0, [[2], [1.5, true], [2]])))).toEqual([
      '6.2.1: segment 1 changed between reloads',
    ]);
    // Segment 0 left, taking no discontinuity with it; segment 1's tag left without being counted.
    expect(checkPlaylistReload(before, parseMediaPlaylist(playlist(2, 1, [[2], [2]])))).toEqual([
      '6.2.2: segment 1 moved from discontinuity sequence 1 to 0',
      '6.2.2: segment 2 moved from discontinuity sequence 1 to 0',
    ]);
    expect(checkMediaPlaylist('#EXT-X-VERSION:3\nseg.m4s\n')).toEqual(
      expect.arrayContaining([
        '4.3.1.1: the first line is not #EXTM3U',
        '4.3.2.1: URI seg.m4s without EXTINF',
        '4.3.3.1: 0 EXT-X-TARGETDURATION tags',
      ]),
    );
  });
});
