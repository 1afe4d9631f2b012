/**
 * The library's rows in SQLite (tables from `migrations/NNN_library.sql`): items, their tags,
 * the full-text index, the import queue and the watched folders. Synchronous and free of
 * files and processes, so it is the part the benchmark measures and the tests drive directly.
 */
import {
  LibraryListQuery,
  LibrarySearchQuery,
  libraryMediaPath,
  libraryThumbPath,
  type LibraryFilters,
  type LibraryItem,
  type LibraryItemKind,
  type LibraryItemPatch,
  type LibraryItemStatus,
  type LibraryPage,
} from '../../../common/host/library-contract.ts';
import type { Database } from '../../../native/sqlite.ts';
import { ftsMatchExpression } from './search-text.ts';

/**
 * What is known about a file before it is read: the studio made it (a recording or screenshot,
 * with the scene collection and destinations), or the library did (a clip or remux of an item).
 */
export interface ImportHints {
  kind?: 'recording' | 'screenshot';
  title?: string;
  tags?: string[];
  notes?: string;
  sceneCollectionId?: string | null;
  destinationIds?: string[];
  derivedFromId?: number;
}

/** What an import knows before the row exists: the file, its hash, and what ffprobe said. */
export interface NewItem {
  path: string;
  sizeBytes: number;
  mtimeMs: number;
  contentHash: string;
  kind: LibraryItemKind;
  status: LibraryItemStatus;
  error: string | null;
  media: MediaFacts;
  createdAtMs: number;
  importedAtMs: number;
  title: string;
  tags?: readonly string[];
  notes?: string;
  sceneCollectionId?: string | null;
  destinationIds?: readonly string[];
  derivedFromId?: number | null;
}

/** Media facts read by ffprobe; null where the file has no such thing. */
export interface MediaFacts {
  container: string | null;
  durationMs: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  audioChannels: number | null;
  audioSampleRate: number | null;
}

/** A row of `library_items` as stored. */
export interface ItemRow {
  id: number;
  path: string;
  size_bytes: number;
  mtime_ms: number;
  content_hash: string;
  kind: LibraryItemKind;
  status: LibraryItemStatus;
  error: string | null;
  container: string | null;
  duration_ms: number | null;
  video_codec: string | null;
  audio_codec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  audio_channels: number | null;
  audio_sample_rate: number | null;
  created_at: number;
  imported_at: number;
  title: string;
  tags: string;
  notes: string;
  scene_collection_id: string | null;
  destination_ids: string;
  derived_from_id: number | null;
  trashed_at: number | null;
  trash_token: string | null;
}

/** A file waiting in the import queue. */
export interface QueuedFile {
  id: number;
  jobId: string;
  path: string;
  hints: ImportHints | null;
}

/** What a file holds: its bytes and what they are. */
export type ItemContent = Pick<NewItem, 'sizeBytes' | 'mtimeMs' | 'contentHash' | 'kind' | 'status' | 'error' | 'media'>;

/** The columns that describe a file's content, written alike by an insert and a refresh. */
const CONTENT_COLUMNS = [
  'size_bytes',
  'mtime_ms',
  'content_hash',
  'kind',
  'status',
  'error',
  'container',
  'duration_ms',
  'video_codec',
  'audio_codec',
  'width',
  'height',
  'fps',
  'audio_channels',
  'audio_sample_rate',
] as const;

function contentValues(item: ItemContent): Record<(typeof CONTENT_COLUMNS)[number], unknown> {
  const { media } = item;
  return {
    size_bytes: item.sizeBytes,
    mtime_ms: Math.round(item.mtimeMs),
    content_hash: item.contentHash,
    kind: item.kind,
    status: item.status,
    error: item.error,
    container: media.container,
    duration_ms: media.durationMs,
    video_codec: media.videoCodec,
    audio_codec: media.audioCodec,
    width: media.width,
    height: media.height,
    fps: media.fps,
    audio_channels: media.audioChannels,
    audio_sample_rate: media.audioSampleRate,
  };
}

