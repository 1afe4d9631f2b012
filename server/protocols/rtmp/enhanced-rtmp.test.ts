import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import { afterAll, describe, expect, it } from 'vitest';
import { exVideoTagBody, parseVideoTagHeader } from '../../../common/media/flv.ts';
import { startTestOrigin, until, TEST_ADMIN_TOKEN, TEST_KEY, type TestOrigin } from '../../testing.ts';
import { RtmpClient } from '../../../net/rtmp/client.ts';

const work = mkdtempSync(join(tmpdir(), 'tally-ertmp-'));
let origin: TestOrigin | undefined;
afterAll(async () => {
  await origin?.close();
  rmSync(work, { recursive: true, force: true });
});

/** H.265 frames as an Enhanced RTMP publisher sends them: x265 output, demuxed from MP4 by mediabunny. */
async function hevcFrames(): Promise<{ config: Uint8Array; frames: { data: Uint8Array; key: boolean; timestampMs: number }[] }> {
  const file = join(work, 'hevc.mp4');
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30', '-frames:v', '40'],
    ...['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=none:bframes=0:keyint=20', '-tag:v', 'hvc1', file],
  ]);
  const input = new Input({ source: new BufferSource(readFileSync(file)), formats: ALL_FORMATS });
  const track = (await input.getPrimaryVideoTrack())!;
  const decoderConfig = (await track.getDecoderConfig())!;
  const frames: { data: Uint8Array; key: boolean; timestampMs: number }[] = [];
  for await (const packet of new EncodedPacketSink(track).packets())
    frames.push({ data: packet.data, key: packet.type === 'key', timestampMs: Math.round(packet.timestamp * 1000) });
  return { config: new Uint8Array(decoderConfig.description as ArrayBuffer), frames };
}

describe('Enhanced RTMP', () => {
  it('relays HEVC (FourCC hvc1) to RTMP viewers and packages it into HLS that ffprobe reads', async () => {
    origin = await startTestOrigin({ hls: { segmentDurationMs: 500 } });
    const { config, frames } = await hevcFrames();
    const viewer = await RtmpClient.connect(origin.urls.rtmp);
    const received: Uint8Array[] = [];
    viewer.onMedia = (message) => {
      if (message.typeId === 9) received.push(message.payload.slice());
    };
    await viewer.play('main');
    const publisher = await RtmpClient.connect(origin.urls.rtmp);
    await publisher.publish(TEST_KEY);
    publisher.sendMedia('video', 0, exVideoTagBody({ fourCc: 'hvc1', keyframe: true, packet: 'sequenceStart', data: config }));
    for (const frame of frames)
      publisher.sendMedia(
        'video',
        frame.timestampMs,
        exVideoTagBody({ fourCc: 'hvc1', keyframe: frame.key, packet: 'codedFrames', data: frame.data }),
      );
    await until(() => received.length === frames.length + 1, 5000, 'every frame at the viewer');
    expect(received.map((payload) => parseVideoTagHeader(payload).codec)).toEqual(Array(frames.length + 1).fill('hevc'));

    const api = (await (
      await fetch(`${origin.urls.http}api/v1/streams/main`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })
    ).json()) as {
      video: { codec: string; codecString: string; width: number; height: number };
    };
    expect(api.video).toMatchObject({ codec: 'hevc', width: 320, height: 180 });
    expect(api.video.codecString).toMatch(/^hvc1\.1\.6\.L\d+\.90$/);

    await publisher.close();
    const playlist = await (await fetch(`${origin.urls.http}live/main/index.m3u8`)).text();
    const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(playlist)![1]!;
    const segments = playlist.split('\n').filter((line) => line.endsWith('.m4s'));
    const bytes = await Promise.all(
      [init, ...segments].map(async (name) => Buffer.from(await (await fetch(`${origin!.urls.http}live/main/${name}`)).arrayBuffer())),
    );
    const file = join(work, 'hls.mp4');
    writeFileSync(file, Buffer.concat(bytes));
    const probe = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-count_packets', '-show_streams', '-of', 'json', file], { encoding: 'utf8' }),
    ) as { streams: { codec_name: string; width: number; height: number; nb_read_packets: string }[] };
    expect(probe.streams[0]).toMatchObject({ codec_name: 'hevc', width: 320, height: 180, nb_read_packets: String(frames.length) });
    viewer.destroy();
  });
});
