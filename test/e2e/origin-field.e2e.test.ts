/**
 * Inputs from the field, replayed against the origin process as a new user's encoder sends
 * them: ffmpeg where it can make the input, our own small publisher where it cannot. Each
 * asserts what a player sees: playlists checked against RFC 8216 on every reload, timestamps
 * read back with ffprobe (HTTP-FLV, HLS) and an RTMP viewer.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmfEcmaArray, decodeAmf0, encodeAmf0 } from '../../common/media/amf0.ts';
import { exAudioTagBody, FlvTagType, type FlvTag } from '../../common/media/flv.ts';
import { RtmpClient, RtmpStatusError } from '../../net/rtmp/client.ts';
import { waitFor } from './support/media.ts';
import {
  clip,
  dtsMs,
  fieldClip,
  flvTags,
  probePackets,
  publishTags,
  rtmpViewer,
  segmentMedia,
  steps,
  watchPlaylist,
} from './support/origin-media.ts';
import { startOriginProcess, type OriginProcess } from './support/origin.ts';

const execFileAsync = promisify(execFile);
const TOKEN = 'field-admin-token-0123456789';
const keyOf = (name: string) => `field-${name}-key-0123456789`;
const STREAMS = ['jump', 'back', 'bases', 'gop', 'meta', 'opus'];

describe('inputs from the field', () => {
  let origin: OriginProcess;
  let work: string;
  let tags: FlvTag[];
  let inFlv: string;

  const publishUrl = (name: string) => `${origin.rtmp}/${keyOf(name)}`;
  const api = async (name: string) =>
    (await (await fetch(`${origin.http}api/v1/streams/${name}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      live: boolean;
      viewers: { rtmp: number; flv: number };
      audio: { codec: string; sampleRateHz: number | null; channels: number | null } | null;
      video: { width: number | null; height: number | null } | null;
    };
  /** Publishes with our own client, after an HTTP-FLV ffprobe and an RTMP viewer have joined, and returns what they saw. */
  async function publishWatched(name: string, send: (client: RtmpClient) => Promise<void>) {
    const publisher = await RtmpClient.connect(origin.rtmp);
    await publisher.publish(keyOf(name));
    const flv = probePackets(`${origin.http}live/${name}.flv`);
    const viewer = await rtmpViewer(origin.rtmp, name);
    await waitFor(async () => (await api(name)).viewers.flv === 1, 15_000, 'the HTTP-FLV viewer');
    await send(publisher);
    await publisher.close();
    const probed = await flv;
    await waitFor(() => viewer.client.statusCodes.includes('NetStream.Play.UnpublishNotify'), 15_000, 'UnpublishNotify');
    viewer.client.destroy();
    return { flv: probed, rtmp: viewer.messages };
  }
  const rtmpTimestamps = (messages: { typeId: number; timestamp: number }[], typeId: number) =>
    messages.filter((message) => message.typeId === typeId).map((message) => message.timestamp);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tally-field-'));
    inFlv = await fieldClip();
    tags = flvTags(inFlv);
    origin = await startOriginProcess(keyOf('main'), [], {
      TALLY_ADMIN_TOKEN: TOKEN,
      TALLY_STREAMS: STREAMS.map((name) => `${name}:${keyOf(name)}`).join(' '),
    });
  });

  afterAll(async () => {
    await origin?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** Every listed segment lasts as long as its media, and the whole life of the playlist broke no rule. */
  async function expectHonestPlaylist(name: string, watched: Awaited<ReturnType<typeof watchPlaylist>>) {
    expect(watched.problems).toEqual([]);
    expect(new Set(watched.versions.map((version) => version.targetDurationS)).size).toBe(1);
    const last = watched.versions.at(-1)!;
    for (const segment of await segmentMedia(`${origin.http}live/${name}/index.m3u8`, last, work))
      expect(Math.abs(segment.mediaS - segment.listedS), `segment ${segment.msn}: listed ${segment.listedS} s`).toBeLessThan(0.0025);
    return last;
  }

  it.concurrent(
    'a publisher clock that jumps 4.7 hours forward mid-stream (ffmpeg setts): the target duration holds and readers keep moving',
    async () => {
      const jump = 'setts=ts=if(gte(TS\\,5000)\\,TS+16920000\\,TS)';
      const ffmpeg = execFileAsync('ffmpeg', [
        ...['-hide_banner', '-loglevel', 'error', '-re', '-i', inFlv, '-t', '11', '-c', 'copy'],
        ...['-bsf:v', jump, '-bsf:a', jump, '-f', 'flv', publishUrl('jump')],
      ]);
      let published = false;
      void ffmpeg.finally(() => (published = true)).catch(() => {});
      await waitFor(async () => (await api('jump')).live, 15_000, 'the stream to go live');
      const flv = probePackets(`${origin.http}live/jump.flv`);
      const viewer = await rtmpViewer(origin.rtmp, 'jump');
      const watched = await watchPlaylist(`${origin.http}live/jump/index.m3u8`, () => published);
      await ffmpeg;
      // The last segment is finished when the publisher leaves.
      const final = await watchPlaylist(`${origin.http}live/jump/index.m3u8`, () => true);
      const playlist = await expectHonestPlaylist('jump', {
        versions: [...watched.versions, ...final.versions],
        problems: [...watched.problems, ...final.problems],
      });
      expect(playlist.targetDurationS).toBe(2);
      const total = playlist.segments.reduce((sum, segment) => sum + segment.durationS, 0);
      expect(total).toBeGreaterThan(8);
      expect(total).toBeLessThan(12);
      const probed = await flv;
      for (const type of ['video', 'audio'] as const) {
        const timeline = steps(dtsMs(probed.packets, type));
        expect({ type, backwards: timeline.backwards, bigStep: timeline.maxStepMs > 1000 }).toEqual({ type, backwards: 0, bigStep: false });
      }
      await waitFor(() => viewer.client.statusCodes.includes('NetStream.Play.UnpublishNotify'), 15_000, 'UnpublishNotify');
      viewer.client.destroy();
      for (const typeId of [8, 9]) {
        const timeline = steps(rtmpTimestamps(viewer.messages, typeId));
        expect({ typeId, backwards: timeline.backwards, bigStep: timeline.maxStepMs > 1000 }).toEqual({
          typeId,
          backwards: 0,
          bigStep: false,
        });
      }
    },
  );

  it.concurrent(
    'a GOP that grows from 2 s to 7 s mid-stream keeps one EXT-X-TARGETDURATION with every segment within it',
    async () => {
      const gop = await clip('field-426x240-26s-gop2-then-7', [
        ...['-f', 'lavfi', '-i', 'testsrc2=size=426x240:rate=30', '-f', 'lavfi', '-i', 'sine', '-t', '26'],
        ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '1000', '-sc_threshold', '0'],
        ...['-force_key_frames', 'expr:if(lt(t,8),gte(t,n_forced*2),gte(t,8+(n_forced-4)*7))', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
      ]);
      const ffmpeg = execFileAsync('ffmpeg', [
        '-hide_banner',
        '-loglevel',
        'error',
        '-re',
        '-i',
        gop,
        '-c',
        'copy',
        '-f',
        'flv',
        publishUrl('gop'),
      ]);
      let published = false;
      void ffmpeg.finally(() => (published = true)).catch(() => {});
      const watched = await watchPlaylist(`${origin.http}live/gop/index.m3u8`, () => published);
      await ffmpeg;
      const playlist = await expectHonestPlaylist('gop', watched);
      expect(playlist.targetDurationS).toBe(2);
      // The 7 s GOPs did reach the playlist, cut within the target.
      expect(watched.versions.flatMap((version) => version.segments).at(-1)!.msn).toBeGreaterThanOrEqual(11);
      expect(
        await probePackets(`${origin.http}live/gop/index.m3u8`).then(({ streams }) => streams.map((stream) => stream.codec_name)),
      ).toEqual(['h264', 'aac']);
      // A 26 s real-time publish, then ffprobe on each of the 12 listed segments (the window doubled with LL-HLS) and the
      // playlist: past the 60 s default on a loaded machine.
    },
    180_000,
  );

  it('a publisher clock that restarts at 0 mid-stream (our publisher): HLS, HTTP-FLV and RTMP readers keep moving forward', async () => {
    const seen = await publishWatched('back', (client) =>
      publishTags(client, tags, (tag) => (tag.timestamp >= 5000 ? tag.timestamp - 5000 : tag.timestamp)),
    );
    for (const type of ['video', 'audio'] as const) {
      const timeline = steps(dtsMs(seen.flv.packets, type));
      expect({ type, backwards: timeline.backwards, bigStep: timeline.maxStepMs > 1000 }).toEqual({ type, backwards: 0, bigStep: false });
    }
    for (const typeId of [8, 9]) {
      const timeline = steps(rtmpTimestamps(seen.rtmp, typeId));
      expect({ typeId, backwards: timeline.backwards, bigStep: timeline.maxStepMs > 1000 }).toEqual({
        typeId,
        backwards: 0,
        bigStep: false,
      });
    }
    const watched = await watchPlaylist(`${origin.http}live/back/index.m3u8`, () => true);
    const playlist = await expectHonestPlaylist('back', watched);
    expect(playlist.segments.reduce((sum, segment) => sum + segment.durationS, 0)).toBeGreaterThan(11);
  });

  it('tracks on different timestamp bases (video 3 s ahead of audio) keep their offset instead of flattening audio to 0', async () => {
    const seen = await publishWatched('bases', (client) =>
      publishTags(client, tags, (tag) => (tag.type === FlvTagType.audio ? tag.timestamp : tag.timestamp + 3000)),
    );
    const audio = dtsMs(seen.flv.packets, 'audio');
    const video = dtsMs(seen.flv.packets, 'video');
    expect(steps(audio)).toMatchObject({ backwards: 0, repeats: 0 });
    expect(steps(video)).toMatchObject({ backwards: 0, repeats: 0 });
    expect(Math.abs(video[0]! - audio[0]! - 3000)).toBeLessThan(50);
    const rtmpAudio = rtmpTimestamps(seen.rtmp, 8).slice(1); // after the sequence header
    const rtmpVideo = rtmpTimestamps(seen.rtmp, 9).slice(1);
    expect(steps(rtmpAudio)).toMatchObject({ backwards: 0, repeats: 0 });
    expect(Math.abs(rtmpVideo[0]! - rtmpAudio[0]! - 3000)).toBeLessThan(50);
    // HLS: audio neither restarts nor overlaps, and lines up with the video it belongs to.
    const watched = await watchPlaylist(`${origin.http}live/bases/index.m3u8`, () => true);
    await expectHonestPlaylist('bases', watched);
    const hls = await probePackets(`${origin.http}live/bases/index.m3u8`);
    const hlsAudio = dtsMs(hls.packets, 'audio');
    expect(steps(hlsAudio)).toMatchObject({ backwards: 0, repeats: 0 });
    expect(Math.abs(hlsAudio[0]! - dtsMs(hls.packets, 'video')[0]!)).toBeLessThan(100);
  });

  it('a wrong application name longer than 128 bytes of answer: ffmpeg prints the server’s reason, not an I/O error', async () => {
    const wrong = `${origin.rtmp.replace(/\/live$/, '')}/wrongapp-with-a-long-name-0123456789012345678901234567890123456789/${keyOf('main')}`;
    const failed = await execFileAsync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-re',
      '-i',
      inFlv,
      '-t',
      '2',
      '-c',
      'copy',
      '-f',
      'flv',
      wrong,
    ]).then(
      () => null,
      (error: { stderr: string }) => error,
    );
    expect(failed?.stderr).toMatch(/Unknown application/);
    expect(failed?.stderr).not.toMatch(/Input\/output error/);
    // Our own client reads the same refusal.
    const refusal = await RtmpClient.connect(wrong.slice(0, wrong.lastIndexOf('/'))).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RtmpStatusError);
    expect((refusal as RtmpStatusError).code).toBe('NetConnection.Connect.Rejected');
  });

  it('1.3 MB of onMetaData and odd data messages: a viewer who joins gets at most 64 KiB of it, and the origin says once what it dropped', async () => {
    const publisher = await RtmpClient.connect(origin.rtmp);
    await publisher.publish(keyOf('meta'));
    // What some encoders write into a long recording's metadata: a seek index of every keyframe (~1.1 MB).
    const positions = Array.from({ length: 60_000 }, (_, i) => i * 1.5);
    const metadata = new AmfEcmaArray({
      width: 640,
      height: 360,
      framerate: 30,
      videocodecid: 7,
      audiocodecid: 10,
      keyframes: new AmfEcmaArray({ times: positions, filepositions: positions }),
      comment: 'c'.repeat(200_000),
    });
    publisher.sendMedia('data', 0, encodeAmf0(['@setDataFrame', 'onMetaData', metadata]));
    for (let i = 0; i < 4; i++) publisher.sendMedia('data', 0, encodeAmf0(['onOddData', 'x'.repeat(100_000)]));
    await publishTags(
      publisher,
      tags.filter((tag) => tag.type !== FlvTagType.script && tag.timestamp < 3000),
    );
    await waitFor(async () => (await api('meta')).video !== null, 10_000, 'the stream to carry video');
    const viewer = await rtmpViewer(origin.rtmp, 'meta');
    await waitFor(() => viewer.messages.some((message) => message.typeId === 9 && message.payload[1] === 1), 10_000, 'the first frame');
    const firstFrame = viewer.messages.findIndex((message) => message.typeId === 9 && message.payload[1] === 1);
    const dataBeforeFrame = viewer.messages.slice(0, firstFrame).filter((message) => message.typeId === 18);
    expect(dataBeforeFrame.reduce((sum, message) => sum + message.bytes, 0)).toBeLessThanOrEqual(64 * 1024);
    // The metadata, still there (trimmed), and RTMP play's own |RtmpSampleAccess.
    expect(dataBeforeFrame.map((message) => decodeAmf0(message.payload)[0])).toEqual(['|RtmpSampleAccess', 'onMetaData']);
    expect((await api('meta')).video).toMatchObject({ width: 640, height: 360 });
    viewer.client.destroy();
    publisher.destroy();
    const dropped = origin.process
      .stderr()
      .split('\n')
      .filter((line) => /metadata/i.test(line) && /drop/i.test(line));
    expect(dropped).toHaveLength(1);
  });

  it('Opus audio over Enhanced RTMP: the API shows its sample rate and channels', async () => {
    const ogg = join(work, 'tone.ogg');
    await execFileAsync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=sample_rate=48000',
      '-ac',
      '2',
      '-t',
      '1',
      '-c:a',
      'libopus',
      ogg,
    ]);
    const input = new Input({ source: new BufferSource(readFileSync(ogg)), formats: ALL_FORMATS });
    const track = (await input.getPrimaryAudioTrack())!;
    const config = (await track.getDecoderConfig())!;
    const opusHead = new Uint8Array(config.description as ArrayBuffer);
    const publisher = await RtmpClient.connect(origin.rtmp);
    await publisher.publish(keyOf('opus'));
    publisher.sendMedia('audio', 0, exAudioTagBody({ fourCc: 'Opus', packet: 'sequenceStart', data: opusHead }));
    for await (const packet of new EncodedPacketSink(track).packets())
      publisher.sendMedia(
        'audio',
        Math.round(packet.timestamp * 1000),
        exAudioTagBody({ fourCc: 'Opus', packet: 'codedFrames', data: packet.data }),
      );
    await waitFor(async () => (await api('opus')).audio !== null, 10_000, 'the audio track');
    expect((await api('opus')).audio).toMatchObject({ codec: 'opus', sampleRateHz: 48000, channels: 2 });
    publisher.destroy();
  });
});
