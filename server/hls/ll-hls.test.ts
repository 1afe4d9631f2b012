import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FlvTagType } from '../../common/media/flv.ts';
import { silentLogger } from '../log.ts';
import { LiveStream, type Publisher } from '../stream/live-stream.ts';
import { fixtureTags } from '../testing.ts';
import { HlsMuxer, type HlsOptions } from './hls-muxer.ts';
import { HoldBudget } from './ll-hls-holds.ts';
import { checkLowLatencyPlaylist, checkLowLatencyReload } from './ll-hls-rules.ts';
import { checkMediaPlaylist, checkPlaylistReload, parseMediaPlaylist, type ParsedMediaPlaylist } from './playlist-rules.ts';

const work = mkdtempSync(join(tmpdir(), 'tally-ll-hls-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const LL: HlsOptions = {
  segmentDurationMs: 1000,
  maxSegmentDurationMs: 10_000,
  windowSegments: 12,
  reconnectWindowMs: 1000,
  lowLatency: true,
  partDurationMs: 200,
};

function setup(options: Partial<HlsOptions> = {}, budget?: HoldBudget) {
  const stream = new LiveStream('main');
  let nowMs = 1_700_000_000_000;
  const muxer = new HlsMuxer(stream, { ...LL, ...options }, silentLogger, () => nowMs, budget);
  stream.addReader(muxer);
  return { stream, muxer, advance: (ms: number) => (nowMs += ms) };
}

const publisher = (id: string): Publisher => ({ sessionId: id, protocol: 'rtmp', remoteAddress: '', startedAtMs: 0, disconnect() {} });

/**
 * Publishes `seconds` of video at `fps` (keyframe every `gopFrames`) and AAC audio from the
 * fixture's payloads, in real time on the muxer's clock, and checks every playlist a client
 * could load (after each frame) against RFC 8216 and the LL-HLS rules, and each against the one before.
 */
function publishChecked(
  setupResult: ReturnType<typeof setup>,
  options: { seconds: number; fps: number; gopFrames: number; startMs?: number; id?: string },
) {
  const { stream, muxer, advance } = setupResult;
  const tags = fixtureTags();
  const videoConfig = tags.find((tag) => tag.type === FlvTagType.video && tag.payload[1] === 0)!;
  const audioConfig = tags.find((tag) => tag.type === FlvTagType.audio && tag.payload[1] === 0)!;
  const frame = tags.find((tag) => tag.type === FlvTagType.video && tag.payload[1] === 1)!;
  const aac = tags.find((tag) => tag.type === FlvTagType.audio && tag.payload[1] === 1)!;
  stream.claim(publisher(options.id ?? 'a'));
  const startMs = options.startMs ?? 0;
  stream.ingest('video', startMs, videoConfig.payload);
  stream.ingest('audio', startMs, audioConfig.payload);
  const versions: ParsedMediaPlaylist[] = [];
  const problems = new Set<string>();
  let audioMs = 0;
  const frames = Math.round(options.seconds * options.fps);
  for (let i = 0; i < frames; i++) {
    const dtsMs = Math.round((i * 1000) / options.fps);
    advance(i === 0 ? 0 : dtsMs - Math.round(((i - 1) * 1000) / options.fps));
    while (audioMs <= dtsMs) {
      stream.ingest('audio', startMs + Math.round(audioMs), aac.payload);
      audioMs += (1024 * 1000) / 44_100;
    }
    const payload = frame.payload.slice();
    payload[0] = i % options.gopFrames === 0 ? 0x17 : 0x27;
    stream.ingest('video', startMs + dtsMs, payload);
    const text = muxer.playlist();
    if (!text || text === versions.at(-1)?.problems.join()) continue;
    const parsed = parseMediaPlaylist(text);
    for (const problem of [...checkMediaPlaylist(text), ...checkLowLatencyPlaylist(parsed)]) problems.add(problem);
    const before = versions.at(-1);
    if (before)
      for (const problem of [...checkPlaylistReload(before, parsed), ...checkLowLatencyReload(before, parsed)]) problems.add(problem);
    versions.push(parsed);
  }
  return { versions, problems: [...problems] };
}

describe('LL-HLS parts', () => {
  it('cuts a 1 s GOP at 30 fps into five 200 ms parts per segment, the first INDEPENDENT, every playlist within the spec', () => {
    const s = setup();
    const { versions, problems } = publishChecked(s, { seconds: 6, fps: 30, gopFrames: 30 });
    expect(problems).toEqual([]);
    const last = versions.at(-1)!;
    expect(last.targetDurationS).toBe(1);
    expect(last.partTargetS).toBeGreaterThanOrEqual(0.2);
    expect(last.partTargetS).toBeLessThan(0.21);
    const full = last.segments.filter((segment) => segment.parts.length > 0);
    expect(full.length).toBeGreaterThanOrEqual(3);
    for (const segment of full) {
      expect(segment.parts.map((part) => part.durationS)).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
      expect(segment.parts.map((part) => part.independent)).toEqual([true, false, false, false, false]);
    }
    expect(last.serverControl).toMatchObject({ 'CAN-BLOCK-RELOAD': 'YES' });
    expect(Number(last.serverControl!['PART-HOLD-BACK'])).toBeCloseTo(3 * last.partTargetS!, 3);
    expect(last.preloadHints).toHaveLength(1);
  });

  it('keeps every part within PART-TARGET and above 85 % of it at 24 fps, where 200 ms is not a whole number of frames', () => {
    const { versions, problems } = publishChecked(setup(), { seconds: 6, fps: 24, gopFrames: 24 });
    expect(problems).toEqual([]);
    const durations = versions.at(-1)!.segments.flatMap((segment) => segment.parts.slice(0, -1).map((part) => part.durationS));
    for (const duration of durations) expect([0.208, 0.209]).toContain(duration);
  });

  it('marks a part INDEPENDENT wherever it starts on a keyframe inside a segment (0.4 s GOP, 1.2 s segments)', () => {
    const { versions, problems } = publishChecked(setup(), { seconds: 5, fps: 30, gopFrames: 12 });
    expect(problems).toEqual([]);
    const segment = versions.at(-1)!.segments.at(-1)!;
    // Keyframes every 400 ms; the segment ends at the first one after 1 s.
    expect(segment.parts.map((part) => [part.durationS, part.independent])).toEqual([
      [0.2, true],
      [0.2, false],
      [0.2, true],
      [0.2, false],
      [0.2, true],
      [0.2, false],
    ]);
  });

  it('serves a segment as its parts end to end, which ffprobe reads back frame for frame', () => {
    const s = setup();
    const { versions: seen } = publishChecked(s, { seconds: 3, fps: 30, gopFrames: 30 });
    const segment = seen.at(-1)!.segments[0]!;
    const whole = s.muxer.file(segment.uri)!.bytes;
    const parts = Buffer.concat(segment.parts.map((part) => s.muxer.file(part.uri)!.bytes));
    expect(Buffer.compare(Buffer.from(whole), parts)).toBe(0);
    const file = join(work, 'parts.mp4');
    writeFileSync(file, Buffer.concat([s.muxer.file(segment.map!)!.bytes, parts]));
    const probed = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-count_packets', '-show_streams', '-of', 'json', file], { encoding: 'utf8' }),
    ) as { streams: { codec_name: string; nb_read_packets: string }[] };
    expect(probed.streams.map((stream) => stream.codec_name)).toEqual(['h264', 'aac']);
    expect(probed.streams[0]!.nb_read_packets).toBe('30');
  });

  it('writes EXT-X-PROGRAM-DATE-TIME from the ingest clock on every segment', () => {
    const s = setup();
    const startWall = s.advance(0);
    const { versions } = publishChecked(s, { seconds: 4, fps: 30, gopFrames: 30 });
    const segments = versions.at(-1)!.segments;
    expect(segments.map((segment) => Date.parse(segment.programDateTime!) - startWall)).toEqual(segments.map((_, i) => i * 1000));
  });

  it('continues media sequence and part numbering across a reconnect, after EXT-X-DISCONTINUITY', () => {
    const s = setup();
    publishChecked(s, { seconds: 3, fps: 30, gopFrames: 30 });
    s.stream.release(s.stream.publisher!);
    const { versions, problems } = publishChecked(s, { seconds: 3, fps: 30, gopFrames: 30, startMs: 5000, id: 'b' });
    expect(problems).toEqual([]);
    const last = versions.at(-1)!;
    const msns = last.segments.map((segment) => segment.msn);
    expect(msns).toEqual(msns.map((_, i) => msns[0]! + i));
    expect(last.segments.filter((segment) => segment.discontinuity)).toHaveLength(1);
    for (const segment of last.segments)
      segment.parts.forEach((part, index) => expect(part.uri).toMatch(new RegExp(`-${segment.msn}-${index}\\.m4s$`)));
  });
  it('while the publisher is away the live playlist still ends with a hint, for the first part after the reconnect', async () => {
    // hls.js 1.7 takes a last segment with no tag after it for the next segment's stub, and then calls the reload that
    // brings the real next segment a media sequence mismatch (a fatal levelParsingError on a one-level stream).
    const s = setup({ reconnectWindowMs: 60_000 });
    publishChecked(s, { seconds: 3, fps: 30, gopFrames: 30 });
    s.stream.release(s.stream.publisher!);
    const away = parseMediaPlaylist(s.muxer.playlist()!);
    expect(away.ended).toBe(false);
    expect(checkLowLatencyPlaylist(away)).toEqual([]);
    const hint = away.preloadHints[0]!.URI!;
    expect(hint).toMatch(new RegExp(`-${away.segments.at(-1)!.msn + 1}-0\\.m4s$`));
    expect(s.muxer.partState(hint)).toBe('pending');
    const held = s.muxer.holds.hold(() => s.muxer.partState(hint) !== 'pending', 60_000)!;
    const { versions } = publishChecked(s, { seconds: 2, fps: 30, gopFrames: 30, startMs: 5000, id: 'b' });
    expect(await held).toBe(true);
    const first = versions.at(-1)!.segments.find((segment) => segment.discontinuity)!;
    expect(first.parts[0]!.uri).toBe(hint);
    expect(s.muxer.file(hint)!.bytes.length).toBeGreaterThan(0);
  });
});

