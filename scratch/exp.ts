import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../main/services/store.ts';
const dir = process.env.DIR ?? mkdtempSync(join(tmpdir(), 'exp-'));
const store = new Store({ dataDir: dir });
const db = store.db;
if ((db.prepare('select count(*) n from library_items').get() as any).n === 0) {
  const WORDS = 'concert night stream podcast interview gaming tutorial live session morning evening highlights recap keynote rehearsal backstage studio guest music talk show weekly episode finale premiere travel cooking review unboxing speedrun charity festival workshop lecture panel launch update preview trailer montage vlog coffee sunset city mountain river garden'.split(' ');
  let s = 1; const r = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const pick = (l: string[]) => l[Math.floor(r() * l.length)]!;
  const ins = db.prepare(`INSERT INTO library_items (path,size_bytes,mtime_ms,content_hash,kind,created_at,imported_at,title,tags,notes) VALUES ('p',1,0,'h','video',?,?,?,?,?)`);
  db.transaction(() => { for (let n = 0; n < 100000; n++) { const c = Math.floor(r() * 1e11); ins.run(c, c, `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${n}`, JSON.stringify([pick(['live','music','talk','gaming','sponsor'])]), r() < 0.3 ? Array.from({length: 10}, () => pick(WORDS)).join(' ') : ''); } })();
  db.exec("INSERT INTO library_fts(library_fts) VALUES('optimize'); ANALYZE;");
  console.log('filled', dir);
}
const t = (name: string, sql: string, ...args: unknown[]) => {
  const st = db.prepare(sql); st.all(...args);
  const t0 = performance.now(); for (let i = 0; i < 5; i++) st.all(...args); console.log(name, ((performance.now() - t0) / 5).toFixed(1), 'ms');
};
const q = '"co"*'; const tq = '{title} : ("co"*)';
t('count match', `SELECT count(*) FROM library_fts WHERE library_fts MATCH ?`, q);
t('count match join', `SELECT count(*) FROM library_fts f JOIN library_items i ON i.id=f.rowid WHERE library_fts MATCH ? AND i.trashed_at IS NULL`, q);
t('rowids', `SELECT rowid FROM library_fts WHERE library_fts MATCH ?`, q);
t('order bm25 limit', `SELECT rowid FROM library_fts WHERE library_fts MATCH ? ORDER BY bm25(library_fts,10,4,1) LIMIT 60`, q);
t('order rank limit', `SELECT rowid FROM library_fts WHERE library_fts MATCH ? ORDER BY rank LIMIT 60`, q);
t('title in', `SELECT rowid FROM library_fts WHERE library_fts MATCH ? ORDER BY (rowid IN (SELECT rowid FROM library_fts WHERE library_fts MATCH ?)) DESC, bm25(library_fts,10,4,1) LIMIT 60`, q, tq);
t('full', `SELECT i.* FROM library_fts f JOIN library_items i ON i.id = f.rowid WHERE library_fts MATCH ? AND i.trashed_at IS NULL ORDER BY (f.rowid IN (SELECT rowid FROM library_fts WHERE library_fts MATCH ?)) DESC, bm25(library_fts, 10.0, 4.0, 1.0), i.id DESC LIMIT 60`, q, tq);
t('title only count', `SELECT count(*) FROM library_fts WHERE library_fts MATCH ?`, tq);
t('title order created', `SELECT i.id FROM library_fts f JOIN library_items i ON i.id=f.rowid WHERE library_fts MATCH ? ORDER BY i.created_at DESC LIMIT 60`, tq);
const all = '"co"*', notTitle = '("co"*) NOT ({title} : ("co"*))';
t('group title', `SELECT rowid FROM library_fts WHERE library_fts MATCH ? ORDER BY bm25(library_fts,10,4,1) LIMIT 60`, tq);
t('group rest', `SELECT rowid FROM library_fts WHERE library_fts MATCH ? ORDER BY bm25(library_fts,10,4,1) LIMIT 60`, notTitle);
t('count rest', `SELECT count(*) FROM library_fts WHERE library_fts MATCH ?`, notTitle);
t('count minus trashed', `SELECT (SELECT count(*) FROM library_fts WHERE library_fts MATCH @q) - (SELECT count(*) FROM library_fts WHERE library_fts MATCH @q AND rowid IN (SELECT id FROM library_items WHERE trashed_at IS NOT NULL))`, { q: all });
t('group title join filter', `SELECT i.id FROM library_fts f JOIN library_items i ON i.id=f.rowid WHERE library_fts MATCH ? AND i.trashed_at IS NULL AND i.kind IN ('video') ORDER BY bm25(library_fts,10,4,1) LIMIT 60`, tq);
