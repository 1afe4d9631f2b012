import type { DesktopCapturerSource, NativeImage, Streams } from 'electron';
import { describe, expect, it } from 'vitest';
import type { ScreenSource } from '../../common/host/contract.ts';
import { captureLogger } from '../../server/log.ts';
import { desktopCapturerProvider, displayMediaHandler, type DisplayMediaRequest, type SourceLister } from './screen-sources.ts';
import { APP_ORIGIN } from './security.ts';

// Electron's binary is not installed here: desktopCapturer is faked with the shape it has.
function fakeCapturer(sources: Array<{ id: string; name: string; thumbnail: string | null }>): SourceLister & { requests: unknown[] } {
  const requests: unknown[] = [];
  return {
    requests,
    getSources: async (options) => {
      requests.push(options);
      return sources
        .filter((source) => options.types.includes(source.id.startsWith('screen:') ? 'screen' : 'window'))
        .map(
          (source) =>
            ({
              id: source.id,
              name: source.name,
              thumbnail: { isEmpty: () => source.thumbnail === null, toDataURL: () => source.thumbnail ?? '' } as unknown as NativeImage,
            }) as DesktopCapturerSource,
        );
    },
  };
}

const capturer = fakeCapturer([
  { id: 'screen:0:0', name: 'Entire screen', thumbnail: 'data:image/png;base64,AAAA' },
  { id: 'window:42:0', name: 'Slides', thumbnail: null },
]);
const studioRequest = (audioRequested = false): DisplayMediaRequest => ({
  audioRequested,
  securityOrigin: APP_ORIGIN,
  frame: { url: `${APP_ORIGIN}/index.html`, parent: null },
});

function request(handler: ReturnType<typeof displayMediaHandler>, req: DisplayMediaRequest): Promise<Streams | null> {
  return new Promise((resolve) => handler(req, resolve));
}

describe('screen sources in Electron (desktopCapturer faked: no Electron binary here)', () => {
  it('lists screens and windows with their kind and thumbnail for the host contract', async () => {
    expect(await desktopCapturerProvider(capturer).list()).toEqual([
      { id: 'screen:0:0', name: 'Entire screen', kind: 'screen', thumbnailDataUrl: 'data:image/png;base64,AAAA' },
      { id: 'window:42:0', name: 'Slides', kind: 'window', thumbnailDataUrl: null },
    ]);
  });

  it('getDisplayMedia from the studio shares what the user picked in the studio picker, a window included', async () => {
    const offered: ScreenSource[][] = [];
    const handler = displayMediaHandler({
      capturer,
      choose: async (sources) => (offered.push(sources), 'window:42:0'),
      log: captureLogger(),
      platform: 'linux',
    });
    const granted = await request(handler, studioRequest(true));
    expect(offered[0]!.map((source) => source.name)).toEqual(['Entire screen', 'Slides']);
    expect(granted?.video).toMatchObject({ id: 'window:42:0', name: 'Slides' });
    expect(granted?.audio).toBeUndefined(); // no loopback audio on Linux
  });

  it('asks for system audio only on Windows, where Electron has loopback capture', async () => {
    const handler = displayMediaHandler({ capturer, choose: async () => 'screen:0:0', log: captureLogger(), platform: 'win32' });
    expect((await request(handler, studioRequest(true)))?.audio).toBe('loopback');
    expect((await request(handler, studioRequest(false)))?.audio).toBeUndefined();
  });

  it('shares nothing when the user cancels, or names a source that was not offered', async () => {
    for (const choice of [null, 'screen:9:9']) {
      const handler = displayMediaHandler({ capturer, choose: async () => choice, log: captureLogger(), platform: 'linux' });
      expect(await request(handler, studioRequest())).toBeNull();
    }
  });

  it('refuses other origins and subframes without asking the user or listing anything (fake requests)', async () => {
    const lines = captureLogger();
    let asked = 0;
    const quiet = fakeCapturer([{ id: 'screen:0:0', name: 'Entire screen', thumbnail: null }]);
    const handler = displayMediaHandler({ capturer: quiet, choose: async () => (asked++, 'screen:0:0'), log: lines, platform: 'linux' });
    const strangers: DisplayMediaRequest[] = [
      { audioRequested: false, securityOrigin: 'https://evil.example', frame: { url: 'https://evil.example/', parent: null } },
      { audioRequested: false, securityOrigin: APP_ORIGIN, frame: { url: `${APP_ORIGIN}/index.html`, parent: {} } },
      { audioRequested: false, securityOrigin: APP_ORIGIN, frame: null },
      { audioRequested: false, securityOrigin: 'tally://app.evil.example', frame: { url: 'tally://app.evil.example/', parent: null } },
    ];
    for (const stranger of strangers) expect(await request(handler, stranger)).toBeNull();
    expect(asked).toBe(0);
    expect(quiet.requests).toHaveLength(0);
    expect(lines.lines.filter((line) => line.msg === 'getDisplayMedia from outside the studio refused')).toHaveLength(4);
  });
});
