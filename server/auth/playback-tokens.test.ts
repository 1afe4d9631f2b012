import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtmpClient, type RtmpStatusError } from '../../net/rtmp/client.ts';
import { FlvTagType } from '../../common/media/flv.ts';
import { fixtureTags, sendTags, startTestOrigin, until, TEST_ADMIN_TOKEN, TEST_KEY, type TestOrigin } from '../testing.ts';
import { PlaybackTokens, withPlaybackToken } from './playback-tokens.ts';

const execFileAsync = promisify(execFile);

function memoryStore() {
  const settings = new Map<string, unknown>();
  return { getSetting: (key: string) => settings.get(key), setSetting: (key: string, value: unknown) => settings.set(key, value) };
}

describe('playback tokens', () => {
  it('verify for their stream until they expire, bound to an address when minted so, and refuse any change', () => {
    let nowMs = 1_700_000_000_000;
    const tokens = new PlaybackTokens(memoryStore(), undefined, () => nowMs);
    const { token } = tokens.mint('main', 60_000);
    expect(tokens.verify(token, 'main', '10.0.0.1')).toBeNull();
    expect(tokens.verify(token, 'other', '10.0.0.1')).toBe('bad signature');
    const [expiry, bound, signature] = token.split('.') as [string, string, string];
    expect(tokens.verify(`${Number(expiry) + 3600}.${bound}.${signature}`, 'main', '')).toBe('bad signature');
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect(tokens.verify(`${expiry}.${bound}.${flipped}`, 'main', '')).toBe('bad signature');
    expect(tokens.verify('not-a-token', 'main', '')).toBe('malformed');
    const forOne = tokens.mint('main', 60_000, '192.0.2.7').token;
    expect(tokens.verify(forOne, 'main', '::ffff:192.0.2.7')).toBeNull();
    expect(tokens.verify(forOne, 'main', '192.0.2.8')).toBe('bad signature');
    nowMs += 61_000;
    expect(tokens.verify(token, 'main', '')).toBe('expired');
  });

  it('keeps tokens of the previous secret valid through one rotation, not two', () => {
    const store = memoryStore();
    const tokens = new PlaybackTokens(store);
    const before = tokens.mint('main', 60_000).token;
    tokens.rotate();
    expect(tokens.verify(before, 'main', '')).toBeNull();
    // A restart reads the same secrets back.
    expect(new PlaybackTokens(store).verify(before, 'main', '')).toBeNull();
    tokens.rotate();
    expect(tokens.verify(before, 'main', '')).toBe('bad signature');
  });

  it('accepts tokens of configured secrets (origins behind one CDN share them), which the API cannot rotate', () => {
    const a = new PlaybackTokens(memoryStore(), { current: 'x'.repeat(32), previous: 'y'.repeat(32) });
    const b = new PlaybackTokens(memoryStore(), { current: 'y'.repeat(32) });
    expect(a.verify(b.mint('main', 1000).token, 'main', '')).toBeNull();
    expect(a.rotatable).toBe(false);
  });

  it('puts the token into every URI of a playlist', () => {
    const text =
      '#EXTM3U\n#EXT-X-MAP:URI="init-a-1.mp4"\n#EXT-X-PART:DURATION=0.2,URI="part-a-0-0.m4s"\nseg-a-0.m4s\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part-a-1-0.m4s"\n';
    expect(withPlaybackToken(text, '1.0.abc')).toBe(
      '#EXTM3U\n#EXT-X-MAP:URI="init-a-1.mp4?token=1.0.abc"\n#EXT-X-PART:DURATION=0.2,URI="part-a-0-0.m4s?token=1.0.abc"\nseg-a-0.m4s?token=1.0.abc\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part-a-1-0.m4s?token=1.0.abc"\n',
    );
  });
});

