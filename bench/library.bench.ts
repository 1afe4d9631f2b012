/**
 * `npm run bench:library`: the content library at 10,000 and 100,000 items. Measures what a
 * user waits for, through the host contract as the renderer calls it (argument and result
 * validation, the page's files checked on disk): the first page of the library (60 items,
 * newest first), the same page filtered by type and tag and sorted by name, and full-text
 * prefix searches. The peer, measured on the same database in the same run, is the search a
 * library without a full-text index would do: `LIKE '%word%'` over title, tags and notes (its
 * first word only, so it does less than the search); the ratio compares SQL with SQL.
 * Target: under 50 ms at 10,000 items for the first page and for search.
 *
 * `BENCH_SIZES=10000,100000` and `BENCH_RUNS=40` set the run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libraryService } from '../common/host/library-contract.ts';
import { channelOf } from '../common/host/contract-kit.ts';
import { HostRouter } from '../common/host/router.ts';
import { Library } from '../main/services/library/library.ts';
import { webLibraryShell } from '../main/services/library/shell.ts';
import { silentLogger } from '../main/services/logger.ts';
import { Store } from '../main/services/store.ts';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const TARGET_MS = 50;

const WORDS = (
  'concert night stream podcast interview gaming tutorial live session morning evening highlights recap keynote rehearsal ' +
  'backstage studio guest music talk show weekly episode finale premiere travel cooking review unboxing speedrun charity ' +
  'festival workshop lecture panel launch update preview trailer montage vlog coffee sunset city mountain river garden'
).split(' ');
const TAGS = ['live', 'music', 'talk', 'gaming', 'best', 'archive', 'clip', 'sponsor', 'raw', 'edited', 'interview', 'travel'];
const KINDS = ['video', 'recording', 'audio', 'image', 'screenshot'] as const;

/** A seeded generator, so every run fills the library alike. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function fill(store: Store, count: number, realFile: string): void {
  const next = random(count);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const insert = store.db.prepare(
    `INSERT INTO library_items (path, size_bytes, mtime_ms, content_hash, kind, container, duration_ms, video_codec, audio_codec,
       width, height, fps, audio_channels, audio_sample_rate, created_at, imported_at, title, tags, notes)
     VALUES (?, ?, 0, ?, ?, 'mov,mp4,m4a,3gp,3g2,mj2', ?, 'h264', 'aac', 1920, 1080, 30, 2, 48000, ?, ?, ?, ?, ?)`,
  );
  const start = Date.UTC(2020, 0, 1);
  store.db.transaction(() => {
    for (let n = 0; n < count; n++) {
      const tags = [...new Set(Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(TAGS)))];
      const createdAt = start + Math.floor(next() * 5 * 365 * 86_400_000);
      insert.run(
        realFile,
        Math.floor(next() * 4e9),
        `hash-${count}-${n}`,
        pick(KINDS),
        Math.floor(next() * 7_200_000),
        createdAt,
        createdAt,
        `${words(2 + Math.floor(next() * 3))} ${n}`,
        JSON.stringify(tags),
        next() < 0.3 ? words(5 + Math.floor(next() * 20)) : '',
      );
    }
  })();
}

function time(runs: number, work: () => unknown): Promise<number[]> {
  return (async () => {
    for (let warm = 0; warm < 3; warm++) await work();
    const samples: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      await work();
      samples.push(performance.now() - started);
    }
    return samples.sort((a, b) => a - b);
  })();
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

const scratch = mkdtempSync(join(tmpdir(), 'tally-bench-library-'));
const rows: Record<string, string | number>[] = [];
const verdicts: string[] = [];
try {
  for (const size of SIZES) {
    const dataDir = join(scratch, String(size));
    mkdirSync(dataDir, { recursive: true });
    const realFile = join(dataDir, 'media.mp4');
    writeFileSync(realFile, 'x');
    const store = new Store({ dataDir });
    const fillStarted = performance.now();
    fill(store, size, realFile);
    store.db.exec("INSERT INTO library_fts (library_fts) VALUES ('optimize'); ANALYZE;");
    const fillMs = performance.now() - fillStarted;
    const library = new Library({
      db: store.db,
      dataDir,
      tools: () => ({ ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' }),
      shell: webLibraryShell(dataDir),
      events: { itemsChanged: () => {}, jobUpdated: () => {} },
      log: silentLogger,
    });
    const router = new HostRouter({ library: libraryService }, { library: library.service }, () => {});
    const invoke = async (entry: 'list' | 'search', query: object) => {
      const outcome = await router.invoke(channelOf('library', entry), [query]);
      if (!outcome.ok) throw new Error(outcome.error.message);
      return outcome.value as { items: unknown[]; total: number };
    };
    const naive = store.db.prepare(
      `SELECT * FROM library_items WHERE trashed_at IS NULL AND (title LIKE @like OR tags LIKE @like OR notes LIKE @like)
       ORDER BY created_at DESC LIMIT 60`,
    );
    const naiveCount = store.db.prepare(
      'SELECT COUNT(*) AS n FROM library_items WHERE trashed_at IS NULL AND (title LIKE @like OR tags LIKE @like OR notes LIKE @like)',
    );

    const cases: { name: string; run: () => Promise<unknown>; sql?: () => unknown; peer?: () => unknown }[] = [
      { name: 'first page (60, newest first)', run: () => invoke('list', {}) },
      {
        name: 'page: type + tag filter, by name',
        run: () => invoke('list', { kinds: ['video', 'recording'], tags: ['live'], sort: 'title', direction: 'asc' }),
      },
      { name: 'page 100 (offset 5,940)', run: () => invoke('list', { offset: 5940 }) },
    ];
    for (const text of ['co', 'conc', 'concert night', 'keynote rehears', 'sponsor']) {
      const like = `%${text.split(' ')[0]}%`;
      cases.push({
        name: `search "${text}"`,
        run: () => invoke('search', { text }),
        sql: () => library.index.search({ text }),
        peer: () => [naive.all({ like }), naiveCount.get({ like })],
      });
    }
    for (const testCase of cases) {
      const samples = await time(RUNS, testCase.run);
      const sql = testCase.sql ? await time(RUNS, testCase.sql) : null;
      const peer = testCase.peer ? await time(RUNS, testCase.peer) : null;
      rows.push({
        items: size,
        operation: testCase.name,
        'p50 ms': percentile(samples, 0.5).toFixed(2),
        'p95 ms': percentile(samples, 0.95).toFixed(2),
        'FTS SQL p50': sql ? percentile(sql, 0.5).toFixed(2) : '',
        'LIKE SQL p50': peer ? percentile(peer, 0.5).toFixed(2) : '',
        'LIKE / FTS': sql && peer ? (percentile(peer, 0.5) / percentile(sql, 0.5)).toFixed(1) : '',
      });
      if (size === 10_000 && (testCase.name.startsWith('first page') || testCase.name.startsWith('search'))) {
        verdicts.push(
          `${testCase.name}: p95 ${percentile(samples, 0.95).toFixed(1)} ms ${percentile(samples, 0.95) < TARGET_MS ? '<' : '>='} ${TARGET_MS} ms`,
        );
      }
    }
    const sample = await invoke('search', { text: 'conc' });
    console.log(`${size} items: filled in ${(fillMs / 1000).toFixed(1)} s; "conc" matches ${sample.total}`);
    await library.dispose();
    store.dispose();
  }
  console.log(
    'p50/p95: through the host contract (validation + disk check of the page), 60 items a page. ' +
      'FTS SQL: the same search, SQL only. LIKE SQL: the peer, a LIKE scan of the same table for the first word.',
  );
  console.table(rows);
  if (verdicts.length) {
    const met = verdicts.every((line) => line.includes(' < '));
    console.log(`Target at 10,000 items (p95 under ${TARGET_MS} ms): ${met ? 'met' : 'NOT met'}`);
    for (const line of verdicts) console.log(`  ${line}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
