/**
 * The content library: the host's implementation of `hostContract.library`, plus `addMade()`
 * for the files the studio makes (recordings, screenshots). It ties together the index
 * (SQLite), the importer (queue and workers), thumbnails, clips, the watched folders and the
 * desktop shell (trash, reveal, dialog). Plain Node, constructor-injected, no Electron.
 */
import { mkdirSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Disposable, ServiceImplementation } from '../../../common/host/contract-kit.ts';
import type {
  LibraryChange,
  LibraryItem,
  LibraryJob,
  libraryService,
  TrimPlan,
  TrimRequest,
} from '../../../common/host/library-contract.ts';
import type { Database } from '../../../native/sqlite.ts';
import type { Logger } from '../logger.ts';
import {
  canRemux,
  clipExtension,
  clipsDirOf,
  formatClipTime,
  outputPathFor,
  planTrim,
  readKeyframesMs,
  remuxArgs,
  runWithProgress,
  trimArgs,
} from './clips.ts';
import { CancelledError, type MediaTools } from './ffmpeg-process.ts';
import { Importer, type ImportOutcome } from './importer.ts';
import { JobBoard, type Job } from './jobs.ts';
import { LibraryIndex, toLibraryItem, type ImportHints, type ItemRow } from './library-index.ts';
import { statOrNull } from './media-files.ts';
import { findByContent } from './relink.ts';
import type { LibraryShell } from './shell.ts';
import { ThumbnailCache, type ThumbKind } from './thumbnails.ts';
import { FolderWatcher } from './watcher.ts';

/** A file the studio made, for the library to add. */
export interface MadeMedia {
  /** Absolute path of the finished file. */
  path: string;
  kind: 'recording' | 'screenshot';
  /** The scene collection it was made with. */
  sceneCollectionId?: string | null;
  /** The destinations that were live while it was recorded. */
  destinationIds?: string[];
  /** Default: from the file name. */
  title?: string;
}

/** Something that announces the files the studio made (a recorder, a screenshot service). */
export interface MadeMediaFeed {
  onDidMake(listener: (made: MadeMedia) => void): Disposable;
}

/** Where the library's events go (the host's event bus). */
export interface LibraryEvents {
  itemsChanged(change: LibraryChange): void;
  jobUpdated(job: LibraryJob): void;
}

export interface LibraryOptions {
  db: Database;
  /** The data dir: thumbnails, uploads, the web host's trash and the fallback clips folder live under `library/` in it. */
  dataDir: string;
  /** The ffmpeg and ffprobe binaries; throws a clear error when they were not found. */
  tools: () => MediaTools;
  shell: LibraryShell;
  events: LibraryEvents;
  log: Logger;
  /** Watched folders' write-finish detection (tests shorten it). */
  watch?: { stabilityThresholdMs?: number; pollIntervalMs?: number; batchMs?: number };
  /** Files imported at once. Default 2. */
  importConcurrency?: number;
  now?: () => number;
}

/** Item changes are gathered this long before one event goes out. */
const CHANGE_COALESCE_MS = 250;

/** The library service (see the file comment). */
export class Library {
  readonly index: LibraryIndex;
  readonly thumbnails: ThumbnailCache;
  /** Where the web host puts uploaded files before importing them. */
  readonly uploadsDir: string;
  readonly service: ServiceImplementation<typeof libraryService>;
  private readonly options: LibraryOptions;
  private readonly jobs: JobBoard;
  private readonly importer: Importer;
  private readonly watcher: FolderWatcher;
  private readonly now: () => number;
  private readonly pendingChanges = new Map<LibraryChange['reason'], Set<number>>();
  private changeTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly keyframeCache = new Map<string, Promise<number[]>>();
  private disposed = false;