describe('a stream that requires signed playback links', () => {
  let origin: TestOrigin;
  let publisher: RtmpClient;
  let publishing = true;
  const api = async (path: string, body: unknown, method = 'POST') => {
    const response = await fetch(`${origin.urls.http}api/v1/${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    origin = await startTestOrigin({ hls: { segmentDurationMs: 500, partDurationMs: 100 } });
    publisher = await RtmpClient.connect(origin.urls.rtmp);
    await publisher.publish(TEST_KEY);
    // The fixture, looped at its own pace for as long as the tests run.
    const tags = fixtureTags();
    await sendTags(publisher, tags, 0, 33);
    void (async () => {
      const media = tags.filter((tag) => tag.type !== FlvTagType.script && tag.payload[1] !== 0);
      for (let loop = 1; publishing; loop++) await sendTags(publisher, media, loop * 500, 33);
    })();
    expect((await api('streams/main/playback-policy', { requireToken: true }, 'PUT')).status).toBe(200);
    await until(async () => (await fetch(`${origin.urls.http}live/main/index.m3u8`)).status === 403, 10_000, 'the policy');
  });

  afterAll(async () => {
    publishing = false;
    await publisher?.close();
    await origin?.close();
  });

  it('plays with a minted link: the playlist carries the token into every URI, and each of them answers', async () => {
    const minted = await api('streams/main/playback-tokens', { ttlSeconds: 600 });
    expect(minted.status).toBe(201);
    const urls = minted.body.urls as Record<string, string>;
    const playlist = await (await fetch(urls.hls!)).text();
    const uris = [...playlist.matchAll(/URI="([^"]+)"/g)]
      .map((match) => match[1]!)
      .concat(playlist.split('\n').filter((line) => line && !line.startsWith('#')));
    expect(uris.length).toBeGreaterThan(2);
    for (const uri of uris.filter((uri) => !uri.includes('PRELOAD'))) {
      expect(uri).toContain(`?token=${encodeURIComponent(minted.body.token as string)}`);
    }
    const segment = uris.find((uri) => uri.startsWith('seg-'))!;
    expect(await fetch(new URL(segment, urls.hls)).then((response) => response.status)).toBe(200);
    // ffprobe reads HTTP-FLV with the token, and an RTMP player plays with it in the query string.
    const { stdout } = await execFileAsync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', urls.flv!], {
      timeout: 20_000,
    });
    expect(stdout.trim().split('\n').sort()).toEqual(['aac', 'h264']);
    expect((await fetch(urls.flv!, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(urls.hls!, { method: 'HEAD' })).status).toBe(200);
    const viewer = await RtmpClient.connect(origin.urls.rtmp);
    await viewer.play(urls.rtmp!.slice(urls.rtmp!.lastIndexOf('/') + 1));
    await viewer.close();
  });

  it('refuses missing, expired, tampered and wrong-stream tokens on every path (403, RTMP NetStream.Play.Failed), and logs none', async () => {
    await api('streams', { name: 'other' });
    const other = (await api('streams/other/playback-tokens', {})).body.token as string;
    const valid = (await api('streams/main/playback-tokens', {})).body.token as string;
    const [expiry, bound, signature] = valid.split('.') as [string, string, string];
    const shortLived = (await api('streams/main/playback-tokens', { ttlSeconds: 1 })).body;
    const expired = shortLived.token as string;
    await until(() => Date.now() > Date.parse(shortLived.expiresAt as string) + 100, 5000, 'the token to expire');
    const tampered = `${expiry}.${bound}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const playlist = await (await fetch(`${origin.urls.http}live/main/index.m3u8?token=${valid}`)).text();
    const segment = playlist
      .split('\n')
      .find((line) => line.startsWith('seg-'))!
      .split('?')[0]!;
    const part = /URI="(part-[^"?]+)/.exec(playlist)![1]!;
    for (const token of [undefined, expired, tampered, other]) {
      const query = token ? `?token=${token}` : '';
      for (const path of ['index.m3u8', segment, part, `index.m3u8?_HLS_msn=0`])
        expect([
          path,
          (await fetch(`${origin.urls.http}live/main/${path}${path.includes('?') ? query.replace('?', '&') : query}`)).status,
        ]).toEqual([path, 403]);
      const flv = await fetch(`${origin.urls.http}live/main.flv${query}`);
      expect(flv.status).toBe(403);
      // Nor does a HEAD (the player page's liveness probe): liveness is for valid links only.
      expect((await fetch(`${origin.urls.http}live/main.flv${query}`, { method: 'HEAD' })).status).toBe(403);
      expect((await fetch(`${origin.urls.http}live/main/index.m3u8${query}`, { method: 'HEAD' })).status).toBe(403);
      const viewer = await RtmpClient.connect(origin.urls.rtmp);
      const refusal = await viewer.play(`main${query}`).catch((error: unknown) => error);
      expect((refusal as RtmpStatusError).code).toBe('NetStream.Play.Failed');
      await viewer.close();
    }
    // A stream that requires links and is not live says 403 too, not 404, to a request without a valid one.
    expect((await api('streams/other/playback-policy', { requireToken: true }, 'PUT')).status).toBe(200);
    for (const path of ['other/index.m3u8', 'other.flv'])
      for (const method of ['GET', 'HEAD'])
        expect([path, method, (await fetch(`${origin.urls.http}live/${path}`, { method })).status]).toEqual([path, method, 403]);
    expect((await fetch(`${origin.urls.http}live/other.flv?token=${other}`, { method: 'HEAD' })).status).toBe(404);
    const log = JSON.stringify(origin.lines);
    for (const token of [valid, expired, tampered, other, signature]) expect(log).not.toContain(token);
    expect(log).toContain('playback token expired');
  });
});
