/**
 * The build, as steps shared by `npm run build`, `npm start`, `npm run studio:web` and
 * `npm run origin`: the renderer (Vite), the Electron main and preload bundles (esbuild), and
 * the origin (esbuild: `dist/origin/cli.js`, the `tally-origin` bin, and `index.js` for
 * embedders). `ensureBuilt` rebuilds only what is older than its sources.
 */
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';

export const root = join(import.meta.dirname, '..');
export const distDir = join(root, 'dist');

export type BuildStep = 'renderer' | 'electron' | 'origin';

/**
 * How the origin's bin starts Node: a 1 MiB young generation instead of up to 16 MiB. The
 * media path makes short-lived garbage at a steady rate, so small semi-spaces collect it
 * often and cheaply and keep RSS low (bench/README.md has the figures).
 */
export const ORIGIN_SHEBANG = '#!/usr/bin/env -S node --max-semi-space-size=1';

const ESBUILD_NODE = { bundle: true, platform: 'node', target: 'node24', sourcemap: true, logLevel: 'warning' } as const;

/**
 * Files the origin reads at run time, beside whichever bundle holds it (`dist/origin`, or
 * `dist/electron` once the studio embeds it): the player's script and style, and the
 * migrations of `origin.db`. Their folder names are the origin's own, so they sit beside the
 * studio's `migrations/` without clashing.
 */
export function copyOriginAssets(outDir: string): void {
  cpSync(join(root, 'server', 'protocols', 'http', 'player'), join(outDir, 'player'), { recursive: true });
  cpSync(join(root, 'server', 'store', 'origin-migrations'), join(outDir, 'origin-migrations'), { recursive: true });
}

/**
 * Files the Electron main bundle reads at run time, beside it: the studio's migrations of
 * `tally.db` (`migrations/`) and the embedded origin's files (`copyOriginAssets`). Each store
 * resolves its own folder name next to the bundle, so neither reads the other's.
 */
export function copyMainProcessAssets(outDir: string): void {
  cpSync(join(root, 'main', 'services', 'migrations'), join(outDir, 'migrations'), { recursive: true });
  copyOriginAssets(outDir);
}

/** Bundles a main-process entry as the Electron step does: ESM, node_modules external (better-sqlite3 is native). */
export async function bundleMainProcess(entryPoint: string, outfile: string): Promise<void> {
  const { build } = await import('esbuild');
  await build({ ...ESBUILD_NODE, entryPoints: [entryPoint], outfile, format: 'esm', packages: 'external' });
}

interface StepSpec {
  /** Files and folders (relative to the project root) whose contents are this step's inputs. */
  sources: string[];
  /** A file the step writes (relative to the project root); its age tells whether the step is stale. */
  output: string;
  run(): Promise<void>;
}

/**
 * Replaces `preload/channel-manifest.ts` with the manifest it computes, as a literal: the
 * preload then bundles neither zod nor the scene schema (461 KB before, about 2 KB after).
 */
const channelManifestLiteral: Plugin = {
  name: 'tally-channel-manifest',
  setup(build) {
    build.onLoad({ filter: /[\\/]preload[\\/]channel-manifest\.ts$/ }, async () => {
      const { channelManifestOf } = await import('../common/host/channel-manifest.ts');
      const { hostContract } = await import('../common/host/contract.ts');
      return { contents: `export const CHANNEL_MANIFEST = ${JSON.stringify(channelManifestOf(hostContract))};`, loader: 'js' };
    });
  },
};

/** Bundles the sandboxed preload: one CommonJS file that may require only `electron`. */
export async function buildPreload(outfile: string = join(distDir, 'electron', 'preload.cjs')): Promise<void> {
  const { build } = await import('esbuild');
  await build({
    ...ESBUILD_NODE,
    entryPoints: [join(root, 'preload', 'preload.ts')],
    outfile,
    format: 'cjs',
    external: ['electron'],
    minify: true,
    plugins: [channelManifestLiteral],
  });
}

/**
 * Fastify's `lib/server.js` requires `node:https` and `node:http2` at load, for a server it
 * creates only with TLS; with them comes `node:tls`. An origin without a certificate (the
 * usual plain-HTTP origin behind nginx or a CDN) then holds about 3 MiB it never uses. This
 * turns both requires into lazy ones (the first property read loads the module). The build
 * fails if the lines are not there, so a fastify upgrade that moves them is noticed.
 */
