/**
 * Scene collections in the studio's SQLite store: one row per collection, the body as JSON,
 * read back through the collection migrations so an older body is lifted and a newer one
 * refused. The active collection's id is a setting.
 */
import type { SceneCollectionSummary } from '../../common/host/contract.ts';
import { UserInputError } from '../../common/host/user-input-error.ts';
import { migrateSceneCollection } from '../../common/scene/migrations.ts';
import type { SceneCollection } from '../../common/scene/schema.ts';
import type { Store } from './store.ts';

const ACTIVE_KEY = 'scenes.activeCollectionId';

/** Reads and writes scene collections in the store. */
export class SceneStore {
  private readonly store: Store;
  private readonly now: () => number;

  constructor(store: Store, now: () => number = Date.now) {
    this.store = store;
    this.now = now;
  }

  /** Every stored collection, most recently saved first. */
  list(): SceneCollectionSummary[] {
    return this.store.db
      .prepare<[], { id: string; name: string; updated_at: number }>(
        'SELECT id, name, updated_at FROM scene_collections ORDER BY updated_at DESC, id',
      )
      .all()
      .map((row) => ({ id: row.id, name: row.name, updatedAtMs: row.updated_at }));
  }

  /** The active collection, or null before the first save. Throws when its body cannot be read. */
  loadActive(): SceneCollection | null {
    const id = this.store.getSetting(ACTIVE_KEY);
    return typeof id === 'string' ? this.load(id) : null;
  }

  /** One collection by id, or null. */
  load(id: string): SceneCollection | null {
    const row = this.store.db.prepare<[string], { body: string }>('SELECT body FROM scene_collections WHERE id = ?').get(id);
    return row ? migrateSceneCollection(JSON.parse(row.body)) : null;
  }

  /** Deletes a collection. The active one is refused: switch to another first. */
  remove(id: string): void {
    if (this.store.getSetting(ACTIVE_KEY) === id)
      throw new UserInputError('this is the active scene collection: switch to another before deleting it');
    this.store.db.prepare('DELETE FROM scene_collections WHERE id = ?').run(id);
  }

  /** Stores a collection (already validated by the contract) and makes it active. */
  save(collection: SceneCollection): SceneCollectionSummary {
    const updatedAtMs = Math.max(this.now(), this.latestUpdate() + 1);
    this.store.db.transaction(() => {
      this.store.db
        .prepare(
          `INSERT INTO scene_collections (id, name, format_version, body, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET name = excluded.name, format_version = excluded.format_version, body = excluded.body, updated_at = excluded.updated_at`,
        )
        .run(collection.id, collection.name, collection.version, JSON.stringify(collection), updatedAtMs);
      this.store.setSetting(ACTIVE_KEY, collection.id);
    })();
    return { id: collection.id, name: collection.name, updatedAtMs };
  }

  private latestUpdate(): number {
    return (
      this.store.db.prepare<[], { latest: number | null }>('SELECT MAX(updated_at) AS latest FROM scene_collections').get()?.latest ?? 0
    );
  }
}
