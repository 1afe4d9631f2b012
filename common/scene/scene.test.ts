import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applySceneCommand, SceneCommandError } from './commands.ts';
import { migrateJson, migrateSceneCollection, SceneCollectionError, type SceneMigration } from './migrations.ts';
import { emptyCollection, SCENE_COLLECTION_VERSION, SceneCollection, type SceneCollectionInput } from './schema.ts';

function studio(): SceneCollection {
  let collection = emptyCollection('main', 'Main');
  collection = applySceneCommand(collection, {
    type: 'addSource',
    source: { id: 'cam', name: 'Camera', settings: { kind: 'camera' }, filters: [{ id: 'b', settings: { kind: 'beauty' } }] },
  });
  collection = applySceneCommand(collection, {
    type: 'addSource',
    source: { id: 'logo', name: 'Logo', settings: { kind: 'image', url: 'data:,' } },
  });
  collection = applySceneCommand(collection, { type: 'addScene', scene: { id: 'scene-2', name: 'Interview' } });
  collection = applySceneCommand(collection, { type: 'addItem', sceneId: 'scene-1', item: { id: 'i1', sourceId: 'cam' } });
  collection = applySceneCommand(collection, {
    type: 'addItem',
    sceneId: 'scene-1',
    item: { id: 'i2', sourceId: 'logo', position: { x: 10, y: 20 } },
  });
  collection = applySceneCommand(collection, {
    type: 'addItem',
    sceneId: 'scene-2',
    item: { id: 'i3', sourceId: 'cam', scale: { x: 0.5, y: 0.5 } },
  });
  return collection;
}

describe('the scene model', () => {
  it('fills defaults a creator expects: full opacity, visible, unlocked, no crop, 720p canvas, beauty at pleasant strengths', () => {
    const collection = studio();
    const item = collection.scenes[0]!.items[0]!;
    expect(item).toMatchObject({ opacity: 1, visible: true, locked: false, rotationDeg: 0, scale: { x: 1, y: 1 } });
    expect(item.crop).toEqual({ left: 0, top: 0, right: 0, bottom: 0 });
    expect(collection.canvas).toEqual({ width: 1280, height: 720 });
    const beauty = collection.sources[0]!.filters[0]!.settings;
    expect(beauty).toEqual({ kind: 'beauty', smoothing: 0.5, whitening: 0.2, sharpening: 0.3 });
    expect(collection.sources[0]!.audio).toEqual({ gainDb: 0, muted: false, syncOffsetMs: 0, monitoring: 'off' });
  });

  it('survives a JSON round trip unchanged', () => {
    const collection = studio();
    expect(migrateSceneCollection(JSON.parse(JSON.stringify(collection)))).toEqual(collection);
  });

  it('shares one source between scenes: a filter change shows in both', () => {
    const collection = applySceneCommand(studio(), { type: 'setFilters', sourceId: 'cam', filters: [] });
    const camItems = collection.scenes.flatMap((scene) => scene.items).filter((item) => item.sourceId === 'cam');
    expect(camItems).toHaveLength(2);
    expect(collection.sources.filter((source) => source.id === 'cam')).toHaveLength(1);
    expect(collection.sources[0]!.filters).toEqual([]);
  });

  it('removing a source removes every item that showed it', () => {
    const collection = applySceneCommand(studio(), { type: 'removeSource', sourceId: 'cam' });
    expect(collection.scenes.flatMap((scene) => scene.items).map((item) => item.id)).toEqual(['i2']);
  });

  it('keeps z-order as list order and moves items within it', () => {
    const moved = applySceneCommand(studio(), { type: 'moveItem', itemId: 'i2', toIndex: 0 });
    expect(moved.scenes[0]!.items.map((item) => item.id)).toEqual(['i2', 'i1']);
    const inserted = applySceneCommand(moved, { type: 'addItem', sceneId: 'scene-1', item: { id: 'i4', sourceId: 'logo' }, index: 1 });
    expect(inserted.scenes[0]!.items.map((item) => item.id)).toEqual(['i2', 'i4', 'i1']);
  });

  it('updates an item partially and leaves the input collection untouched', () => {
    const before = studio();
    const after = applySceneCommand(before, { type: 'updateItem', itemId: 'i1', patch: { opacity: 0.5, locked: true } });
    expect(after.scenes[0]!.items[0]).toMatchObject({ opacity: 0.5, locked: true, position: { x: 0, y: 0 } });
    expect(before.scenes[0]!.items[0]!.opacity).toBe(1);
  });

  it('a patch changes only the fields it names: the others keep their values, not their defaults', () => {
    let collection = applySceneCommand(studio(), {
      type: 'updateItem',
      itemId: 'i3',
      patch: { crop: { left: 4, top: 0, right: 0, bottom: 0 }, rotationDeg: 30, visible: false },
    });
    collection = applySceneCommand(collection, { type: 'updateItem', itemId: 'i3', patch: { position: { x: 7, y: 8 } } });
    expect(collection.scenes[1]!.items[0]).toMatchObject({
      position: { x: 7, y: 8 },
      scale: { x: 0.5, y: 0.5 },
      rotationDeg: 30,
      crop: { left: 4 },
      visible: false,
    });
    collection = applySceneCommand(collection, { type: 'setAudio', sourceId: 'cam', audio: { gainDb: -6 } });
    collection = applySceneCommand(collection, { type: 'setAudio', sourceId: 'cam', audio: { muted: true } });
    expect(collection.sources[0]!.audio).toMatchObject({ gainDb: -6, muted: true });
    collection = applySceneCommand(collection, { type: 'setTransition', transition: { kind: 'slide' } });
    collection = applySceneCommand(collection, { type: 'setTransition', transition: { durationMs: 900 } });
    expect(collection.transition).toEqual({ kind: 'slide', durationMs: 900 });
  });

  it('refuses edits that would break the collection, with a clear error', () => {
    const collection = studio();
    expect(() => applySceneCommand(collection, { type: 'addItem', sceneId: 'scene-1', item: { id: 'i9', sourceId: 'nope' } })).toThrow(
      /source nope, which is not in the collection/,
    );
    expect(() => applySceneCommand(collection, { type: 'addItem', sceneId: 'scene-1', item: { id: 'i1', sourceId: 'cam' } })).toThrow(
      /item id i1 is used twice/,
    );
    expect(() => applySceneCommand(collection, { type: 'updateItem', itemId: 'i1', patch: { opacity: 2 } })).toThrow(SceneCommandError);
    expect(() =>
      applySceneCommand(collection, { type: 'updateSource', sourceId: 'cam', settings: { kind: 'color', color: '#ff0000' } }),
    ).toThrow(/is a camera, not a color/);
    const single = emptyCollection('x', 'X');
    expect(() => applySceneCommand(single, { type: 'removeScene', sceneId: 'scene-1' })).toThrow(/at least one scene/);
  });

  it('reorders scenes and renames the collection', () => {
    let collection = applySceneCommand(studio(), { type: 'moveScene', sceneId: 'scene-2', toIndex: 0 });
    expect(collection.scenes.map((scene) => scene.id)).toEqual(['scene-2', 'scene-1']);
    collection = applySceneCommand(collection, { type: 'moveScene', sceneId: 'scene-2', toIndex: 99 });
    expect(collection.scenes.map((scene) => scene.id)).toEqual(['scene-1', 'scene-2']);
    expect(applySceneCommand(collection, { type: 'renameCollection', name: 'Evening show' }).name).toBe('Evening show');
    expect(() => applySceneCommand(collection, { type: 'moveScene', sceneId: 'gone', toIndex: 0 })).toThrow(/no scene gone/);
  });

  it('moves program and preview off a removed scene', () => {
    let collection = applySceneCommand(studio(), { type: 'setProgramScene', sceneId: 'scene-2' });
    collection = applySceneCommand(collection, { type: 'removeScene', sceneId: 'scene-2' });
    expect(collection.programSceneId).toBe('scene-1');
  });

  it('rejects bad colours, ids and URLs', () => {
    const base: SceneCollectionInput = JSON.parse(JSON.stringify(studio())) as SceneCollectionInput;
    const withSource = (settings: unknown) => ({ ...base, sources: [...base.sources, { id: 'z', name: 'Z', settings }] });
    expect(SceneCollection.safeParse(withSource({ kind: 'color', color: 'red' })).success).toBe(false);
    expect(SceneCollection.safeParse(withSource({ kind: 'image', url: 'javascript:alert(1)' })).success).toBe(false);
    expect(SceneCollection.safeParse({ ...base, id: '../etc' }).success).toBe(false);
  });
});

