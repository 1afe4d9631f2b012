import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The studio renderer. It is served by Electron's tally:// protocol or by the web host,
// both from dist/renderer, so it uses absolute asset paths from the app root.
export default defineConfig({
  root: fileURLToPath(new URL('./renderer/', import.meta.url)),
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer/', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome140',
    sourcemap: true,
    // One chunk of ~550 KB read from disk (Electron) or loopback (the web host): splitting it
    // buys nothing, and the warning meant for sites on the internet is noise on every start.
    chunkSizeWarningLimit: 1024,
  },
  server: { host: '127.0.0.1' },
});
