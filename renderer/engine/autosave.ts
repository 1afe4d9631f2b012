/**
 * Keeps the host's copy of the scene collection current: every change is saved through the
 * host contract (`scenes.saveCollection`), debounced so dragging an item is one write, not
 * sixty, and flushed when disposed or the page goes away so the last edit is never lost.
 */
import type { Disposable } from '../../common/host/contract-kit.ts';
import type { SceneCollection } from '../../common/scene/schema.ts';

/** The part of the host the autosave needs. */
export interface SceneStorage {
  saveCollection(collection: SceneCollection): Promise<unknown>;
}

/** What the autosave watches: the engine, or anything that announces collection changes. */
export interface CollectionSource {
  onCollectionChange(listener: (collection: SceneCollection) => void): Disposable;
}

/** Debounce and error reporting of the autosave. */
export interface AutosaveOptions {
  debounceMs?: number;
  /** Told about failed saves (the next change tries again). */
  onError?: (error: unknown) => void;
}

/** Saves every collection change to the host, debounced. */
export class CollectionAutosave implements Disposable {
  private readonly storage: SceneStorage;
  private readonly debounceMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly subscription: Disposable;
  private pending: SceneCollection | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(source: CollectionSource, storage: SceneStorage, options: AutosaveOptions = {}) {
    this.storage = storage;
    this.debounceMs = options.debounceMs ?? 500;
    this.onError = options.onError ?? ((error) => console.error('saving the scene collection failed', error));
    this.subscription = source.onCollectionChange((collection) => {
      this.pending = collection;
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.flush(), this.debounceMs);
    });
  }

  /** Saves the latest change now (after any save already under way). */
  flush(): Promise<void> {
    const collection = this.takePending();
    if (collection) this.saving = this.saving.then(() => this.save(collection));
    return this.saving;
  }

  /**
   * Sends what is pending at once, without waiting for a save under way: for a page that is
   * going away (`pagehide`: a closed window or tab, a reload), which may not live to see that
   * save's answer. The transport keeps the order, so this write still lands after it.
   */
  saveNow(): void {
    const collection = this.takePending();
    if (collection) this.saving = this.save(collection);
  }

  private takePending(): SceneCollection | null {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const collection = this.pending;
    this.pending = null;
    return collection;
  }

  private save(collection: SceneCollection): Promise<void> {
    return this.storage.saveCollection(collection).then(() => undefined, this.onError);
  }

  /** Stops watching and saves what is pending. */
  dispose(): void {
    this.subscription.dispose();
    void this.flush();
  }
}
