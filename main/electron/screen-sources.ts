/**
 * Screen capture in Electron: desktopCapturer lists screens and windows for the host contract
 * (`capture.listScreenSources()`), and a display-media handler lets the renderer's plain
 * `getDisplayMedia()` work too, by offering the first screen. Typed narrowly so both run in
 * unit tests without Electron.
 */
import type { DesktopCapturer, DesktopCapturerSource, DisplayMediaRequestHandlerHandlerRequest, Streams } from 'electron';
import type { ScreenSource } from '../../common/host/contract.ts';
import type { ScreenSourceProvider } from '../services/host.ts';

/** The part of desktopCapturer used here. */
export type SourceLister = Pick<DesktopCapturer, 'getSources'>;

const THUMBNAIL = { width: 320, height: 180 };

/** desktopCapturer as the host's screen-source provider. */
export function desktopCapturerProvider(capturer: SourceLister): ScreenSourceProvider {
  return {
    async list(): Promise<ScreenSource[]> {
      const sources = await capturer.getSources({ types: ['screen', 'window'], thumbnailSize: THUMBNAIL });
      return sources.map(toScreenSource);
    },
  };
}

function toScreenSource(source: DesktopCapturerSource): ScreenSource {
  const thumbnail = source.thumbnail.isEmpty() ? null : source.thumbnail.toDataURL();
  return { id: source.id, name: source.name, kind: source.id.startsWith('screen:') ? 'screen' : 'window', thumbnailDataUrl: thumbnail };
}

/**
 * The handler for `session.setDisplayMediaRequestHandler`: grants the first screen (with
 * system audio where the platform has loopback capture), or nothing when there is no screen.
 */
export function displayMediaHandler(capturer: SourceLister, platform: NodeJS.Platform = process.platform) {
  return (request: Pick<DisplayMediaRequestHandlerHandlerRequest, 'audioRequested'>, callback: (streams: Streams) => void): void => {
    capturer.getSources({ types: ['screen'], thumbnailSize: { width: 0, height: 0 } }).then(
      ([screen]) => {
        if (!screen) return callback({});
        // Loopback audio exists on Windows and (via a helper) macOS; Linux has none to give.
        const audio = request.audioRequested && platform === 'win32' ? 'loopback' : undefined;
        callback(audio ? { video: screen, audio } : { video: screen });
      },
      () => callback({}),
    );
  };
}
