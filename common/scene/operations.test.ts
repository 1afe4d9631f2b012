import { describe, expect, it } from 'vitest';
import { applySceneCommand, type SceneCommand } from './commands.ts';
import {
  asNewCollection,
  duplicateScene,
  findItem,
  pasteItem,
  randomIds,
  removeItemWithUndo,
  removeSceneWithUndo,
  uniqueName,
} from './operations.ts';
import { emptyCollection, type SceneCollection } from './schema.ts';

function counterIds() {
  let n = 0;
  return (prefix: string) => `${prefix}-new${++n}`;
}

function apply(collection: SceneCollection, commands: SceneCommand[]): SceneCollection {
  return commands.reduce(applySceneCommand, collection);
}

function show(): SceneCollection {
  return apply(emptyCollection('c', 'Show'), [
    {
      type: 'addSource',
      source: { id: 'cam', name: 'Camera', settings: { kind: 'camera' }, filters: [{ id: 'b', settings: { kind: 'beauty' } }] },
    },
    { type: 'addItem', sceneId: 'scene-1', item: { id: 'i1', sourceId: 'cam', position: { x: 5, y: 6 } } },
    { type: 'addScene', scene: { id: 'scene-2', name: 'Outro' } },
  ]);
}

describe('scene operations', () => {
  it('names things uniquely, as OBS does', () => {
    expect(uniqueName('Scene', ['Scene', 'scene 2'])).toBe('Scene 3');
    expect(uniqueName('Camera', [])).toBe('Camera');
    expect(uniqueName('  ', ['Untitled'])).toBe('Untitled 2');
  });

  it('duplicates a scene right after it, sharing its sources, with new item ids', () => {
    const collection = apply(show(), duplicateScene(show(), 'scene-1', counterIds()));
    expect(collection.scenes.map((scene) => scene.name)).toEqual(['Scene 1', 'Scene 2', 'Outro']);
    const copy = collection.scenes[1]!;
    expect(copy.items).toEqual([{ ...collection.scenes[0]!.items[0], id: 'item-new2' }]);
    expect(collection.sources).toHaveLength(1);
  });

  it('pastes an item as a shared source, or as a copy of the source with its filters', () => {
    const collection = show();
    const copied = { item: findItem(collection, 'i1')!.item, source: collection.sources[0]! };
    const shared = apply(collection, pasteItem(collection, copied, 'scene-2', true, counterIds()));
    expect(shared.scenes[1]!.items).toMatchObject([{ sourceId: 'cam', position: { x: 5, y: 6 } }]);
    expect(shared.sources).toHaveLength(1);
    const duplicated = apply(collection, pasteItem(collection, copied, 'scene-2', false, counterIds()));
    expect(duplicated.sources.map((source) => source.name)).toEqual(['Camera', 'Camera 2']);
    expect(duplicated.sources[1]!.filters).toEqual(collection.sources[0]!.filters);
    expect(duplicated.scenes[1]!.items[0]!.sourceId).toBe(duplicated.sources[1]!.id);
  });

  it('pastes a copy when the copied source has been removed since', () => {
    const collection = show();
    const copied = { item: findItem(collection, 'i1')!.item, source: collection.sources[0]! };
    const removed = applySceneCommand(collection, { type: 'removeSource', sourceId: 'cam' });
    const pasted = apply(removed, pasteItem(removed, copied, 'scene-2', true, counterIds()));
    expect(pasted.sources.map((source) => source.name)).toEqual(['Camera']);
  });

  it('removing the only item of a source removes the source (a camera stops); undo brings both back where they were', () => {
    const collection = apply(show(), [{ type: 'addItem', sceneId: 'scene-1', item: { id: 'i0', sourceId: 'cam' }, index: 0 }]);
    const shared = removeItemWithUndo(collection, 'i1');
    expect(apply(collection, shared.remove).sources).toHaveLength(1);
    const single = removeItemWithUndo(show(), 'i1');
    const removed = apply(show(), single.remove);
    expect(removed.sources).toHaveLength(0);
    expect(apply(removed, single.undo)).toEqual(show());
    expect(removeItemWithUndo(show(), 'gone')).toEqual({ remove: [], undo: [] });
  });

  it('removing a scene frees the sources only it showed, keeps global and shared ones, and undo restores it all', () => {
    const collection = apply(show(), [
      { type: 'addSource', source: { id: 'mic', name: 'Mic', settings: { kind: 'microphone' } } },
      { type: 'addSource', source: { id: 'logo', name: 'Logo', settings: { kind: 'color', color: '#ffffff' } } },
      { type: 'addItem', sceneId: 'scene-2', item: { id: 'i2', sourceId: 'cam' } },
      { type: 'addItem', sceneId: 'scene-1', item: { id: 'i3', sourceId: 'logo' } },
      { type: 'setProgramScene', sceneId: 'scene-1' },
    ]);
    const { remove, undo } = removeSceneWithUndo(collection, 'scene-1');
    const removed = apply(collection, remove);
    expect(removed.sources.map((source) => source.id)).toEqual(['cam', 'mic']);
    expect(removed.programSceneId).toBe('scene-2');
    const restored = apply(removed, undo);
    expect(restored.scenes).toEqual(collection.scenes);
    expect(restored.programSceneId).toBe('scene-1');
    expect(new Set(restored.sources.map((source) => source.id))).toEqual(new Set(['cam', 'mic', 'logo']));
  });

  it('gives an imported collection a fresh id and a name no other collection has', () => {
    expect(asNewCollection(show(), 'new-id', ['Show'])).toMatchObject({ id: 'new-id', name: 'Show 2' });
  });

  it('makes random ids that the schema accepts', () => {
    const ids = randomIds();
    const made = new Set(Array.from({ length: 100 }, () => ids('item')));
    expect(made.size).toBe(100);
    for (const id of made) expect(id).toMatch(/^item-[a-z0-9]{12}$/);
  });
});