  constructor(options: LibraryOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.index = new LibraryIndex(options.db);
    this.thumbnails = new ThumbnailCache(join(options.dataDir, 'library', 'thumbnails'), () => options.tools().ffmpeg);
    this.uploadsDir = join(options.dataDir, 'library', 'uploads');
    mkdirSync(this.uploadsDir, { recursive: true });
    this.jobs = new JobBoard((job) => options.events.jobUpdated(job));
    this.importer = new Importer({
      index: this.index,
      jobs: this.jobs,
      ffprobe: () => options.tools().ffprobe,
      log: options.log,
      onItems: (reason, ids) => this.changed(reason, ids),
      ...(options.importConcurrency ? { concurrency: options.importConcurrency } : {}),
      now: this.now,
    });
    this.watcher = new FolderWatcher({
      onFiles: (paths) =>
        void this.importer.importPaths(paths, null, 'Watched folder').catch((error: unknown) => this.warn('watched import', error)),
      onGone: (paths) => this.markGone(paths),
      log: options.log,
      ...options.watch,
    });
    this.service = this.implementation();
  }

  /** Resumes what a previous run left queued and starts the watched folders. */
  start(): void {
    this.importer.resume();
    for (const folder of this.index.watchedFolders()) this.watcher.add(folder);
  }

  /** Resolves when the watched folders' first scans are done. */
  whenWatching(): Promise<void> {
    return this.watcher.whenReady();
  }

  /**
   * Adds a file the studio made: a recording (linked to its scene collection and destinations)
   * or a screenshot. Resolves with its item once it is in the index.
   */
  async addMade(made: MadeMedia): Promise<LibraryItem> {
    if (!isAbsolute(made.path)) throw new Error(`addMade needs an absolute path, got ${made.path}`);
    this.options.tools();
    const hints: ImportHints = {
      kind: made.kind,
      sceneCollectionId: made.sceneCollectionId ?? null,
      destinationIds: [...(made.destinationIds ?? [])],
      ...(made.title ? { title: made.title } : {}),
    };
    const outcome = await this.importer.importOneAndWait(
      made.path,
      hints,
      made.kind === 'recording' ? 'Adding the recording' : 'Adding the screenshot',
      made.kind === 'recording' ? 'Recording added to the library' : 'Screenshot added to the library',
    );
    // Already there (a watched folder saw the finished file first): it is still the studio's own.
    const known = outcome.kind === 'skipped' || outcome.kind === 'refreshed' ? this.itemOf(outcome) : null;
    if (known && known.path === made.path) {
      const row = this.index.markMade(known.id, {
        kind: made.kind,
        sceneCollectionId: hints.sceneCollectionId ?? null,
        destinationIds: hints.destinationIds ?? [],
      });
      this.changed('updated', [known.id]);
      return toLibraryItem(row!);
    }
    return this.itemOf(outcome);
  }

  /** Adds every file a feed announces (a recorder's finished recordings). */
  follow(feed: MadeMediaFeed): Disposable {
    return feed.onDidMake((made) => void this.addMade(made).catch((error: unknown) => this.warn('adding a made file', error)));
  }

  /** The file behind `/library/media/:id`, or why there is none. */
  async mediaFile(id: number): Promise<{ path: string; sizeBytes: number } | { error: string; status: 404 | 410 }> {
    const row = this.index.row(id);
    if (!row || row.trashed_at !== null) return { error: 'no such item', status: 404 };
    const info = await statOrNull(row.path);
    if (!info?.isFile()) {
      this.setMissing(row);
      return { error: 'the file is missing', status: 410 };
    }
    return { path: row.path, sizeBytes: info.size };
  }

