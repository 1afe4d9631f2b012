import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSqlite } from '../../../native/sqlite.ts';
import { openTestLibrary } from './testing.ts';
import { makeSounds } from './testing-media.ts';

const FILES = 200;
const scratch = mkdtempSync(join(tmpdir(), 'tally-library-crash-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a crash during a large import', () => {
  it('loses nothing acknowledged after kill -9: every added item is there, and the rest imports at the next start', async () => {
    const folder = join(scratch, 'takes');
    const dataDir = join(scratch, 'data');
    await makeSounds(folder, FILES);

    const child = spawn(process.execPath, [join(import.meta.dirname, 'testing-import-child.ts'), dataDir, folder], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const added = new Map<number, string>();
    let queued = -1;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const [word, id, ...path] = line.split(' ');
        if (word === 'QUEUED') queued = Number(id);
        if (word === 'ADDED') added.set(Number(id), path.join(' '));
        // Kill it once the import is acknowledged and well under way, not finished.
        if (queued > 0 && added.size >= 10) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the import process ended early (${code}): ${stderr}`)));
    });
    child.kill('SIGKILL');
    await exited;
    expect(queued).toBe(FILES);

    // The database file is sound, and every item the process announced is in it.
    const db = new (loadSqlite())(join(dataDir, 'tally.db'));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db.prepare<[], { id: number; path: string }>('SELECT id, path FROM library_items').all();
      const stored = new Map(rows.map((row) => [row.id, row.path]));
      for (const [id, path] of added) expect(stored.get(id)).toBe(path);
      // Every acknowledged file is either an item or still queued: none fell between the two.
      const left = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM library_import_queue').get()!.n;
      const paths = new Set([
        ...rows.map((row) => row.path),
        ...db
          .prepare<[], { path: string }>('SELECT path FROM library_import_queue')
          .all()
          .map((row) => row.path),
      ]);
      expect(paths.size).toBe(FILES);
      console.log(`killed with ${rows.length} imported and ${left} queued`);
    } finally {
      db.close();
    }

    // The next start resumes the queue and finishes, without duplicates.
    const restarted = openTestLibrary({}, dataDir);
    try {
      const resumed = restarted.jobs.find((job) => job.message.startsWith('Resuming an import'));
      if (resumed) expect((await restarted.jobEnd(resumed.id, 90_000)).state).toBe('done');
      const page = await restarted.api.list({ limit: 500 });
      expect(page.total).toBe(FILES);
      expect(new Set(page.items.map((item) => item.path)).size).toBe(FILES);
      expect(restarted.library.index.queued()).toEqual([]);
    } finally {
      await restarted.close();
    }
  }, 120_000);
});
