/**
 * Screen capture in Electron: desktopCapturer lists screens and windows for the host contract
 * (`capture.listScreenSources()`), and the display-media handler answers the studio page's
 * `getDisplayMedia()` with the screen or window the user picks in the studio's picker. Other
 * origins and subframes get nothing. Typed narrowly so both run in unit tests without Electron.
 *
 * Electron 45 (docs/api/session.md, setDisplayMediaRequestHandler): the request carries
 * `securityOrigin` and `frame` (null once the frame navigated or was destroyed); calling
 * back with `null` refuses; `audio: 'loopback'` captures system audio "currently only
 * supported on Windows".
 */
import type { DesktopCapturer, DesktopCapturerSource, DisplayMediaRequestHandlerHandlerRequest, Streams } from 'electron';
import type { ScreenSource } from '../../common/host/contract.ts';
import type { ScreenSourceProvider } from '../services/host.ts';
import type { Logger } from '../services/logger.ts';
import { isAppUrl, isTrustedFrame } from './security.ts';

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

export type DisplayMediaRequest = Pick<DisplayMediaRequestHandlerHandlerRequest, 'audioRequested' | 'securityOrigin'> & {
  frame: { url: string; parent: unknown } | null;
};

export interface DisplayMediaHandlerOptions {
  capturer: SourceLister;
  /** Asks the user (the studio's picker) which source to share; null refuses. */
  choose(sources: ScreenSource[]): Promise<string | null>;
  log: Logger;
  platform?: NodeJS.Platform;
}

/** The handler for `session.setDisplayMediaRequestHandler`. */
export function displayMediaHandler(options: DisplayMediaHandlerOptions) {
  const platform = options.platform ?? process.platform;
  return (request: DisplayMediaRequest, callback: (streams: Streams | null) => void): void => {
    if (!isAppUrl(request.securityOrigin) || !isTrustedFrame(request.frame)) {
      options.log.warn(
        { origin: request.securityOrigin, frame: request.frame?.url ?? null },
        'getDisplayMedia from outside the studio refused',
      );
      callback(null);
      return;
    }
    const ask = async (): Promise<Streams | null> => {
      const sources = await options.capturer.getSources({ types: ['screen', 'window'], thumbnailSize: THUMBNAIL });
      const chosen = await options.choose(sources.map(toScreenSource));
      const source = sources.find((candidate) => candidate.id === chosen);
      if (!source) return null;
      // System audio (loopback) exists only on Windows; elsewhere the page mixes its own audio sources.
      const audio = request.audioRequested && platform === 'win32' ? ('loopback' as const) : undefined;
      return audio ? { video: source, audio } : { video: source };
    };
    ask().then(callback, (error: unknown) => {
      options.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'screen sources could not be listed');
      callback(null);
    });
  };
}
