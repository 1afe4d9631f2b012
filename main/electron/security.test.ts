import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  hardenWebContents,
  isPermissionAllowed,
  isTrustedFrame,
  permissionCheckHandler,
  permissionRequestHandler,
  secureWebPreferences,
  type HardenableContents,
} from './security.ts';

describe('Electron security settings (checked without the Electron binary)', () => {
  it('every studio window is isolated, sandboxed and has no Node', () => {
    const prefs = secureWebPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('keeps the frame loop running when the window is hidden (a live stream must not drop to 1 fps)', () => {
    expect(secureWebPreferences('/app/preload.cjs').backgroundThrottling).toBe(false);
  });

  it('only the top frame of the app origin is a trusted sender', () => {
    expect(isTrustedFrame({ url: `${APP_ORIGIN}/index.html`, parent: null })).toBe(true);
    expect(isTrustedFrame({ url: `${APP_ORIGIN}/index.html`, parent: {} })).toBe(false);
    expect(isTrustedFrame({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedFrame({ url: 'tally://app.evil.example/', parent: null })).toBe(false);
    expect(isTrustedFrame({ url: 'file:///etc/passwd', parent: null })).toBe(false);
    expect(isTrustedFrame({ url: 'not a url', parent: null })).toBe(false);
    expect(isTrustedFrame(null)).toBe(false);
  });

  it('grants capture permissions to the studio only, and nothing unexpected to anyone', () => {
    expect(isPermissionAllowed('media', `${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isPermissionAllowed('display-capture', APP_ORIGIN)).toBe(true);
    expect(isPermissionAllowed('media', 'https://evil.example/')).toBe(false);
    expect(isPermissionAllowed('geolocation', APP_ORIGIN)).toBe(false);
    expect(isPermissionAllowed('openExternal', APP_ORIGIN)).toBe(false);
  });

  it('judges a permission request by its requestingUrl, not the WebContents URL (fake session handler calls)', () => {
    const studioContents = { getURL: () => `${APP_ORIGIN}/index.html` };
    const ask = (permission: string, details: { requestingUrl: string; isMainFrame: boolean }) => {
      let granted: boolean | undefined;
      permissionRequestHandler(studioContents, permission, (answer) => (granted = answer), details);
      return granted;
    };
    expect(ask('media', { requestingUrl: `${APP_ORIGIN}/index.html`, isMainFrame: true })).toBe(true);
    // The page is the studio, but the request comes from an embedded frame of another origin.
    expect(ask('media', { requestingUrl: 'https://evil.example/frame.html', isMainFrame: false })).toBe(false);
    expect(ask('media', { requestingUrl: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(ask('display-capture', { requestingUrl: `${APP_ORIGIN}/index.html`, isMainFrame: false })).toBe(false);
    expect(ask('geolocation', { requestingUrl: `${APP_ORIGIN}/index.html`, isMainFrame: true })).toBe(false);

    expect(permissionCheckHandler(studioContents, 'media', APP_ORIGIN, { requestingUrl: `${APP_ORIGIN}/`, isMainFrame: true })).toBe(true);
    expect(permissionCheckHandler(studioContents, 'media', 'https://evil.example', { isMainFrame: true })).toBe(false);
    expect(permissionCheckHandler(null, 'media', APP_ORIGIN, { requestingUrl: 'https://evil.example/', isMainFrame: true })).toBe(false);
  });

  it('denies window.open, navigation away from the app and webviews', () => {
    const handlers = new Map<string, (event: { preventDefault(): void; prevented?: boolean }, url?: string) => void>();
    let openHandler: ((details: unknown) => unknown) | undefined;
    const contents = {
      setWindowOpenHandler: (handler: (details: unknown) => unknown) => (openHandler = handler),
      on: (name: string, handler: never) => handlers.set(name, handler),
    } as unknown as HardenableContents;
    hardenWebContents(contents);

    expect(openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const navigate = (kind: string, url: string) => {
      const event = {
        prevented: false,
        preventDefault() {
          this.prevented = true;
        },
      };
      handlers.get(kind)!(event, url);
      return event.prevented;
    };
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(navigate('will-navigate', `${APP_ORIGIN}/index.html`)).toBe(false);
    expect(navigate('will-attach-webview', 'https://x/')).toBe(true);
  });
});
