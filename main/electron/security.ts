/**
 * Electron's security checklist, in one place: the window's web preferences, which frames
 * count as the studio, and the handlers that deny new windows, navigation, webviews and
 * unexpected permissions. Everything here is plain data or takes narrow Electron types,
 * so it is unit-tested without the Electron binary.
 */
import type { Event, HandlerDetails, WebContents, WebPreferences } from 'electron';

/** The privileged scheme the studio renderer is served from. */
export const APP_SCHEME = 'tally';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Web preferences of every studio window: isolated, sandboxed, no Node. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // A studio keeps rendering and encoding when minimised or behind another window, as OBS does.
    backgroundThrottling: false,
  };
}

/** The parts of a frame that sender validation reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/** True only for the top frame of a studio page served from the app's own origin. */
export function isTrustedFrame(frame: FrameLike | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

/** Permissions the studio uses: capture (camera, mic, screen), fullscreen and clipboard writes for sharing links. */
const ALLOWED_PERMISSIONS = new Set(['media', 'display-capture', 'fullscreen', 'clipboard-sanitized-write']);

/** Whether a page at `requestingUrl` gets `permission`. Only the studio's own origin gets any. */
export function isPermissionAllowed(permission: string, requestingUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}

/** What Electron passes about the frame that asks (PermissionRequest / PermissionCheckHandlerHandlerDetails). */
export interface PermissionDetails {
  /** The last URL the requesting frame loaded. */
  requestingUrl?: string;
  isMainFrame: boolean;
}

/**
 * `session.setPermissionRequestHandler`: judges the frame that asks by the request's own
 * `details.requestingUrl`, never by the WebContents' URL (an iframe or a page mid-navigation
 * would borrow the studio's URL), and only the studio's main frame gets anything.
 */
export function permissionRequestHandler(
  _contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: PermissionDetails,
): void {
  callback(details.isMainFrame && isPermissionAllowed(permission, details.requestingUrl ?? ''));
}

/** `session.setPermissionCheckHandler`: the same rule for the checks most web APIs make first. */
export function permissionCheckHandler(
  _contents: unknown,
  permission: string,
  requestingOrigin: string,
  details: PermissionDetails,
): boolean {
  return details.isMainFrame && isPermissionAllowed(permission, details.requestingUrl ?? requestingOrigin);
}

/** The events `hardenWebContents` subscribes to, typed narrowly for tests. */
export type HardenableContents = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

/**
 * Denies `window.open`, every navigation away from the studio, and webviews. Called for
 * every WebContents the app creates (app `web-contents-created`).
 */
export function hardenWebContents(contents: HardenableContents): void {
  contents.setWindowOpenHandler((_details: HandlerDetails) => ({ action: 'deny' }));
  contents.on('will-navigate', (event: Event, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event: Event, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event: Event) => event.preventDefault());
}

/**
 * True for URLs of the studio's own origin. Compared by scheme and host: Chromium gives a
 * registered standard scheme a real origin, but WHATWG URL parsing elsewhere calls it opaque.
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app' && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}
