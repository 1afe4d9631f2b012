import type { DesktopCapturerSource, NativeImage, Streams } from 'electron';
import { describe, expect, it } from 'vitest';
import { desktopCapturerProvider, displayMediaHandler, type SourceLister } from './screen-sources.ts';

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

describe('screen sources in Electron (desktopCapturer faked: no Electron binary here)', () => {
  const capturer = fakeCapturer([
    { id: 'screen:0:0', name: 'Entire screen', thumbnail: 'data:image/png;base64,AAAA' },
    { id: 'window:42:0', name: 'Slides', thumbnail: null },
  ]);

  it('lists screens and windows with their kind and thumbnail for the host contract', async () => {
    expect(await desktopCapturerProvider(capturer).list()).toEqual([
      { id: 'screen:0:0', name: 'Entire screen', kind: 'screen', thumbnailDataUrl: 'data:image/png;base64,AAAA' },
      { id: 'window:42:0', name: 'Slides', kind: 'window', thumbnailDataUrl: null },
    ]);
  });

  it('answers getDisplayMedia with the first screen, and with nothing when there is none', async () => {
    const granted = await new Promise<Streams>((resolve) => displayMediaHandler(capturer, 'linux')({ audioRequested: true }, resolve));
    expect(granted.video).toMatchObject({ id: 'screen:0:0' });
    expect(granted.audio).toBeUndefined();
    const onWindows = await new Promise<Streams>((resolve) => displayMediaHandler(capturer, 'win32')({ audioRequested: true }, resolve));
    expect(onWindows.audio).toBe('loopback');
    const none = await new Promise<Streams>((resolve) =>
      displayMediaHandler(fakeCapturer([]), 'linux')({ audioRequested: false }, resolve),
    );
    expect(none).toEqual({});
  });
});
