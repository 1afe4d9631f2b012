/**
 * Watched folders (chokidar): media files that appear in one join the library, but only once
 * their size has stopped changing (`awaitWriteFinish`), so a recording still being written or a
 * slow copy is imported once, complete. Files that vanish are marked missing. Events arriving
 * together (a folder copied in, the first scan) are imported as one job.
 */
import { watch, type FSWatcher } from 'chokidar';
import { resolve } from 'node:path';
import type { Logger } from '../logger.ts';
import { isMediaFileName } from './media-files.ts';

export interface FolderWatcherOptions {
  /** Imports files that appeared or changed. */
  onFiles: (paths: string[]) => void;
  /** Files that went away. */
  onGone: (paths: string[]) => void;
  log: Logger;
  /** How long a file's size must stay the same before it counts as written. Default 2000 ms. */
  stabilityThresholdMs?: number;
  /** How often a growing file's size is checked. Default 250 ms. */
  pollIntervalMs?: number;
  /** Events are gathered this long into one batch. Default 300 ms. */
  batchMs?: number;
}

/** Watches folders; one chokidar watcher per folder. */
export class FolderWatcher {
  private readonly options: FolderWatcherOptions;
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly ready = new Map<string, Promise<void>>();
  private added = new Set<string>();
  private gone = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: FolderWatcherOptions) {
    this.options = options;
  }

  get folders(): string[] {
    return [...this.watchers.keys()].sort();
  }

  /** Starts watching a folder (and imports what it already holds). */
  add(folder: string): void {
    const path = resolve(folder);
    if (this.watchers.has(path)) return;
    const watcher = watch(path, {
      ignoreInitial: false,
      followSymlinks: false,
      ignored: (file, stats) => /(^|[/\\])\.[^/\\]/.test(file.slice(path.length)) || (stats?.isFile() === true && !isMediaFileName(file)),
      awaitWriteFinish: {
        stabilityThreshold: this.options.stabilityThresholdMs ?? 2000,
        pollInterval: this.options.pollIntervalMs ?? 250,
      },
      ignorePermissionErrors: true,
    });
    watcher.on('add', (file) => this.queue('add', file));
    watcher.on('change', (file) => this.queue('add', file));
    watcher.on('unlink', (file) => this.queue('gone', file));
    watcher.on('error', (error) =>
      this.options.log.warn({ folder: path, err: error instanceof Error ? error.message : String(error) }, 'watched folder error'),
    );
    this.ready.set(path, new Promise((resolveReady) => watcher.once('ready', () => resolveReady())));
    this.watchers.set(path, watcher);
  }

  /** Resolves when every folder's first scan is done (for tests and the start-up check). */
  async whenReady(): Promise<void> {
    await Promise.all(this.ready.values());
  }

  async remove(folder: string): Promise<void> {
    const path = resolve(folder);
    const watcher = this.watchers.get(path);
    this.watchers.delete(path);
    this.ready.delete(path);
    await watcher?.close();
  }

  async dispose(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    const closing = [...this.watchers.values()].map((watcher) => watcher.close());
    this.watchers.clear();
    await Promise.all(closing);
  }

  private queue(what: 'add' | 'gone', file: string): void {
    if (!isMediaFileName(file)) return;
    if (what === 'add') {
      this.gone.delete(file);
      this.added.add(file);
    } else {
      this.added.delete(file);
      this.gone.add(file);
    }
    this.timer ??= setTimeout(() => this.flush(), this.options.batchMs ?? 300);
  }

  private flush(): void {
    this.timer = null;
    const added = [...this.added];
    const gone = [...this.gone];
    this.added = new Set();
    this.gone = new Set();
    if (added.length > 0) this.options.onFiles(added);
    if (gone.length > 0) this.options.onGone(gone);
  }
}
