import { Store } from '../main/services/store.ts';
const store = new Store({ dataDir: '/tmp/lt/exp100k' });
const db = store.db;
db.exec("UPDATE library_items SET kind = CASE id % 5 WHEN 0 THEN 'video' WHEN 1 THEN 'recording' WHEN 2 THEN 'audio' WHEN 3 THEN 'image' ELSE 'screenshot' END WHERE id % 7 = 0 OR 1; ANALYZE;");
const t = (name: string, sql: string, ...args: unknown[]) => {
  const st = db.prepare(sql); st.all(...args);
  const t0 = performance.now(); for (let i = 0; i < 5; i++) st.all(...args); console.log(name, ((performance.now() - t0) / 5).toFixed(1), 'ms');
  console.log('   ', db.prepare('EXPLAIN QUERY PLAN ' + sql).all(...args).map((r: any) => r.detail).join(' | '));
};
t('page', `SELECT * FROM library_items i WHERE i.trashed_at IS NULL AND i.kind IN ('video','recording') AND i.id IN (SELECT item_id FROM library_tags WHERE tag = 'live') ORDER BY title COLLATE NOCASE ASC, id ASC LIMIT 60`);
t('count in', `SELECT count(*) FROM library_items i WHERE i.trashed_at IS NULL AND i.kind IN ('video','recording') AND i.id IN (SELECT item_id FROM library_tags WHERE tag = 'live')`);
t('count exists', `SELECT count(*) FROM library_items i WHERE i.trashed_at IS NULL AND i.kind IN ('video','recording') AND EXISTS (SELECT 1 FROM library_tags t WHERE t.item_id = i.id AND t.tag = 'live')`);
t('count plain', `SELECT count(*) FROM library_items i WHERE i.trashed_at IS NULL`);
t('count kind', `SELECT count(*) FROM library_items i WHERE i.trashed_at IS NULL AND i.kind IN ('video','recording')`);
