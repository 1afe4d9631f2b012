/**
 * The studio renderer's Content-Security-Policy, sent by both the Electron protocol handler
 * and the web host. Only the app's own scripts run; nothing is framed, posted or navigated
 * elsewhere. `blob:`/`mediastream:` are for captured media and generated images; image
 * sources fetch their `data:` or `blob:` URL (a file chosen in the studio), hence connect-src.
 */
export const STUDIO_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