/** Frames in a hover strip. */
export const SPRITE_FRAMES = 10;

const SORT_COLUMNS = {
  created: 'created_at',
  imported: 'imported_at',
  title: 'title COLLATE NOCASE',
  duration: 'duration_ms',
  size: 'size_bytes',
} as const;

/** Normalises tags: trimmed, without repeats (compared without case), in the order given. */
export function normaliseTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim().replace(/\s+/g, ' ');
    const key = tag.toLowerCase();
    if (!tag || seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

/** The renderer's view of a row. */
export function toLibraryItem(row: ItemRow): LibraryItem {
  const hasPicture = row.status !== 'corrupt' && (row.kind !== 'audio' || row.audio_codec !== null);
  const moving = row.status !== 'corrupt' && row.video_codec !== null && (row.duration_ms ?? 0) > 0 && !isStill(row);
  const version = row.content_hash.slice(0, 16);
  return {
    id: row.id,
    path: row.path,
    fileName: row.path.split(/[/\\]/).pop() ?? row.path,
    sizeBytes: row.size_bytes,
    contentHash: row.content_hash,
    kind: row.kind,
    status: row.status,
    error: row.error,
    container: row.container,
    durationMs: row.duration_ms,
    videoCodec: row.video_codec,
    audioCodec: row.audio_codec,
    width: row.width,
    height: row.height,
    fps: row.fps,
    audioChannels: row.audio_channels,
    audioSampleRate: row.audio_sample_rate,
    createdAtMs: row.created_at,
    importedAtMs: row.imported_at,
    title: row.title,
    tags: JSON.parse(row.tags) as string[],
    notes: row.notes,
    sceneCollectionId: row.scene_collection_id,
    destinationIds: JSON.parse(row.destination_ids) as string[],
    derivedFromId: row.derived_from_id,
    trashedAtMs: row.trashed_at,
    mediaUrl: libraryMediaPath(row.id),
    posterUrl: hasPicture ? libraryThumbPath(row.id, 'poster', version) : null,
    spriteUrl: moving ? libraryThumbPath(row.id, 'sprite', version) : null,
    spriteFrames: moving ? SPRITE_FRAMES : 0,
  };
}

/** Images (and screenshots) are stills even when ffprobe reports a duration (a GIF's loop). */
export function isStill(row: Pick<ItemRow, 'kind'>): boolean {
  return row.kind === 'image' || row.kind === 'screenshot';
}

/** Reads and writes the library's tables. */
export class LibraryIndex {
  readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /** Inserts an item and, in the same transaction, removes its queue entry: the acknowledgement of an import. */
  insert(item: NewItem, queueId?: number): ItemRow {
    return this.db.transaction(() => {
      const result = this.db
        .prepare(
          `INSERT INTO library_items (path, ${CONTENT_COLUMNS.join(', ')}, created_at, imported_at, title, tags, notes,
             scene_collection_id, destination_ids, derived_from_id)
           VALUES (@path, ${CONTENT_COLUMNS.map((column) => `@${column}`).join(', ')}, @created_at, @imported_at, @title, @tags, @notes,
             @scene_collection_id, @destination_ids, @derived_from_id)`,
        )
        .run({
          ...contentValues(item),
          path: item.path,
          created_at: Math.round(item.createdAtMs),
          imported_at: Math.round(item.importedAtMs),
          title: item.title,
          tags: JSON.stringify(normaliseTags(item.tags ?? [])),
          notes: item.notes ?? '',
          scene_collection_id: item.sceneCollectionId ?? null,
          destination_ids: JSON.stringify(item.destinationIds ?? []),
          derived_from_id: item.derivedFromId ?? null,
        });
      if (queueId !== undefined) this.dequeue(queueId);
      return this.row(Number(result.lastInsertRowid))!;
    })();
  }

  /**
   * A file changed where it is (a watched file written again): new bytes and facts for the same
   * item, so its title, tags and notes stay. Removes its queue entry in the same transaction.
   */
  refresh(id: number, item: ItemContent, queueId?: number): ItemRow {
    return this.db.transaction(() => {
      this.db
        .prepare(`UPDATE library_items SET ${CONTENT_COLUMNS.map((column) => `${column} = @${column}`).join(', ')} WHERE id = @id`)
        .run({ ...contentValues(item), id });
      if (queueId !== undefined) this.dequeue(queueId);
      return this.row(id)!;
    })();
  }

  row(id: number): ItemRow | undefined {
    return this.db.prepare<[number], ItemRow>('SELECT * FROM library_items WHERE id = ?').get(id);
  }

  rows(ids: readonly number[]): ItemRow[] {
    if (ids.length === 0) return [];
    const found = this.db
      .prepare<number[], ItemRow>(`SELECT * FROM library_items WHERE id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids);
    const byId = new Map(found.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Items (trashed or not) holding these bytes. */
  byHash(contentHash: string): ItemRow[] {
    return this.db.prepare<[string], ItemRow>('SELECT * FROM library_items WHERE content_hash = ? ORDER BY id').all(contentHash);
  }

  /** Items (not trashed) at this path. */
  byPath(path: string): ItemRow[] {
    return this.db.prepare<[string], ItemRow>('SELECT * FROM library_items WHERE path = ? AND trashed_at IS NULL ORDER BY id').all(path);
  }

  /** A page of items, sorted, with filters. */
  list(input: LibraryListQuery): LibraryPage {
    const query = LibraryListQuery.parse(input);
    const where = filterSql(query);
    const direction = query.direction === 'asc' ? 'ASC' : 'DESC';
    const order = `${SORT_COLUMNS[query.sort]} ${direction}, id ${direction}`;
    const rows = this.db
      .prepare<unknown[], ItemRow>(`SELECT * FROM library_items i WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...where.params, query.limit, query.offset);
    const total = this.db
      .prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM library_items i WHERE ${where.sql}`)
      .get(...where.params)!.n;
    return { items: rows.map(toLibraryItem), total };
  }

  /**
   * Full-text search with prefix matching. Items whose title holds every word come first,
   * then the rest; within each group by bm25 (title weighs most, then tags, then notes).
   * The two groups are two FTS5 queries (`{title} : (...)` and `(...) NOT {title} : (...)`),
   * so bm25 runs only over the group a page comes from, and the second one only when the page
   * reaches it.
   */
  search(input: LibrarySearchQuery): LibraryPage {
    const query = LibrarySearchQuery.parse(input);
    const all = ftsMatchExpression(query.text);
    if (!all) return this.list({ ...query, sort: 'created', direction: 'desc' });
    const inTitle = ftsMatchExpression(query.text, ['title'])!;
    const elsewhere = `(${all}) NOT (${inTitle})`;
    const where = filterSql(query);
    const titleTotal = this.countMatches(inTitle, query, where);
    const items: ItemRow[] = [];
    if (query.offset < titleTotal) items.push(...this.matchPage(inTitle, where, query.limit, query.offset));
    if (items.length < query.limit) {
      items.push(...this.matchPage(elsewhere, where, query.limit - items.length, Math.max(0, query.offset - titleTotal)));
    }
    return { items: items.map(toLibraryItem), total: titleTotal + this.countMatches(elsewhere, query, where) };
  }

  private matchPage(match: string, where: { sql: string; params: unknown[] }, limit: number, offset: number): ItemRow[] {
    return this.db
      .prepare<unknown[], ItemRow>(
        `SELECT i.* FROM library_fts f JOIN library_items i ON i.id = f.rowid
         WHERE library_fts MATCH ? AND ${where.sql}
         ORDER BY bm25(library_fts, 10.0, 4.0, 1.0), i.id DESC LIMIT ? OFFSET ?`,
      )
      .all(match, ...where.params, limit, offset);
  }

  /** How many items match. Without filters FTS5 counts alone (fast), less the trashed matches. */
  private countMatches(match: string, filters: LibraryFilters, where: { sql: string; params: unknown[] }): number {
    const plain =
      !filters.trashed &&
      !filters.kinds?.length &&
      !filters.tags?.length &&
      filters.fromMs === undefined &&
      filters.toMs === undefined &&
      !filters.status;
    if (plain) {
      return this.db
        .prepare<{ match: string }, { n: number }>(
          `SELECT (SELECT COUNT(*) FROM library_fts WHERE library_fts MATCH @match)
                - (SELECT COUNT(*) FROM library_fts WHERE library_fts MATCH @match
                   AND rowid IN (SELECT id FROM library_items WHERE trashed_at IS NOT NULL)) AS n`,
        )
        .get({ match })!.n;
    }
    return this.db
      .prepare<unknown[], { n: number }>(
        `SELECT COUNT(*) AS n FROM library_fts f JOIN library_items i ON i.id = f.rowid WHERE library_fts MATCH ? AND ${where.sql}`,
      )
      .get(match, ...where.params)!.n;
  }

  /** Renames, tags, annotates. */
  update(id: number, patch: LibraryItemPatch): ItemRow | undefined {
    const sets: string[] = [];
    const params: unknown[] = [];
    if (patch.title !== undefined) {
      sets.push('title = ?');
      params.push(patch.title);
    }
    if (patch.tags !== undefined) {
      sets.push('tags = ?');
      params.push(JSON.stringify(normaliseTags(patch.tags)));
    }
    if (patch.notes !== undefined) {
      sets.push('notes = ?');
      params.push(patch.notes);
    }
    if (sets.length > 0) this.db.prepare(`UPDATE library_items SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
    return this.row(id);
  }

  /** Marks an item as made by the studio (a recording a watched folder found before the recorder said so). */
  markMade(
    id: number,
    made: { kind: 'recording' | 'screenshot'; sceneCollectionId: string | null; destinationIds: readonly string[] },
  ): ItemRow | undefined {
    this.db
      .prepare(
        'UPDATE library_items SET kind = ?, scene_collection_id = COALESCE(?, scene_collection_id), destination_ids = ? WHERE id = ?',
      )
      .run(made.kind, made.sceneCollectionId, JSON.stringify(made.destinationIds), id);
    return this.row(id);
  }

  /** Records where a file is now and whether it is readable there. */
  setLocation(
    id: number,
    location: { path?: string; status: LibraryItemStatus; error?: string | null; sizeBytes?: number; mtimeMs?: number },
  ): void {
    this.db
      .prepare(
        `UPDATE library_items SET path = COALESCE(?, path), status = ?, error = ?, size_bytes = COALESCE(?, size_bytes),
         mtime_ms = COALESCE(?, mtime_ms) WHERE id = ?`,
      )
      .run(
        location.path ?? null,
        location.status,
        location.error ?? null,
        location.sizeBytes ?? null,
        location.mtimeMs === undefined ? null : Math.round(location.mtimeMs),
        id,
      );
  }

  setTrashed(id: number, trashedAtMs: number | null, token: string | null): void {
    this.db.prepare('UPDATE library_items SET trashed_at = ?, trash_token = ? WHERE id = ?').run(trashedAtMs, token, id);
  }

  /** Forgets items for good. */
  remove(ids: readonly number[]): void {
    const statement = this.db.prepare('DELETE FROM library_items WHERE id = ?');
    this.db.transaction(() => ids.forEach((id) => statement.run(id)))();
  }

  trashedRows(): ItemRow[] {
    return this.db.prepare<[], ItemRow>('SELECT * FROM library_items WHERE trashed_at IS NOT NULL ORDER BY id').all();
  }

  /** Missing items, for a relink of every one. */
  missingRows(): ItemRow[] {
    return this.db.prepare<[], ItemRow>("SELECT * FROM library_items WHERE status = 'missing' AND trashed_at IS NULL ORDER BY id").all();
  }

  /** Items (not trashed) whose path lies under a folder, for a watched folder's start-up check. */
  rowsUnder(folder: string): ItemRow[] {
    const prefix = folder.endsWith('/') || folder.endsWith('\\') ? folder : `${folder}/`;
    return this.db
      .prepare<[number, string], ItemRow>('SELECT * FROM library_items WHERE substr(path, 1, ?) = ? AND trashed_at IS NULL ORDER BY id')
      .all(prefix.length, prefix);
  }

  listTags(): { tag: string; count: number }[] {
    return this.db
      .prepare<[], { tag: string; count: number }>(
        `SELECT MIN(t.tag) AS tag, COUNT(*) AS count FROM library_tags t JOIN library_items i ON i.id = t.item_id
         WHERE i.trashed_at IS NULL GROUP BY t.tag COLLATE NOCASE ORDER BY count DESC, tag COLLATE NOCASE LIMIT 500`,
      )
      .all();
  }

  /** Puts files in the import queue, all or none. */
  enqueue(jobId: string, files: readonly { path: string; hints?: ImportHints | null }[], nowMs: number): QueuedFile[] {
    const statement = this.db.prepare('INSERT INTO library_import_queue (job_id, path, hints, queued_at) VALUES (?, ?, ?, ?)');
    return this.db.transaction(() =>
      files.map((file) => {
        const hints = file.hints ?? null;
        const result = statement.run(jobId, file.path, hints ? JSON.stringify(hints) : null, nowMs);
        return { id: Number(result.lastInsertRowid), jobId, path: file.path, hints };
      }),
    )();
  }

  /** Everything still queued, oldest first (what a crash left behind, at start-up). */
  queued(jobId?: string): QueuedFile[] {
    type Row = { id: number; job_id: string; path: string; hints: string | null };
    const rows = jobId
      ? this.db.prepare<[string], Row>('SELECT id, job_id, path, hints FROM library_import_queue WHERE job_id = ? ORDER BY id').all(jobId)
      : this.db.prepare<[], Row>('SELECT id, job_id, path, hints FROM library_import_queue ORDER BY id').all();
    return rows.map((row) => ({
      id: row.id,
      jobId: row.job_id,
      path: row.path,
      hints: row.hints ? (JSON.parse(row.hints) as ImportHints) : null,
    }));
  }

  dequeue(queueId: number): void {
    this.db.prepare('DELETE FROM library_import_queue WHERE id = ?').run(queueId);
  }

  /** Drops what a cancelled job had left to do. */
  dropQueued(jobId: string): number {
    return this.db.prepare('DELETE FROM library_import_queue WHERE job_id = ?').run(jobId).changes;
  }

  watchedFolders(): string[] {
    return this.db
      .prepare<[], { path: string }>('SELECT path FROM library_watched_folders ORDER BY path')
      .all()
      .map((row) => row.path);
  }

  addWatchedFolder(path: string, nowMs: number): void {
    this.db.prepare('INSERT OR IGNORE INTO library_watched_folders (path, added_at) VALUES (?, ?)').run(path, nowMs);
  }

  removeWatchedFolder(path: string): void {
    this.db.prepare('DELETE FROM library_watched_folders WHERE path = ?').run(path);
  }
}

/** The WHERE clause (on alias `i`) for the filters, with its parameters. */
function filterSql(filters: LibraryFilters): { sql: string; params: unknown[] } {
  const clauses = [filters.trashed ? 'i.trashed_at IS NOT NULL' : 'i.trashed_at IS NULL'];
  const params: unknown[] = [];
  if (filters.kinds && filters.kinds.length > 0) {
    clauses.push(`i.kind IN (${filters.kinds.map(() => '?').join(',')})`);
    params.push(...filters.kinds);
  }
  for (const tag of filters.tags ?? []) {
    clauses.push('i.id IN (SELECT item_id FROM library_tags WHERE tag = ?)');
    params.push(tag.trim());
  }
  if (filters.fromMs !== undefined) {
    clauses.push('i.created_at >= ?');
    params.push(filters.fromMs);
  }
  if (filters.toMs !== undefined) {
    clauses.push('i.created_at < ?');
    params.push(filters.toMs);
  }
  if (filters.status) {
    clauses.push('i.status = ?');
    params.push(filters.status);
  }
  return { sql: clauses.join(' AND '), params };
}