  /** The poster or sprite behind `/library/poster/:id`, made now if it is not cached. */
  async thumbnail(id: number, which: ThumbKind): Promise<string | null> {
    const row = this.index.row(id);
    if (!row) return null;
    try {
      return await this.thumbnails.get(row, which);
    } catch (error) {
      this.warn(`making a ${which}`, error);
      return null;
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.importer.dispose();
    this.jobs.dispose();
    await this.watcher.dispose();
  }

  private implementation(): ServiceImplementation<typeof libraryService> {
    const { index } = this;
    return {
      list: async (query) => this.checked(index.list(query)),
      search: async (query) => this.checked(index.search(query)),
      get: async (id) => {
        const row = index.row(id);
        return row ? toLibraryItem(row) : null;
      },
      listTags: async () => index.listTags(),
      import: async (paths) => {
        this.options.tools();
        const job = await this.importer.importPaths(paths);
        return { jobId: job.id };
      },
      importWithDialog: async ({ folders }) => {
        if (!this.options.shell.pickPaths) return null;
        const paths = await this.options.shell.pickPaths({ folders });
        if (!paths || paths.length === 0) return null;
        this.options.tools();
        return { jobId: (await this.importer.importPaths(paths)).id };
      },
      listImportIssues: async (jobId) => this.importer.issues(jobId),
      update: async (id, patch) => {
        const row = index.update(id, patch) ?? fail(`no item ${id}`);
        this.changed('updated', [id]);
        return toLibraryItem(row);
      },
      planTrim: async (id, request) => this.planTrimOf(this.trimmable(id, request), request),
      trim: async (id, request) => {
        const row = this.trimmable(id, request);
        const job = this.jobs.start('trim', `Trimming ${row.title}`);
        void this.runTrim(job, row, request);
        return { jobId: job.id };
      },
      remux: async (id) => {
        const row = index.row(id) ?? fail(`no item ${id}`);
        if (!canRemux(row)) fail(`only FLV and MKV files can be remuxed to MP4 (${row.title} is ${row.container ?? 'unreadable'})`);
        this.options.tools();
        const job = this.jobs.start('remux', `Remuxing ${row.title} to MP4`);
        void this.runRemux(job, row);
        return { jobId: job.id };
      },
      cancelJob: async (jobId) => this.importer.cancel(jobId),
      listJobs: async () => this.jobs.list(),
      delete: async (ids) => this.trashItems(ids),
      restore: async (ids) => this.restoreItems(ids),
      emptyTrash: async () => this.emptyTrash(),
      relink: async ({ folder, itemIds }) => this.relink(folder, itemIds),
      reveal: async (id) => {
        const row = index.row(id) ?? fail(`no item ${id}`);
        const exists = await statOrNull(row.path);
        return { revealed: exists ? await this.options.shell.reveal(row.path) : false, path: row.path };
      },
      listWatchedFolders: async () => index.watchedFolders(),
      addWatchedFolder: async (folder) => {
        const path = resolve(folder);
        const info = await stat(path).catch(() => null);
        if (!info?.isDirectory()) fail(`${path} is not a folder on the host`);
        this.options.tools();
        index.addWatchedFolder(path, this.now());
        this.watcher.add(path);
        return index.watchedFolders();
      },
      removeWatchedFolder: async (folder) => {
        const path = resolve(folder);
        index.removeWatchedFolder(path);
        await this.watcher.remove(path);
        return index.watchedFolders();
      },
    };
  }

  /** Checks the page's files on disk: a vanished file shows as missing, a returned one as ok. */
  private async checked(page: { items: LibraryItem[]; total: number }): Promise<{ items: LibraryItem[]; total: number }> {
    const items = await Promise.all(
      page.items.map(async (item) => {
        if (item.trashedAtMs !== null || item.status === 'corrupt') return item;
        const there = (await statOrNull(item.path))?.isFile() === true;
        if (there === (item.status === 'ok')) return item;
        const row = this.index.row(item.id);
        if (!row) return item;
        if (there) this.index.setLocation(row.id, { status: 'ok' });
        else this.setMissing(row);
        return toLibraryItem(this.index.row(item.id)!);
      }),
    );
    return { items, total: page.total };
  }

  private setMissing(row: ItemRow): void {
    if (row.status === 'missing') return;
    this.index.setLocation(row.id, { status: 'missing', error: `not found at ${row.path}` });
    this.changed('updated', [row.id]);
  }

  private markGone(paths: string[]): void {
    for (const path of paths) for (const row of this.index.byPath(path)) this.setMissing(row);
  }

  private trimmable(id: number, request: TrimRequest): ItemRow {
    const row = this.index.row(id) ?? fail(`no item ${id}`);
    if (row.status !== 'ok') fail(`${row.title} cannot be trimmed: the file is ${row.status}`);
    if (row.kind === 'image' || row.kind === 'screenshot' || !row.duration_ms) fail(`${row.title} has no timeline to trim`);
    if (request.inMs >= row.duration_ms)
      fail(`the in point ${formatClipTime(request.inMs)} is past the end (${formatClipTime(row.duration_ms)})`);
    this.options.tools();
    return row;
  }

  private async planTrimOf(row: ItemRow, request: TrimRequest, signal?: AbortSignal): Promise<TrimPlan> {
    const key = row.content_hash;
    let keyframes = this.keyframeCache.get(key);
    if (!keyframes) {
      keyframes = row.video_codec === null ? Promise.resolve([]) : readKeyframesMs(this.options.tools().ffprobe, row.path, signal);
      this.keyframeCache.set(key, keyframes);
      keyframes.catch(() => this.keyframeCache.delete(key));
      if (this.keyframeCache.size > 20) this.keyframeCache.delete(this.keyframeCache.keys().next().value!);
    }
    return planTrim(await keyframes, request, row);
  }

  private async runTrim(job: Job, row: ItemRow, request: TrimRequest): Promise<void> {
    const outMs = Math.min(request.outMs, row.duration_ms ?? request.outMs);
    const clipRequest = { ...request, outMs };
    const range = `${formatClipTime(request.inMs)}–${formatClipTime(outMs)}`;
    await this.produce(job, async (signal) => {
      const plan = await this.planTrimOf(row, clipRequest, signal);
      job.update({ message: `${plan.mode === 'copy' ? 'Copying' : 'Re-encoding'} ${range} of ${row.title}` });
      const suffix = ` (clip ${range.replaceAll(':', '.')})`;
      const output = await outputPathFor(row.path, suffix, clipExtension(row, plan.mode), clipsDirOf(this.options.dataDir));
      const args = trimArgs(row, clipRequest, plan, output);
      return {
        output,
        args,
        durationMs: outMs - request.inMs,
        hints: this.derivedHints(row, request.title ?? `${row.title} (${range})`),
      };
    });
  }

  private async runRemux(job: Job, row: ItemRow): Promise<void> {
    await this.produce(job, async () => {
      const output = await outputPathFor(row.path, '', '.mp4', clipsDirOf(this.options.dataDir));
      return { output, args: remuxArgs(row.path, output), durationMs: row.duration_ms ?? 0, hints: this.derivedHints(row, row.title) };
    });
  }

  /** Runs ffmpeg for a clip or remux job and imports what it wrote; a failed or cancelled run leaves no file. */
  private async produce(
    job: Job,
    prepare: (signal: AbortSignal) => Promise<{ output: string; args: string[]; durationMs: number; hints: ImportHints }>,
  ): Promise<void> {
    let output: string | null = null;
    try {
      const plan = await prepare(job.signal);
      output = plan.output;
      await runWithProgress(
        this.options.tools().ffmpeg,
        plan.args,
        plan.durationMs,
        (fraction) => job.update({ fraction: fraction * 0.95 }),
        job.signal,
      );
      job.update({ message: 'Adding it to the library', fraction: 0.97 });
      const outcome = await this.importer.importOneAndWait(
        output,
        plan.hints,
        `Adding ${plan.hints.title ?? 'the clip'}`,
        `${plan.hints.title ?? 'The clip'} added to the library`,
      );
      const item = this.itemOf(outcome);
      job.addItem(item.id);
      output = null;
      job.finish('done', `Ready: ${item.title}`);
    } catch (error) {
      if (!(error instanceof CancelledError) && !job.signal.aborted) {
        this.warn(`${job.snapshot.kind} failed`, error);
        job.finish('failed', `Failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    } finally {
      if (output) await rm(output, { force: true });
    }
  }

  private derivedHints(row: ItemRow, title: string): ImportHints {
    return {
      ...(row.kind === 'recording' ? { kind: 'recording' as const } : {}),
      title,
      tags: JSON.parse(row.tags) as string[],
      sceneCollectionId: row.scene_collection_id,
      destinationIds: JSON.parse(row.destination_ids) as string[],
      derivedFromId: row.id,
    };
  }

  private itemOf(outcome: ImportOutcome): LibraryItem {
    switch (outcome.kind) {
      case 'added':
      case 'refreshed':
      case 'relinked':
        return toLibraryItem(outcome.row);
      case 'skipped': {
        const existing = outcome.duplicateOfId === null ? undefined : this.index.row(outcome.duplicateOfId);
        if (existing) return toLibraryItem(existing);
        return fail(outcome.reason);
      }
      case 'failed':
        return fail(outcome.reason);
    }
  }

  private async trashItems(ids: readonly number[]): Promise<LibraryItem[]> {
    const done: number[] = [];
    const failures: string[] = [];
    for (const row of this.index.rows(ids)) {
      if (row.trashed_at !== null) continue;
      try {
        // The token says the file went to a trash ('' when that trash needs none); null: there was no file to move.
        const token = (await statOrNull(row.path)) ? ((await this.options.shell.trash.moveToTrash(row.path)) ?? '') : null;
        this.index.setTrashed(row.id, this.now(), token);
        done.push(row.id);
      } catch (error) {
        failures.push(`${row.title}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (done.length) this.changed('removed', done);
    if (failures.length) fail(`could not move to the trash: ${failures.join('; ')}`);
    return this.index.rows(ids).map(toLibraryItem);
  }

  private async restoreItems(ids: readonly number[]): Promise<LibraryItem[]> {
    const done: number[] = [];
    const failures: string[] = [];
    for (const row of this.index.rows(ids)) {
      if (row.trashed_at === null) continue;
      try {
        if (row.trash_token !== null) {
          const path = await this.options.shell.trash.restore(row.path, row.trash_token);
          this.index.setLocation(row.id, {
            path,
            status: row.status === 'corrupt' ? 'corrupt' : 'ok',
            error: row.status === 'corrupt' ? row.error : null,
          });
        }
        this.index.setTrashed(row.id, null, null);
        done.push(row.id);
      } catch (error) {
        failures.push(`${row.title}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (done.length) this.changed('added', done);
    if (failures.length) fail(`could not restore: ${failures.join('; ')}`);
    return this.index.rows(ids).map(toLibraryItem);
  }

  private async emptyTrash(): Promise<number> {
    const rows = this.index.trashedRows();
    for (const row of rows) await this.options.shell.trash.purge(row.trash_token);
    this.index.remove(rows.map((row) => row.id));
    for (const hash of new Set(rows.map((row) => row.content_hash))) {
      if (this.index.byHash(hash).length === 0) await this.thumbnails.forget(hash);
    }
    if (rows.length)
      this.changed(
        'removed',
        rows.map((row) => row.id),
      );
    return rows.length;
  }

  private async relink(folder: string, itemIds: number[] | undefined): Promise<{ relinked: LibraryItem[]; notFound: number[] }> {
    const root = resolve(folder);
    if (!(await stat(root).catch(() => null))?.isDirectory()) fail(`${root} is not a folder on the host`);
    const candidates = itemIds ? this.index.rows(itemIds).filter((row) => row.trashed_at === null) : this.index.missingRows();
    const lost: ItemRow[] = [];
    for (const row of candidates) if (!(await statOrNull(row.path))?.isFile()) lost.push(row);
    const found = await findByContent(
      root,
      lost.map((row) => ({ id: row.id, sizeBytes: row.size_bytes, contentHash: row.content_hash })),
    );
    for (const [id, path] of found) this.index.setLocation(id, { path, status: 'ok' });
    for (const row of lost) if (!found.has(row.id)) this.setMissing(row);
    if (found.size) this.changed('updated', [...found.keys()]);
    return {
      relinked: this.index.rows([...found.keys()]).map(toLibraryItem),
      notFound: lost.filter((row) => !found.has(row.id)).map((row) => row.id),
    };
  }

  private changed(reason: LibraryChange['reason'], ids: readonly number[]): void {
    if (this.disposed) return;
    const set = this.pendingChanges.get(reason) ?? new Set<number>();
    for (const id of ids) set.add(id);
    this.pendingChanges.set(reason, set);
    this.changeTimer ??= setTimeout(() => {
      this.changeTimer = null;
      for (const [changeReason, changedIds] of this.pendingChanges) {
        this.options.events.itemsChanged({ reason: changeReason, ids: [...changedIds].slice(0, 1000) });
      }
      this.pendingChanges.clear();
    }, CHANGE_COALESCE_MS);
  }

  private warn(what: string, error: unknown): void {
    this.options.log.warn({ err: error instanceof Error ? error.message : String(error) }, `library: ${what}`);
  }
}

function fail(message: string): never {
  throw new Error(message);
}
