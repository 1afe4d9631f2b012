/**
 * The library's long work as jobs: each has progress, a cancel switch (an AbortSignal), and
 * ends done, failed or cancelled. Updates go out at most ten times a second per job, and the
 * end always goes out, so a page of thousands of files never floods the renderer.
 */
import { randomUUID } from 'node:crypto';
import type { LibraryJob } from '../../../common/host/library-contract.ts';

/** How long a finished job stays listed. */
const KEEP_FINISHED_MS = 10 * 60 * 1000;
const MIN_UPDATE_INTERVAL_MS = 100;
const MAX_ITEM_IDS = 100;

/** A running job, updated by whoever does the work. */
export class Job {
  readonly id: string;
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly state: LibraryJob;
  private readonly publish: (job: LibraryJob, force: boolean) => void;
  finishedAtMs: number | null = null;

  constructor(kind: LibraryJob['kind'], message: string, publish: (job: LibraryJob, force: boolean) => void, id: string = randomUUID()) {
    this.id = id;
    this.signal = this.controller.signal;
    this.publish = publish;
    this.state = { id, kind, state: 'running', done: 0, total: 0, fraction: 0, skipped: 0, failed: 0, message, itemIds: [] };
  }

  get snapshot(): LibraryJob {
    return { ...this.state, itemIds: [...this.state.itemIds] };
  }

  get running(): boolean {
    return this.state.state === 'running';
  }

  /** Changes counts or the message; `fraction` follows done/total unless given. */
  update(patch: Partial<Pick<LibraryJob, 'done' | 'total' | 'skipped' | 'failed' | 'message' | 'fraction'>>): void {
    if (!this.running) return;
    Object.assign(this.state, patch);
    if (patch.fraction === undefined && this.state.total > 0) this.state.fraction = Math.min(1, this.state.done / this.state.total);
    this.publish(this.snapshot, false);
  }

  /** Adds to the counters. */
  count(field: 'done' | 'skipped' | 'failed' | 'total', by = 1): void {
    this.update({ [field]: this.state[field] + by });
  }

  addItem(id: number): void {
    if (this.state.itemIds.length < MAX_ITEM_IDS && !this.state.itemIds.includes(id)) this.state.itemIds.push(id);
  }

  /** Ends the job (once); cancelled jobs end through `cancel`. */
  finish(state: 'done' | 'failed', message: string): void {
    if (!this.running) return;
    this.state.state = state;
    this.state.message = message;
    if (state === 'done') this.state.fraction = 1;
    this.finishedAtMs = Date.now();
    this.publish(this.snapshot, true);
  }

  /** Stops the work through the signal; true when it was running. */
  cancel(message = 'Cancelled'): boolean {
    if (!this.running) return false;
    this.state.state = 'cancelled';
    this.state.message = message;
    this.finishedAtMs = Date.now();
    this.controller.abort();
    this.publish(this.snapshot, true);
    return true;
  }
}

/** Every job of the library, and the throttled stream of their updates. */
export class JobBoard {
  private readonly jobs = new Map<string, Job>();
  private readonly onUpdate: (job: LibraryJob) => void;
  private readonly lastSentMs = new Map<string, number>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(onUpdate: (job: LibraryJob) => void) {
    this.onUpdate = onUpdate;
  }

  start(kind: LibraryJob['kind'], message: string, id?: string): Job {
    this.prune();
    const job = new Job(kind, message, (snapshot, force) => this.send(snapshot, force), id);
    this.jobs.set(job.id, job);
    this.send(job.snapshot, true);
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  cancel(id: string): boolean {
    return this.jobs.get(id)?.cancel() ?? false;
  }

  list(): LibraryJob[] {
    this.prune();
    return [...this.jobs.values()].map((job) => job.snapshot);
  }

  /** Cancels everything still running (host shutdown). */
  dispose(): void {
    for (const job of this.jobs.values()) job.cancel('Stopped: Tally is closing');
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private send(snapshot: LibraryJob, force: boolean): void {
    const now = Date.now();
    const last = this.lastSentMs.get(snapshot.id) ?? 0;
    const timer = this.pending.get(snapshot.id);
    if (force || now - last >= MIN_UPDATE_INTERVAL_MS) {
      if (timer) clearTimeout(timer);
      this.pending.delete(snapshot.id);
      this.lastSentMs.set(snapshot.id, now);
      this.onUpdate(snapshot);
      return;
    }
    if (timer) return;
    this.pending.set(
      snapshot.id,
      setTimeout(
        () => {
          this.pending.delete(snapshot.id);
          const job = this.jobs.get(snapshot.id);
          if (job?.running) this.send(job.snapshot, true);
        },
        MIN_UPDATE_INTERVAL_MS - (now - last),
      ),
    );
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs) {
      if (job.finishedAtMs !== null && now - job.finishedAtMs > KEEP_FINISHED_MS) {
        this.jobs.delete(id);
        this.lastSentMs.delete(id);
      }
    }
  }
}
