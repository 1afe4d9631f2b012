import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FlvTagType } from '../../common/media/flv.ts';
import { silentLogger } from '../log.ts';
import { LiveStream, type Publisher } from '../stream/live-stream.ts';
import { fixtureTags } from '../testing.ts';
import { HlsMuxer } from './hls-muxer.ts';
import { checkMediaPlaylist, checkPlaylistReload, parseMediaPlaylist, type ParsedMediaPlaylist } from './playlist-rules.ts';

const publisher = (id: string): Publisher => ({ sessionId: id, protocol: 'rtmp', remoteAddress: '', startedAtMs: 0, disconnect() {} });
const work = mkdtempSync(join(tmpdir(), 'tally-hls-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function setup(options: Partial<ConstructorParameters<typeof HlsMuxer>[1]> = {}) {
  const stream = new LiveStream('main');
  const muxer = new HlsMuxer(
    stream,
    {
      segmentDurationMs: 300,
      maxSegmentDurationMs: 10_000,
      windowSegments: 6,
      reconnectWindowMs: 1000,
      lowLatency: false,
      partDurationMs: 200,
      ...options,
    },
    silentLogger,
  );
  stream.addReader(muxer);
  return { stream, muxer };
}

function publish(stream: LiveStream, id: string, tags = fixtureTags()): Publisher {
  const who = publisher(id);
  stream.claim(who);
  for (const tag of tags)
    stream.ingest(tag.type === FlvTagType.audio ? 'audio' : tag.type === FlvTagType.video ? 'video' : 'data', tag.timestamp, tag.payload);
  return who;
}

const uris = (playlist: string) => playlist.split('\n').filter((line) => line && !line.startsWith('#'));

/** What ffprobe reads from an init segment followed by media segments, written as one file. */
function probe(muxer: HlsMuxer, init: string, segments: string[]) {
  const file = join(work, `probe-${Math.random().toString(36).slice(2)}.mp4`);
  writeFileSync(file, Buffer.concat([muxer.file(init)!.bytes, ...segments.map((name) => muxer.file(name)!.bytes)]));
  const output = execFileSync(
    'ffprobe',
    ['-v', 'error', '-count_packets', '-show_streams', '-show_entries', 'packet=codec_type,pts_time,flags', '-of', 'json', file],
    { encoding: 'utf8' },
  );
  return JSON.parse(output) as {
    streams: { codec_name: string; width?: number; height?: number; sample_rate?: string; nb_read_packets: string }[];
    packets: { codec_type: string; pts_time: string; flags: string }[];
  };
}

describe('HLS muxer', () => {
  it('cuts fMP4 segments on keyframes that ffprobe reads back as the published H.264 and AAC', () => {
    const { stream, muxer } = setup();
    publish(stream, 'a');
    stream.release(stream.publisher!);
    const playlist = muxer.playlist()!;
    expect(playlist).toMatch(/^#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n/);
    const segments = uris(playlist);
    // 15 frames, keyframes at frames 0 and 10 (334 ms): two segments.
    expect(segments).toHaveLength(2);
    expect(playlist.match(/#EXTINF:([\d.]+),/g)).toEqual(['#EXTINF:0.334,', '#EXTINF:0.166,']);
    expect(playlist).toMatch(/#EXT-X-PROGRAM-DATE-TIME:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
    const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist)![1]!;
    const probed = probe(muxer, init, segments);
    expect(probed.streams.map((s) => [s.codec_name, s.width ?? s.sample_rate])).toEqual([
      ['h264', 160],
      ['aac', '44100'],
    ]);
    expect(probed.streams[0]!.nb_read_packets).toBe('15');
    // The first segment starts on a keyframe; the second one too.
    const video = probed.packets.slice(0, 15);
    expect(video[0]!.flags).toMatch(/^K/);
  });

  it('continues the playlist after EXT-X-DISCONTINUITY when the publisher comes back, and ends it after the reconnect window', () => {
    vi.useFakeTimers();
    try {
      const { stream, muxer } = setup();
      stream.release(publish(stream, 'a'));
      expect(muxer.playlist()).not.toContain('#EXT-X-ENDLIST');
      stream.release(publish(stream, 'b'));
      const playlist = muxer.playlist()!;
      expect(playlist.split('#EXT-X-DISCONTINUITY\n')).toHaveLength(2);
      expect(uris(playlist)).toHaveLength(4);
      // The same configuration came back, so the same init segment serves both runs.
      expect(playlist.match(/#EXT-X-MAP/g)).toHaveLength(1);
      const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist)![1]!;
      const probed = probe(muxer, init, uris(playlist));
      expect(probed.streams[0]!.nb_read_packets).toBe('30');
      vi.advanceTimersByTime(1001);
      expect(muxer.playlist()!.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('slides its window, counting discontinuities that leave it, and keeps old segments fetchable for one more window', () => {
    const { stream, muxer } = setup({ windowSegments: 2 });
    stream.release(publish(stream, 'a'));
    const first = uris(muxer.playlist()!)[0]!;
    stream.release(publish(stream, 'b'));
    stream.release(publish(stream, 'c'));
    const playlist = muxer.playlist()!;
    expect(uris(playlist)).toHaveLength(2);
    expect(playlist).toContain('#EXT-X-MEDIA-SEQUENCE:4');
    expect(playlist).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:1');
    expect(muxer.file(first)).toBeUndefined();
    expect(muxer.file(`seg-${first.split('-')[1]}-3.m4s`)).toBeDefined();
  });

  it('starts a new init segment after a discontinuity when the decoder configuration changes', () => {
    const { stream, muxer } = setup();
    stream.release(publish(stream, 'a'));
    const tags = fixtureTags();
    // Same stream, but the AAC config now says 48 kHz stereo.
    const audioConfig = tags.find((tag) => tag.type === FlvTagType.audio && tag.payload[1] === 0)!;
    audioConfig.payload = Uint8Array.of(0xaf, 0x00, 0x11, 0x90);
    stream.release(publish(stream, 'b', tags));
    const playlist = muxer.playlist()!;
    const maps = [...playlist.matchAll(/#EXT-X-MAP:URI="([^"]+)"/g)].map((match) => match[1]);
    expect(maps).toHaveLength(2);
    expect(playlist.indexOf('#EXT-X-DISCONTINUITY')).toBeLessThan(playlist.lastIndexOf('#EXT-X-MAP'));
    const probed = probe(muxer, maps[1]!, uris(playlist).slice(2));
    expect(probed.streams[1]).toMatchObject({ codec_name: 'aac', sample_rate: '48000' });
  });

  it('ends the playlist at once on end() and keeps it ended', () => {
    const { stream, muxer } = setup();
    publish(stream, 'a');
    muxer.end();
    const playlist = muxer.playlist()!;
    expect(playlist.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect(uris(playlist)).toHaveLength(2);
    expect(muxer.hasEnded).toBe(true);
  });
});

describe('HLS target duration', () => {
  /**
   * 30 fps video with keyframes where `isKey(frameIndex)` says; with `audioFromFrame`, AAC too,
   * its sequence header sent only at that frame (as a publisher whose audio encoder starts
   * late). The playlist is checked against RFC 8216 after every frame.
   */
  function publishGops(
    stream: LiveStream,
    muxer: HlsMuxer,
    frames: number,
    isKey: (index: number) => boolean,
    options: { audioFromFrame?: number } = {},
  ) {
    const tags = fixtureTags();
    const config = tags.find((tag) => tag.type === FlvTagType.video && tag.payload[1] === 0)!;
    const frame = tags.find((tag) => tag.type === FlvTagType.video && tag.payload[1] === 1)!;
    const audioConfig = tags.find((tag) => tag.type === FlvTagType.audio && tag.payload[1] === 0)!;
    const audioFrame = tags.find((tag) => tag.type === FlvTagType.audio && tag.payload[1] === 1)!;
    stream.claim(publisher('gops'));
    stream.ingest('video', 0, config.payload);
    const versions: ParsedMediaPlaylist[] = [];
    const problems: string[] = [];
    let audioFrames = 0;
    for (let i = 0; i < frames; i++) {
      const payload = frame.payload.slice();
      payload[0] = isKey(i) ? 0x17 : 0x27;
      const timestampMs = Math.round((i * 1000) / 30);
      if (options.audioFromFrame !== undefined && i >= options.audioFromFrame) {
        const audioStartMs = Math.round((options.audioFromFrame * 1000) / 30);
        if (audioFrames === 0) stream.ingest('audio', audioStartMs, audioConfig.payload);
        // 44.1 kHz AAC, 1024 samples a frame, up to this video frame's time.
        const audioMs = (index: number) => audioStartMs + Math.round((index * 1024 * 1000) / 44_100);
        for (; audioMs(audioFrames) <= timestampMs; audioFrames++) stream.ingest('audio', audioMs(audioFrames), audioFrame.payload);
      }
      stream.ingest('video', timestampMs, payload);
      const text = muxer.playlist();
      if (!text) continue;
      const parsed = parseMediaPlaylist(text);
      if (versions.at(-1)?.segments.at(-1)?.msn === parsed.segments.at(-1)?.msn) continue;
      problems.push(...checkMediaPlaylist(text));
      if (versions.length) problems.push(...checkPlaylistReload(versions.at(-1)!, parsed));
      versions.push(parsed);
    }
    return { versions, problems };
  }

  it('keeps the target duration its first GOPs set when the GOP grows from 2 s to 7 s, cutting the long GOPs within it', () => {
    const { stream, muxer } = setup({ segmentDurationMs: 2000, windowSegments: 20 });
    // Keyframes every 2 s for 8 s, then every 7 s (an encoder's settings changed).
    const { versions, problems } = publishGops(stream, muxer, 30 * 26, (i) => (i < 240 ? i % 60 === 0 : (i - 240) % 210 === 0));
    expect(problems).toEqual([]);
    const last = versions.at(-1)!;
    expect(last.targetDurationS).toBe(2);
    expect(Math.max(...last.segments.map((segment) => segment.durationS))).toBeLessThanOrEqual(2.5);
    expect(last.independentSegments).toBe(false);
    // The long GOPs are there, in segments that start on a frame that is not a keyframe.
    expect(last.segments.length).toBeGreaterThanOrEqual(11);
  });

  it('takes a long first GOP as the target duration (OBS’s default keyframe interval), with every segment on a keyframe', () => {
    const { stream, muxer } = setup({ segmentDurationMs: 2000, windowSegments: 20 });
    const { versions, problems } = publishGops(stream, muxer, 30 * 30, (i) => i % 250 === 0);
    expect(problems).toEqual([]);
    expect(versions.at(-1)!.targetDurationS).toBe(8);
    const durations = versions.at(-1)!.segments.map((segment) => segment.durationS);
    expect(durations).toHaveLength(3);
    for (const duration of durations) expect(duration).toBeCloseTo(8.333, 2);
  });

  it('is not fixed from a first segment cut short by the audio header arriving after the first video frames', () => {
    const { stream, muxer } = setup({ segmentDurationMs: 1000, windowSegments: 20 });
    // A 2 s GOP; the publisher's AAC header comes 200 ms in (its audio encoder started late).
    const { versions, problems } = publishGops(stream, muxer, 30 * 13, (i) => i % 60 === 0, { audioFromFrame: 6 });
    expect(problems).toEqual([]);
    // Nothing is served while only the short segment exists: the first version already has the GOP's target.
    expect(versions[0]!.segments.map((segment) => segment.durationS)).toEqual([expect.closeTo(0.2, 1) as number, 2]);
    const last = versions.at(-1)!;
    expect(last.targetDurationS).toBe(2);
    // No forced cuts: every segment after the short one lasts one GOP and starts on a keyframe, with the audio.
    expect(last.segments.slice(1).map((segment) => segment.durationS)).toEqual([2, 2, 2, 2, 2]);
    const playlist = muxer.playlist()!;
    const maps = [...playlist.matchAll(/#EXT-X-MAP:URI="([^"]+)"/g)].map((match) => match[1]!);
    expect(maps).toHaveLength(2);
    for (const segment of uris(playlist).slice(1)) {
      const probed = probe(muxer, maps[1]!, [segment]);
      expect(probed.streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
      expect(probed.packets.find((packet) => packet.codec_type === 'video')!.flags).toMatch(/^K/);
    }
  });

  it('shows a publish shorter than a GOP once the publisher leaves, with a target that covers it', () => {
    const { stream, muxer } = setup({ segmentDurationMs: 1000, windowSegments: 20 });
    publishGops(stream, muxer, 45, (i) => i === 0 || i === 6, { audioFromFrame: 3 });
    expect(muxer.playlist()).toBeNull();
    stream.release(stream.publisher!);
    const playlist = parseMediaPlaylist(muxer.playlist()!);
    expect(checkMediaPlaylist(muxer.playlist()!)).toEqual([]);
    expect(playlist.targetDurationS).toBe(1);
    expect(playlist.segments.map((segment) => segment.durationS)).toEqual([
      expect.closeTo(0.1, 1) as number,
      expect.closeTo(1.3, 1) as number,
    ]);
  });

  it('starts a new playlist, free to pick its own target duration, when a publisher comes back after the playlist ended', () => {
    const { stream, muxer } = setup({ segmentDurationMs: 2000, windowSegments: 20 });
    publishGops(stream, muxer, 30 * 9, (i) => i % 60 === 0);
    stream.release(stream.publisher!);
    muxer.end();
    const ended = muxer.playlist()!;
    expect(ended).toContain('#EXT-X-ENDLIST');
    const { versions, problems } = publishGops(stream, muxer, 30 * 20, (i) => i % 150 === 0);
    expect(problems).toEqual([]);
    expect(versions.at(-1)!.targetDurationS).toBe(5);
    expect(versions.at(-1)!.mediaSequence).toBeGreaterThan(parseMediaPlaylist(ended).segments.at(-1)!.msn);
    expect(muxer.playlist()).not.toContain('#EXT-X-ENDLIST');
  });
});
