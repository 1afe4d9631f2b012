/**
 * The studio's `tally.db` and the origin's `origin.db` each migrate from their own numbered SQL
 * folder, wherever the code runs: from the sources, from the origin's bin bundle
 * (`dist/origin`), and from one main-process bundle that holds both stores, as the Electron
 * build does (`dist/electron`, once the studio embeds its origin). A shared folder name would
 * give one database the other's tables.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { startOrigin as startOriginFromSources } from '../server/index.ts';
import { bundleMainProcess, copyMainProcessAssets, distDir, ensureBuilt, root } from './build-steps.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-migrations-'));
const cleanups: string[] = [scratch];
afterAll(() => {
  for (const path of cleanups) rmSync(path, { recursive: true, force: true });
});

function tablesOf(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    return rows.map((row) => row.name).filter((name) => !/^sqlite_|^schema_migrations$|_fts/.test(name));
  } finally {
    db.close();
  }
}

/** What each database holds when it was migrated from its own folder. */
function expectOwnTables(dataDir: string, which: { studio: boolean }) {
  const origin = tablesOf(join(dataDir, 'origin.db'));
  expect(origin).toEqual(['settings', 'streams']);
  if (which.studio) {
    const studio = tablesOf(join(dataDir, 'tally.db'));
    expect(studio).toEqual(expect.arrayContaining(['settings', 'scene_collections', 'library_items']));
    expect(studio).not.toContain('streams');
  }
}

/** A module that opens both stores in one data directory, bundled or not. */
const PROBE = `
import { Store } from ${JSON.stringify(join(root, 'main', 'services', 'store.ts'))};
import { OriginStore } from ${JSON.stringify(join(root, 'server', 'store', 'origin-store.ts'))};
export function openBoth(dataDir) {
  new Store({ dataDir }).dispose();
  new OriginStore(dataDir).dispose();
}
`;

describe('each database migrates from its own folder', () => {
  it('from the sources', async () => {
    const dataDir = mkdtempSync(join(scratch, 'dev-'));
    const probe = join(scratch, 'probe-dev.ts');
    writeFileSync(probe, PROBE);
    const { openBoth } = (await import(pathToFileURL(probe).href)) as { openBoth: (dir: string) => void };
    openBoth(dataDir);
    expectOwnTables(dataDir, { studio: true });
  });

  it('from the origin bin bundle (dist/origin)', async () => {
    await ensureBuilt(['origin']);
    const dataDir = mkdtempSync(join(scratch, 'origin-'));
    const { startOrigin } = (await import(pathToFileURL(join(distDir, 'origin', 'index.js')).href)) as {
      startOrigin: typeof startOriginFromSources;
    };
    const origin = await startOrigin({ dataDir, host: '127.0.0.1', rtmpPort: 0, httpPort: 0 });
    await origin.close();
    expectOwnTables(dataDir, { studio: false });
  });

  it('from one main-process bundle that holds the studio and its origin, as the Electron build lays it out', async () => {
    // Under dist/ so the bundle finds node_modules (better-sqlite3) as dist/electron/main.js does.
    const outDir = mkdtempSync(join(distDir, 'migrations-probe-'));
    cleanups.push(outDir);
    const probe = join(scratch, 'probe-bundle.ts');
    writeFileSync(probe, PROBE);
    await bundleMainProcess(probe, join(outDir, 'main.js'));
    copyMainProcessAssets(outDir);
    const dataDir = mkdtempSync(join(scratch, 'electron-'));
    const { openBoth } = (await import(pathToFileURL(join(outDir, 'main.js')).href)) as { openBoth: (dir: string) => void };
    openBoth(dataDir);
    expectOwnTables(dataDir, { studio: true });
  });
});
