// @ts-check
/**
 * `tally/layering`: which top-level folder may import which, as in the architecture doc.
 * Relative imports are resolved to the folder they land in; node built-ins, electron and
 * npm packages are classified by name. One table, one rule (after VS Code's code-layering).
 */
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
/** Packages that only run under Node; web and common code must not pull them in. */
const nodeOnlyPackages = new Set([
  'ws',
  'better-sqlite3',
  'pino',
  'electron-updater',
  'electron-builder',
  'playwright-core',
  '@roamhq/wrtc',
  'werift',
  'node-media-server',
  'prom-client',
  'chokidar',
]);

/**
 * @typedef {{ folders: string[], node: boolean, electron: boolean, packages: 'any' | 'web' | string[] }} Layer
 * `folders`: project folders it may import; `node`: built-ins; `electron`: the electron module;
 * `packages`: npm packages ('web' = any that is not Node-only, or an explicit list).
 */
/** @type {Record<string, Layer>} */
export const LAYERS = {
  common: { folders: ['common'], node: false, electron: false, packages: ['zod'] },
  renderer: { folders: ['common', 'renderer'], node: false, electron: false, packages: 'web' },
  preload: { folders: ['common', 'preload'], node: false, electron: true, packages: [] },
  'main/electron': { folders: ['common', 'main', 'native', 'net', 'server'], node: true, electron: true, packages: 'any' },
  main: { folders: ['common', 'main', 'native', 'net', 'server'], node: true, electron: false, packages: 'any' },
  native: { folders: ['common', 'native'], node: true, electron: false, packages: 'any' },
  net: { folders: ['common', 'native', 'net'], node: true, electron: false, packages: 'any' },
  server: { folders: ['common', 'native', 'net', 'server'], node: true, electron: false, packages: 'any' },
  scripts: { folders: ['common', 'main', 'native', 'net', 'server', 'renderer', 'scripts'], node: true, electron: false, packages: 'any' },
  test: {
    folders: ['common', 'main', 'native', 'net', 'server', 'renderer', 'preload', 'scripts', 'test'],
    node: true,
    electron: true,
    packages: 'any',
  },
};
/** Test runners and test-only libraries every `*.test.ts` may use. */
const testPackages = new Set(['vitest', 'fast-check', 'playwright-core']);

/** The layer of a file (project-relative, `/`-separated), or null when unconstrained. */
export function layerOf(/** @type {string} */ projectPath) {
  if (projectPath.startsWith('main/electron/')) return 'main/electron';
  const top = projectPath.split('/')[0] ?? '';
  return top in LAYERS && projectPath.includes('/') ? top : null;
}

function folderOf(/** @type {string} */ projectPath) {
  return projectPath.split('/')[0] ?? '';
}

function packageName(/** @type {string} */ source) {
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? source);
}

/** @type {import('eslint').Rule.RuleModule} */
export const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep each top-level folder to the imports its layer allows (docs/architecture.md)' },
    schema: [],
    messages: {
      forbidden: '{{layer}}/ may not import {{what}} (see the folder README and docs/architecture.md).',
    },
  },
  create(context) {
    const root = context.cwd;
    const file = relative(root, context.filename).split(sep).join('/');
    const layerName = layerOf(file);
    if (!layerName) return {};
    const layer = /** @type {Layer} */ (LAYERS[layerName]);
    const isTest = /\.test\.tsx?$/.test(file);

    /** @param {import('estree').Node} node @param {string} source */
    function check(node, source) {
      /** @type {string | null} */
      let what = null;
      if (source.startsWith('.')) {
        const target = relative(root, resolve(dirname(context.filename), source))
          .split(sep)
          .join('/');
        const folder = folderOf(target);
        if (target.startsWith('..')) what = `${source} (outside the project)`;
        else if (!layer.folders.includes(folder)) what = `${folder}/ (${source})`;
      } else if (source === 'electron') {
        if (!layer.electron) what = 'electron';
      } else if (builtins.has(source)) {
        if (!layer.node && !isTest) what = `the Node built-in ${source}`;
      } else {
        const name = packageName(source);
        const allowed =
          layer.packages === 'any' ||
          (layer.packages === 'web' ? !nodeOnlyPackages.has(name) : layer.packages.includes(name)) ||
          (isTest && testPackages.has(name));
        if (!allowed) what = `the package ${name}`;
      }
      if (what) context.report({ node, messageId: 'forbidden', data: { layer: layerName ?? '', what } });
    }

    return {
      ImportDeclaration: (node) => check(node, String(node.source.value)),
      ExportNamedDeclaration: (node) => node.source && check(node, String(node.source.value)),
      ExportAllDeclaration: (node) => check(node, String(node.source.value)),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, String(node.source.value)),
    };
  },
};

export default { rules: { layering: layeringRule } };
