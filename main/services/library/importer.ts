/**
 * Imports files into the library. An import first writes every file into the import queue
 * (one transaction per batch) and only then answers: that is the acknowledgement. Workers then
 * take files from the queue, hash them (SHA-256, in chunks), skip duplicates by hash (or find a
 * missing item again), probe them with ffprobe (a file it cannot read becomes an item with a
 * clear error), and insert the item and drop its queue entry in one transaction. A crash at
 * any point loses nothing acknowledged: at the next start the queue is resumed.
 */
import { stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { ImportIssue, LibraryItemKind } from '../../../common/host/library-contract.ts';
import type { Logger } from '../logger.ts';
import { CancelledError } from './ffmpeg-process.ts';
import type { Job, JobBoard } from './jobs.ts';
import type { ImportHints, ItemRow, LibraryIndex, QueuedFile } from './library-index.ts';
import { createdAtMsOf, hashFile, isMediaFileName, MEDIA_EXTENSIONS, walkMediaFiles } from './media-files.ts';
import { CorruptMediaError, probeFile, type ProbedMedia } from './probe.ts';

/** Files written to the queue per transaction while a folder is walked. */
const ENQUEUE_BATCH = 500;
/** Issues kept per job for `listImportIssues`. */
const MAX_ISSUES = 1000;

/** What happened to one queued file. */
export type ImportOutcome =
  | { kind: 'added'; row: ItemRow }
  | { kind: 'refreshed'; row: ItemRow }
  | { kind: 'relinked'; row: ItemRow }
  | { kind: 'skipped'; reason: string; duplicateOfId: number | null }
  | { kind: 'failed'; reason: string };

export interface ImporterOptions {
  index: LibraryIndex;
  jobs: JobBoard;
  /** The ffprobe binary; throws a clear error when there is none. */
  ffprobe: () => string;
  log: Logger;
  /** Hears every item added, refreshed or relinked. */
  onItems: (reason: 'added' | 'updated', ids: number[]) => void;
  /** Files processed at once. Default 2. */
  concurrency?: number;
  now?: () => number;
}

interface JobState {
  job: Job;
  issues: ImportIssue[];
  /** Files of this job waiting or in progress. */
  remaining: number;
  /** Still finding files (walking folders): the job cannot end yet. */
  walking: boolean;
  /** Resolves each queued file's outcome for callers that wait (addMade, trims). */
  waiters: Map<number, (outcome: ImportOutcome) => void>;
  /** What the job says when its file went in ("Recording added to the library"); "Import finished: …" when absent. */
  doneMessage?: string;
}

/** The import queue and its workers. */
export class Importer {
  private readonly options: ImporterOptions;
  private readonly index: LibraryIndex;
  private readonly states = new Map<string, JobState>();
  private readonly queue: QueuedFile[] = [];
  private active = 0;
  private disposed = false;
  /** Aborted at dispose, so work in flight stops before the database closes. */
  private readonly stopping = new AbortController();
  private readonly now: () => number;
  /** Finished jobs' issues, for a while. */
  private readonly finishedIssues = new Map<string, ImportIssue[]>();

  constructor(options: ImporterOptions) {
    this.options = options;
    this.index = options.index;
    this.now = options.now ?? Date.now;
  }

  /** Picks up what a previous run left in the queue (after a crash or a quit mid-import). */
  resume(): Job | null {
    const left = this.index.queued();
    if (left.length === 0) return null;
    const job = this.options.jobs.start('import', `Resuming an import: ${left.length} files left`);
    const state = this.track(job);
    // The resumed files now belong to this job; their old job ids are gone with the old process.
    this.index.db.prepare('UPDATE library_import_queue SET job_id = ?').run(job.id);
    this.admit(
      state,
      left.map((file) => ({ ...file, jobId: job.id })),
    );
    return job;
  }

  /**
   * Queues files and folders (walked recursively for media files). Resolves once every file is
   * in the queue, with the job that imports them.
   */
  async importPaths(paths: readonly string[], hints: ImportHints | null = null, message = 'Importing'): Promise<Job> {
    const job = this.options.jobs.start('import', `${message}: finding files`);
    const state = this.track(job);
    state.walking = true;
    try {
      let batch: string[] = [];
      const flush = () => {
        if (batch.length === 0) return;
        this.admit(
          state,
          this.index.enqueue(
            job.id,
            batch.map((path) => ({ path, hints })),
            this.now(),
          ),
        );
        batch = [];
      };
      for (const raw of paths) {
        const path = resolve(raw);
        const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
          this.issue(state, { path, reason: error.code === 'ENOENT' ? 'not found' : error.message, duplicateOfId: null });
          return null;
        });
        if (!info) {
          job.count('failed');
          continue;
        }
        if (info.isDirectory()) {
          for await (const file of walkMediaFiles(path, job.signal)) {
            batch.push(file);
            if (batch.length >= ENQUEUE_BATCH) flush();
          }
        } else if (!isMediaFileName(path)) {
          this.issue(state, { path, reason: `not a media file Tally imports (${extname(path) || 'no extension'})`, duplicateOfId: null });
          job.count('skipped');
        } else {
          batch.push(path);
        }
      }
      flush();
    } catch (error) {
      if (!(error instanceof CancelledError)) {
        job.finish('failed', `Import failed: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      }
    } finally {
      state.walking = false;
    }
    job.update({ message: `${message}: ${job.snapshot.total} files` });
    this.settleIfIdle(state);
    return job;
  }

  /**
   * Imports one file and waits for its outcome (the studio's recordings, clips, remuxes). The job
   * says `message` meanwhile and `doneMessage` once the file is in: the user imported nothing, so
   * no "Import finished".
   */
  async importOneAndWait(path: string, hints: ImportHints, message: string, doneMessage: string): Promise<ImportOutcome> {
    const job = this.options.jobs.start('import', message);
    const state = this.track(job);
    state.doneMessage = doneMessage;
    const [queued] = this.index.enqueue(job.id, [{ path: resolve(path), hints }], this.now());
    const outcome = new Promise<ImportOutcome>((resolveOutcome) => state.waiters.set(queued!.id, resolveOutcome));
    this.admit(state, [queued!]);
    return outcome;
  }

  /** Cancels a job: its files not yet started leave the queue; the one in progress stops. */
  cancel(jobId: string): boolean {
    const state = this.states.get(jobId);
    if (!state) return this.options.jobs.cancel(jobId);
    const dropped = this.index.dropQueued(jobId);
    for (let index = this.queue.length - 1; index >= 0; index--) if (this.queue[index]!.jobId === jobId) this.queue.splice(index, 1);
    state.remaining -= dropped;
    for (const resolveOutcome of state.waiters.values()) resolveOutcome({ kind: 'failed', reason: 'cancelled' });
    state.waiters.clear();
    const { done } = state.job.snapshot;
    const cancelled = state.job.cancel(`Cancelled after ${done} files; ${dropped} not imported`);
    this.retire(state);
    return cancelled;
  }

  issues(jobId: string): ImportIssue[] {
    return [...(this.states.get(jobId)?.issues ?? this.finishedIssues.get(jobId) ?? [])];
  }

  dispose(): void {
    this.disposed = true;
    this.stopping.abort();
    this.queue.length = 0;
  }

  private track(job: Job): JobState {
    const state: JobState = { job, issues: [], remaining: 0, walking: false, waiters: new Map() };
    this.states.set(job.id, state);
    return state;
  }

  private admit(state: JobState, files: QueuedFile[]): void {
    state.remaining += files.length;
    state.job.count('total', files.length);
    this.queue.push(...files);
    this.pump();
  }

  private pump(): void {
    const concurrency = this.options.concurrency ?? 2;
    while (!this.disposed && this.active < concurrency && this.queue.length > 0) {
      const file = this.queue.shift()!;
      const state = this.states.get(file.jobId);
      if (!state || !state.job.running) continue;
      this.active++;
      void this.process(file, state).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async process(file: QueuedFile, state: JobState): Promise<void> {
    const { job } = state;
    job.update({ message: `Importing ${basename(file.path)}` });
    let outcome: ImportOutcome;
    const signal = AbortSignal.any([job.signal, this.stopping.signal]);
    try {
      outcome = await this.importOne(file, signal);
    } catch (error) {
      if (error instanceof CancelledError || signal.aborted) return;
      outcome = { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
      this.options.log.warn({ path: file.path, err: outcome.reason }, 'library import failed');
      this.index.dequeue(file.id);
    }
    if (this.disposed || !job.running) return;
    state.remaining--;
    switch (outcome.kind) {
      case 'added':
      case 'refreshed':
      case 'relinked':
        job.addItem(outcome.row.id);
        job.count('done');
        this.options.onItems(outcome.kind === 'added' ? 'added' : 'updated', [outcome.row.id]);
        break;
      case 'skipped':
        this.issue(state, { path: file.path, reason: outcome.reason, duplicateOfId: outcome.duplicateOfId });
        job.count('skipped');
        break;
      case 'failed':
        this.issue(state, { path: file.path, reason: outcome.reason, duplicateOfId: null });
        job.count('failed');
        break;
    }
    state.waiters.get(file.id)?.(outcome);
    state.waiters.delete(file.id);
    this.settleIfIdle(state);
  }

  /** One file from the queue to the index. Throws only for unexpected failures (the caller dequeues). */
  private async importOne(file: QueuedFile, signal: AbortSignal): Promise<ImportOutcome> {
    const { index } = this;
    const info = await stat(file.path).catch(() => null);
    throwIfAborted(signal);
    if (!info || !info.isFile()) {
      index.dequeue(file.id);
      return { kind: 'failed', reason: 'the file is gone' };
    }
    const atPath = index.byPath(file.path)[0];
    if (atPath && atPath.size_bytes === info.size && atPath.mtime_ms === Math.round(info.mtimeMs) && atPath.status !== 'missing') {
      index.dequeue(file.id);
      return { kind: 'skipped', reason: 'already in the library', duplicateOfId: atPath.id };
    }
    const contentHash = await hashFile(file.path, signal);
    const after = await stat(file.path).catch(() => null);
    throwIfAborted(signal);
    if (!after || after.size !== info.size || after.mtimeMs !== info.mtimeMs) {
      // Still being written: a watcher sees it again once it is complete.
      index.dequeue(file.id);
      return { kind: 'skipped', reason: 'the file changed while it was read (still being written?)', duplicateOfId: null };
    }
    const sameBytes = index.byHash(contentHash).filter((row) => row.trashed_at === null && row.id !== atPath?.id);
    const lost = sameBytes.find((row) => row.status === 'missing');
    if (lost) {
      index.setLocation(lost.id, { path: file.path, status: 'ok', sizeBytes: info.size, mtimeMs: info.mtimeMs });
      index.dequeue(file.id);
      return { kind: 'relinked', row: index.row(lost.id)! };
    }
    if (sameBytes.length > 0) {
      index.dequeue(file.id);
      return { kind: 'skipped', reason: `a duplicate of "${sameBytes[0]!.title}" (same content)`, duplicateOfId: sameBytes[0]!.id };
    }

    let probed: ProbedMedia | null = null;
    let error: string | null = null;
    try {
      probed = await probeFile(this.options.ffprobe(), file.path, signal);
    } catch (failure) {
      if (!(failure instanceof CorruptMediaError)) throw failure;
      error = failure.message;
    }
    throwIfAborted(signal);
    const hints = file.hints ?? {};
    const kind: LibraryItemKind = hints.kind ?? probed?.kind ?? MEDIA_EXTENSIONS[extname(file.path).toLowerCase()] ?? 'video';
    const facts = probed?.facts ?? emptyFacts();
    const fields = {
      sizeBytes: info.size,
      mtimeMs: info.mtimeMs,
      contentHash,
      kind,
      status: error ? ('corrupt' as const) : ('ok' as const),
      error,
      media: facts,
    };
    if (atPath) return { kind: 'refreshed', row: index.refresh(atPath.id, fields, file.id) };
    const row = index.insert(
      {
        ...fields,
        path: file.path,
        createdAtMs: createdAtMsOf(info),
        importedAtMs: this.now(),
        title: hints.title ?? titleFromFileName(file.path),
        tags: hints.tags ?? [],
        notes: hints.notes ?? '',
        sceneCollectionId: hints.sceneCollectionId ?? null,
        destinationIds: hints.destinationIds ?? [],
        derivedFromId: hints.derivedFromId ?? null,
      },
      file.id,
    );
    return { kind: 'added', row };
  }

  private issue(state: JobState, issue: ImportIssue): void {
    if (state.issues.length < MAX_ISSUES) state.issues.push(issue);
  }

  private settleIfIdle(state: JobState): void {
    if (state.remaining > 0 || state.walking || !state.job.running) return;
    const { done, skipped, failed } = state.job.snapshot;
    const parts = [`${done} imported`];
    if (skipped) parts.push(`${skipped} skipped`);
    if (failed) parts.push(`${failed} failed`);
    const message = state.doneMessage && failed === 0 ? state.doneMessage : `Import finished: ${parts.join(', ')}`;
    state.job.finish(failed > 0 && done === 0 && skipped === 0 ? 'failed' : 'done', message);
    this.retire(state);
  }

  private retire(state: JobState): void {
    this.states.delete(state.job.id);
    this.finishedIssues.set(state.job.id, state.issues);
    if (this.finishedIssues.size > 50) this.finishedIssues.delete(this.finishedIssues.keys().next().value!);
  }
}

/** "2024-05-01 concert_night.mp4" → "2024-05-01 concert night". */
export function titleFromFileName(path: string): string {
  const name = basename(path);
  const stem = name.slice(0, name.length - extname(name).length) || name;
  return stem.replace(/[_]+/g, ' ').replace(/\s+/g, ' ').trim() || name;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError();
}

function emptyFacts(): ProbedMedia['facts'] {
  return {
    container: null,
    durationMs: null,
    videoCodec: null,
    audioCodec: null,
    width: null,
    height: null,
    fps: null,
    audioChannels: null,
    audioSampleRate: null,
  };
}
