/**
 * The build, as steps shared by `npm run build`, `npm start` and `npm run studio:web`:
 * the renderer (Vite) and the Electron main and preload bundles (esbuild). `ensureBuilt`
 * rebuilds only what is older than its sources.
 */
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'esbuild';

export const root = join(import.meta.dirname, '..');
export const distDir = join(root, 'dist');

export type BuildStep = 'renderer' | 'electron';

interface StepSpec {
  /** Files and folders (relative to the project root) whose contents are this step's inputs. */
  sources: string[];
  /** A file the step writes (relative to the project root); its age tells whether the step is stale. */
  output: string;
  run(): Promise<void>;
}

const ESBUILD_NODE = { bundle: true, platform: 'node', target: 'node24', sourcemap: true, logLevel: 'warning' } as const;

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

const steps: Record<BuildStep, StepSpec> = {
  renderer: {
    sources: ['renderer', 'common', 'vite.config.ts'],
    output: join('dist', 'renderer', 'index.html'),
    async run() {
      const { build } = await import('vite');
      await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
    },
  },
  electron: {
    // server/ and net/ are inputs: the studio embeds the origin, so a changed origin means a stale main.js.
    sources: ['main', 'preload', 'common', 'native', 'net', 'server', 'package.json', 'scripts/build-steps.ts'],
    output: join('dist', 'electron', 'main.js'),
    async run() {
      const { build } = await import('esbuild');
      // Main: ESM; node_modules stay external and ship in the package (better-sqlite3 is native).
      await build({
        ...ESBUILD_NODE,
        entryPoints: [join(root, 'main', 'electron', 'main.ts')],
        outfile: join(distDir, 'electron', 'main.js'),
        format: 'esm',
        packages: 'external',
      });
      await buildPreload();
      cpSync(join(root, 'main', 'services', 'migrations'), join(distDir, 'electron', 'migrations'), { recursive: true });
      // The embedded origin's player page reads its script and style next to the bundle (import.meta.dirname).
      cpSync(join(root, 'server', 'protocols', 'http', 'player'), join(distDir, 'electron', 'player'), { recursive: true });
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
