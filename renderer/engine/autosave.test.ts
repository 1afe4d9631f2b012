import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applySceneCommand } from '../../common/scene/commands.ts';
import { emptyCollection, type SceneCollection } from '../../common/scene/schema.ts';
import { CollectionAutosave } from './autosave.ts';

function source() {
  const listeners = new Set<(collection: SceneCollection) => void>();
  return {
    emit: (collection: SceneCollection) => listeners.forEach((listener) => listener(collection)),
    onCollectionChange(listener: (collection: SceneCollection) => void) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    get listening() {
      return listeners.size;
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('scene collection autosave', () => {
  const base = emptyCollection('show', 'Show');
  const renamed = (name: string) => applySceneCommand(base, { type: 'renameScene', sceneId: 'scene-1', name });

  it('saves a burst of edits once, with the last state, after the debounce', async () => {
    const saved: SceneCollection[] = [];
    const changes = source();
    const autosave = new CollectionAutosave(changes, { saveCollection: async (c) => saved.push(c) }, { debounceMs: 200 });
    for (const name of ['A', 'B', 'C']) changes.emit(renamed(name));
    await vi.advanceTimersByTimeAsync(150);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(saved.map((c) => c.scenes[0]!.name)).toEqual(['C']);
    autosave.dispose();
  });

  it('sends a pending edit at once when the page goes away, even while an earlier save has no answer yet', async () => {
    const calls: string[] = [];
    const changes = source();
    // The first save never answers: the page is going away.
    const storage = { saveCollection: (c: SceneCollection) => (calls.push(c.scenes[0]!.name), new Promise<void>(() => {})) };
    const autosave = new CollectionAutosave(changes, storage, { debounceMs: 200 });
    changes.emit(renamed('A'));
    await vi.advanceTimersByTimeAsync(250);
    changes.emit(renamed('B'));
    autosave.saveNow();
    expect(calls).toEqual(['A', 'B']);
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toEqual(['A', 'B']);
    autosave.dispose();
  });

  it('saves what is pending when disposed, and stops listening', async () => {
    const saved: SceneCollection[] = [];
    const changes = source();
    const autosave = new CollectionAutosave(changes, { saveCollection: async (c) => saved.push(c) });
    changes.emit(renamed('Last'));
    autosave.dispose();
    await vi.runAllTimersAsync();
    expect(saved.map((c) => c.scenes[0]!.name)).toEqual(['Last']);
    expect(changes.listening).toBe(0);
  });

  it('reports a failed save and saves again on the next change', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const saved: string[] = [];
    const changes = source();
    const autosave = new CollectionAutosave(
      changes,
      {
        saveCollection: async (c) => {
          if (fail) throw new Error('disk full');
          saved.push(c.scenes[0]!.name);
        },
      },
      { debounceMs: 10, onError: (error) => errors.push(error) },
    );
    changes.emit(renamed('One'));
    await vi.advanceTimersByTimeAsync(20);
    expect(errors).toHaveLength(1);
    fail = false;
    changes.emit(renamed('Two'));
    await vi.advanceTimersByTimeAsync(20);
    expect(saved).toEqual(['Two']);
    autosave.dispose();
  });
});