describe('scene collection migrations', () => {
  const chain: SceneMigration[] = [
    { from: 1, describe: 'rename title to name', up: ({ title, ...rest }) => ({ ...rest, name: title }) },
    { from: 2, describe: 'add tags', up: (collection) => ({ ...collection, tags: [] }) },
  ];

  it('lifts an old collection one version at a time', () => {
    expect(migrateJson({ version: 1, title: 'Show' }, chain, 3)).toEqual({ version: 3, name: 'Show', tags: [] });
    expect(migrateJson({ version: 2, name: 'Show' }, chain, 3)).toEqual({ version: 3, name: 'Show', tags: [] });
  });

  it('refuses a collection from a newer Tally, one without a version, and a gap in the chain', () => {
    expect(() => migrateJson({ version: 4 }, chain, 3)).toThrow(/reads up to 3; update Tally/);
    expect(() => migrateJson({ name: 'x' }, chain, 3)).toThrow(/format version/);
    expect(() => migrateJson([], chain, 3)).toThrow(SceneCollectionError);
    expect(() => migrateJson({ version: 1 }, chain.slice(1), 3)).toThrow(/no migration from scene collection version 1/);
  });

  it('reads the current version and refuses an invalid one with the reason', () => {
    expect(migrateSceneCollection(studio()).version).toBe(SCENE_COLLECTION_VERSION);
    expect(() => migrateSceneCollection({ ...studio(), programSceneId: 'gone' })).toThrow(/programSceneId gone is not a scene/);
    expect(() => migrateSceneCollection({ version: SCENE_COLLECTION_VERSION + 1 })).toThrow(/update Tally/);
  });
});

describe('reading stored collections (fuzz)', () => {
  it('any JSON either reads as a valid collection or fails with a SceneCollectionError, never anything else', () => {
    const deadline = Date.now() + 2000;
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.record({ version: fc.integer({ min: -2, max: 4 }), id: fc.string(), scenes: fc.jsonValue() })),
        (value) => {
          try {
            const collection = migrateSceneCollection(value);
            return SceneCollection.safeParse(collection).success;
          } catch (error) {
            return error instanceof SceneCollectionError;
          }
        },
      ),
      { numRuns: 500, interruptAfterTimeLimit: Math.max(100, deadline - Date.now()) },
    );
  });

  it('mutations of a valid collection never slip past validation', () => {
    const valid = JSON.parse(JSON.stringify(studio())) as Record<string, unknown>;
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(valid)), fc.jsonValue(), (key, replacement) => {
        try {
          migrateSceneCollection({ ...valid, [key]: replacement });
          return true;
        } catch (error) {
          return error instanceof SceneCollectionError;
        }
      }),
      { numRuns: 300 },
    );
  });
});