describe('LL-HLS blocking reloads, hints and delta updates', () => {
  it('says when a blocking reload is answered (6.2.5.2), including a part past a segment’s last', () => {
    const s = setup();
    const { versions } = publishChecked(s, { seconds: 2.5, fps: 30, gopFrames: 30 });
    const last = versions.at(-1)!;
    const lastSegment = last.segments.at(-1)!.msn;
    const pending = last.pendingParts.length;
    expect(s.muxer.reached(lastSegment)).toBe(true);
    expect(s.muxer.reached(lastSegment + 1)).toBe(false);
    expect(s.muxer.reached(lastSegment + 1, pending - 1)).toBe(true);
    expect(s.muxer.reached(lastSegment + 1, pending)).toBe(false);
    // Part 9 of a finished five-part segment is part 0 of the next one, which exists.
    expect(s.muxer.reached(lastSegment, 9)).toBe(true);
    expect(s.muxer.tooFarAhead(lastSegment + 3)).toBe(false);
    expect(s.muxer.tooFarAhead(lastSegment + 4)).toBe(true);
    expect(s.muxer.tooFarAhead(lastSegment + 1, pending + 14)).toBe(false);
    expect(s.muxer.tooFarAhead(lastSegment + 1, pending + 16)).toBe(true);
  });

  it('holds a hinted part until it is cut, then answers with its bytes; an unpublished hint becomes 404-worthy', async () => {
    const s = setup();
    const { versions } = publishChecked(s, { seconds: 2.1, fps: 30, gopFrames: 30 });
    const hint = versions.at(-1)!.preloadHints[0]!.URI!;
    expect(s.muxer.partState(hint)).toBe('pending');
    const held = s.muxer.holds.hold(() => s.muxer.partState(hint) !== 'pending', 60_000)!;
    let answered = false;
    void held.then(() => (answered = true));
    await Promise.resolve();
    expect(answered).toBe(false);
    publishChecked(s, { seconds: 0.3, fps: 30, gopFrames: 30, startMs: 2100, id: 'b' });
    expect(await held).toBe(true);
    expect(s.muxer.partState(hint)).toBe('ready');
    expect(s.muxer.file(hint)!.bytes.length).toBeGreaterThan(0);
    expect(s.muxer.partState(hint.replace(/-(\d+)\.m4s$/, '-99.m4s'))).toBe('never');
  });

  it('answers _HLS_skip=YES with EXT-X-SKIP in place of segments beyond CAN-SKIP-UNTIL, the rest as in the full playlist', () => {
    const s = setup({ windowSegments: 20 });
    publishChecked(s, { seconds: 16, fps: 30, gopFrames: 30 });
    const full = parseMediaPlaylist(s.muxer.playlist()!);
    const deltaText = s.muxer.playlist(true)!;
    const delta = parseMediaPlaylist(deltaText);
    expect([...checkMediaPlaylist(deltaText), ...checkLowLatencyPlaylist(delta)]).toEqual([]);
    expect(delta.version).toBe(9);
    expect(Number(full.serverControl!['CAN-SKIP-UNTIL'])).toBe(6);
    // 16 segments of 1 s, the last six within the skip boundary.
    expect(delta.skippedSegments).toBe(full.segments.length - 6);
    expect(delta.segments).toEqual(full.segments.slice(delta.skippedSegments).map((segment) => ({ ...segment })));
  });

  it('bounds held requests across streams: past the budget a hold is refused at once', () => {
    const budget = new HoldBudget(2);
    const a = setup({}, budget);
    const b = setup({}, budget);
    expect(a.muxer.holds.hold(() => false, 60_000)).not.toBeNull();
    expect(b.muxer.holds.hold(() => false, 60_000)).not.toBeNull();
    expect(b.muxer.holds.hold(() => false, 60_000)).toBeNull();
    a.muxer.holds.release();
    b.muxer.holds.release();
    expect(budget.held).toBe(0);
  });

  it('keeps memory bounded on a long stream: a window of segments plus one more, and their parts', () => {
    const s = setup({ windowSegments: 4 });
    publishChecked(s, { seconds: 30, fps: 30, gopFrames: 30 });
    const playlist = parseMediaPlaylist(s.muxer.playlist()!);
    expect(playlist.segments).toHaveLength(4);
    const oldest = playlist.segments[0]!.msn;
    const name = playlist.segments[0]!.uri.replace(`-${oldest}.m4s`, '');
    expect(s.muxer.file(`${name}-${oldest - 4}.m4s`)).toBeDefined();
    expect(s.muxer.file(`${name}-${oldest - 5}.m4s`)).toBeUndefined();
  });
});
