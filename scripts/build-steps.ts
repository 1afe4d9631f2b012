/**
 * The build, as steps shared by `npm run build`, `npm start` and `npm run studio:web`:
 * the renderer (Vite) and the Electron main and preload bundles (esbuild). `ensureBuilt`
 * rebuilds only what is older than its sources.
 */
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..');
export const distDir = join(root, 'dist');

export type BuildStep = 'renderer' | 'electron';

interface StepSpec {
  /** Folders whose files are this step's sources. */
  sources: string[];
  /** A file the step writes; its age tells whether the step is stale. */
  output: string;
  run(): Promise<void>;
}

const steps: Record<BuildStep, StepSpec> = {
  renderer: {
    sources: ['renderer', 'common', 'vite.config.ts'],
    output: join(distDir, 'renderer', 'index.html'),
    async run() {
      const { build } = await import('vite');
      await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
    },
  },
  electron: {
    sources: ['main', 'preload', 'common', 'native', 'net', 'server'],
    output: join(distDir, 'electron', 'main.js'),
    async run() {
      const { build } = await import('esbuild');
      const common = { bundle: true, platform: 'node', target: 'node24', sourcemap: true, logLevel: 'warning' } as const;
      // Main: ESM; node_modules stay external and ship in the package (better-sqlite3 is native).
      await build({
        ...common,
        entryPoints: [join(root, 'main', 'electron', 'main.ts')],
        outfile: join(distDir, 'electron', 'main.js'),
        format: 'esm',
        packages: 'external',
      });
      // Preload: a sandboxed preload is one CommonJS file that may require only `electron`.
      await build({
        ...common,
        entryPoints: [join(root, 'preload', 'preload.ts')],
        outfile: join(distDir, 'electron', 'preload.cjs'),
        format: 'cjs',
        external: ['electron'],
        minify: true,
      });
      cpSync(join(root, 'main', 'services', 'migrations'), join(distDir, 'electron', 'migrations'), { recursive: true });
    },
  },
};

function newestMtimeMs(path: string): number {
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

/** Runs the given steps unconditionally. */
export async function build(which: readonly BuildStep[]): Promise<void> {
  for (const step of which) await steps[step].run();
}

/** Runs each step whose output is missing or older than any of its sources. */
export async function ensureBuilt(which: readonly BuildStep[]): Promise<void> {
  for (const step of which) {
    const spec = steps[step];
    const builtAt = existsSync(spec.output) ? statSync(spec.output).mtimeMs : 0;
    const sourcesAt = Math.max(...spec.sources.map((source) => newestMtimeMs(join(root, source))));
    if (builtAt < sourcesAt) await spec.run();
  }
}