const fastifyLazyTls: Plugin = {
  name: 'tally-fastify-lazy-tls',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]fastify[\\/]lib[\\/]server\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      let contents = await readFile(args.path, 'utf8');
      for (const name of ['https', 'http2']) {
        const line = `const ${name} = require('node:${name}')`;
        if (!contents.includes(line)) throw new Error(`${args.path} no longer has "${line}": update the tally-fastify-lazy-tls plugin`);
        contents = contents.replace(line, `const ${name} = new Proxy({}, { get: (_, key) => require('node:${name}')[key] })`);
      }
      return { contents, loader: 'js' };
    });
  },
};

const steps: Record<BuildStep, StepSpec> = {
  renderer: {
    sources: ['renderer', 'common', 'vite.config.ts'],
    output: join('dist', 'renderer', 'index.html'),
    async run() {
      const { build } = await import('vite');
      // Always React's production build. Vite takes NODE_ENV from the environment for the JSX transform and
      // for process.env.NODE_ENV in the bundle: started from a test run (NODE_ENV=test) it built React's
      // development build, slower, with StrictMode's double effects.
      const nodeEnv = process.env.NODE_ENV;
      process.env.NODE_ENV = 'production';
      try {
        await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
      } finally {
        if (nodeEnv === undefined) delete process.env.NODE_ENV;
        else process.env.NODE_ENV = nodeEnv;
      }
    },
  },
  electron: {
    // server/ and net/ are inputs: the studio embeds the origin, so a changed origin means a stale main.js.
    sources: ['main', 'preload', 'common', 'native', 'net', 'server', 'package.json', 'scripts/build-steps.ts'],
    output: join('dist', 'electron', 'main.js'),
    async run() {
      await bundleMainProcess(join(root, 'main', 'electron', 'main.ts'), join(distDir, 'electron', 'main.js'));
      await buildPreload();
      copyMainProcessAssets(join(distDir, 'electron'));
    },
  },
  origin: {
    sources: ['server', 'common', 'native', 'package.json', 'scripts/build-steps.ts'],
    output: join('dist', 'origin', 'cli.js'),
    async run() {
      const { build } = await import('esbuild');
      const outdir = join(distDir, 'origin');
      rmSync(outdir, { recursive: true, force: true });
      const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
      // One ESM build of both entries, shared code in chunks, lazy imports (prom-client) in their own.
      // npm packages are bundled too, without comments or whitespace: a venue's process then holds
      // one compact source instead of hundreds of files (V8 keeps every script's source in its heap).
      // hls.js and mpegts.js are served from node_modules.
      await build({
        entryPoints: { cli: join(root, 'server', 'cli.ts'), index: join(root, 'server', 'index.ts') },
        outdir,
        bundle: true,
        splitting: true,
        format: 'esm',
        platform: 'node',
        target: 'node24',
        // Native, or loaded only on demand (fastify's schema compilers and inject): left in node_modules.
        external: ['better-sqlite3', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler', 'light-my-request'],
        minifyWhitespace: true,
        minifySyntax: true,
        // Licence comments go to *.LEGAL.txt beside the chunks: one non-ASCII letter in a comment would
        // make V8 hold the whole chunk's source as UTF-16, twice its size.
        legalComments: 'external',
        sourcemap: true,
        logLevel: 'warning',
        define: { __TALLY_VERSION__: JSON.stringify(version) },
        plugins: [fastifyLazyTls],
        // Bundled CommonJS packages call require(); ESM output has none of its own.
        banner: {
          js: `${ORIGIN_SHEBANG}\nimport { createRequire as __tallyRequire } from 'node:module'; const require = __tallyRequire(import.meta.url);`,
        },
      });
      chmodSync(join(outdir, 'cli.js'), 0o755);
      copyOriginAssets(outdir);
    },
  },
};

/** The newest modification time under `path` (0 when it does not exist), skipping node_modules. */
export function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  }
  return newest;
}

/** Whether `step`'s output under `projectRoot` is missing or older than any of its inputs. */
export function isStepStale(step: BuildStep, projectRoot: string = root): boolean {
  const spec = steps[step];
  const output = join(projectRoot, spec.output);
  if (!existsSync(output)) return true;
  return statSync(output).mtimeMs < Math.max(...spec.sources.map((source) => newestMtimeMs(join(projectRoot, source))));
}

/** Runs the given steps unconditionally. */
export async function build(which: readonly BuildStep[]): Promise<void> {
  for (const step of which) await steps[step].run();
}

/** Runs each step whose output is missing or older than any of its sources. */
export async function ensureBuilt(which: readonly BuildStep[]): Promise<void> {
  for (const step of which) if (isStepStale(step)) await steps[step].run();
}
