/**
 * Collection edits the studio composes from several commands: duplicating a scene, pasting
 * an item, naming things uniquely, and giving an imported collection fresh ids. Pure; ids
 * come from an injected generator so results are reproducible in tests.
 */
import type { SceneCommand } from './commands.ts';
import type { Scene, SceneCollection, SceneItem, Source } from './schema.ts';

/** Makes a fresh id with a readable prefix (`scene-…`, `item-…`); unique within the collection. */
export type IdMaker = (prefix: string) => string;

/** An id maker over `crypto.getRandomValues` (available in browsers and Node). */
export function randomIds(): IdMaker {
  return (prefix) => {
    const bytes = crypto.getRandomValues(new Uint8Array(6));
    return `${prefix}-${Array.from(bytes, (byte) => byte.toString(36).padStart(2, '0')).join('')}`;
  };
}

/** `base`, or `base 2`, `base 3`… whichever is not taken (names compare case-insensitively, as OBS does). */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const names = new Set([...taken].map((name) => name.toLowerCase()));
  const trimmed = base.trim() || 'Untitled';
  if (!names.has(trimmed.toLowerCase())) return trimmed;
  const stem = trimmed.replace(/ \d+$/, '');
  for (let n = 2; ; n++) {
    const candidate = `${stem} ${n}`;
    if (!names.has(candidate.toLowerCase())) return candidate;
  }
}

/** The scene a command addresses by id. */
export function sceneById(collection: SceneCollection, sceneId: string): Scene | undefined {
  return collection.scenes.find((scene) => scene.id === sceneId);
}

/** The scene an item is in, and the item. */
export function findItem(collection: SceneCollection, itemId: string): { scene: Scene; item: SceneItem; index: number } | null {
  for (const scene of collection.scenes) {
    const index = scene.items.findIndex((item) => item.id === itemId);
    if (index >= 0) return { scene, item: scene.items[index]!, index };
  }
  return null;
}

/** The source an item shows. */
export function sourceOf(collection: SceneCollection, item: Pick<SceneItem, 'sourceId'>): Source | undefined {
  return collection.sources.find((source) => source.id === item.sourceId);
}

/** A copy of a scene right after it, named "<name> 2", showing the same (shared) sources. */
export function duplicateScene(collection: SceneCollection, sceneId: string, ids: IdMaker): SceneCommand[] {
  const index = collection.scenes.findIndex((scene) => scene.id === sceneId);
  const original = collection.scenes[index];
  if (!original) return [];
  const copy: Scene = {
    id: ids('scene'),
    name: uniqueName(
      original.name,
      collection.scenes.map((scene) => scene.name),
    ),
    items: original.items.map((item) => ({ ...structuredClone(item), id: ids('item') })),
  };
  return [
    { type: 'addScene', scene: copy },
    { type: 'moveScene', sceneId: copy.id, toIndex: index + 1 },
  ];
}

/**
 * Pastes a copied item into a scene, on top. `shared` (OBS's "Paste (Reference)") shows the
 * same source, so edits to it show everywhere; otherwise the source is copied too ("Paste
 * (Duplicate)"), with its filters and audio, under a unique name.
 */
export function pasteItem(
  collection: SceneCollection,
  copied: { item: SceneItem; source: Source },
  sceneId: string,
  shared: boolean,
  ids: IdMaker,
): SceneCommand[] {
  const commands: SceneCommand[] = [];
  let sourceId = copied.source.id;
  const sourceStillThere = collection.sources.some((source) => source.id === sourceId);
  if (!shared || !sourceStillThere) {
    sourceId = ids('source');
    commands.push({
      type: 'addSource',
      source: {
        ...structuredClone(copied.source),
        id: sourceId,
        name: uniqueName(
          copied.source.name,
          collection.sources.map((source) => source.name),
        ),
      },
    });
  }
  commands.push({ type: 'addItem', sceneId, item: { ...structuredClone(copied.item), id: ids('item'), sourceId } });
  return commands;
}

/**
 * An imported or new collection made safe to store beside the others: a fresh id, and a
 * name no other stored collection has.
 */
export function asNewCollection(collection: SceneCollection, id: string, takenNames: Iterable<string>): SceneCollection {
  return { ...collection, id, name: uniqueName(collection.name, takenNames) };
}

/**
 * Removing an item from its scene, and the edits that undo it. The source goes too when no
 * other item shows it, so a removed camera stops capturing; a source shown elsewhere stays.
 */
export function removeItemWithUndo(collection: SceneCollection, itemId: string): { remove: SceneCommand[]; undo: SceneCommand[] } {
  const found = findItem(collection, itemId);
  if (!found) return { remove: [], undo: [] };
  const source = sourceOf(collection, found.item);
  const sharedElsewhere = collection.scenes.some((scene) =>
    scene.items.some((item) => item.id !== itemId && item.sourceId === found.item.sourceId),
  );
  const removeSource = source !== undefined && !sharedElsewhere;
  return {
    remove: removeSource ? [{ type: 'removeSource', sourceId: source.id }] : [{ type: 'removeItem', itemId }],
    undo: [
      ...(removeSource ? [{ type: 'addSource' as const, source: structuredClone(source) }] : []),
      { type: 'addItem', sceneId: found.scene.id, item: structuredClone(found.item), index: found.index },
    ],
  };
}

/**
 * Removing a scene, and the edits that undo it. Sources only that scene showed go too (as
 * OBS frees them), so nothing keeps capturing for a scene that is gone; sources no scene
 * shows (global audio) and sources other scenes show stay.
 */
export function removeSceneWithUndo(collection: SceneCollection, sceneId: string): { remove: SceneCommand[]; undo: SceneCommand[] } {
  const index = collection.scenes.findIndex((scene) => scene.id === sceneId);
  const scene = collection.scenes[index];
  if (!scene) return { remove: [], undo: [] };
  const elsewhere = new Set(
    collection.scenes.filter((other) => other !== scene).flatMap((other) => other.items.map((item) => item.sourceId)),
  );
  const orphaned = collection.sources.filter(
    (source) => scene.items.some((item) => item.sourceId === source.id) && !elsewhere.has(source.id),
  );
  return {
    remove: [{ type: 'removeScene', sceneId }, ...orphaned.map((source) => ({ type: 'removeSource' as const, sourceId: source.id }))],
    undo: [
      ...orphaned.map((source) => ({ type: 'addSource' as const, source: structuredClone(source) })),
      { type: 'addScene', scene: structuredClone(scene) },
      { type: 'moveScene', sceneId, toIndex: index },
      ...(collection.programSceneId === sceneId ? [{ type: 'setProgramScene' as const, sceneId }] : []),
      ...(collection.previewSceneId === sceneId ? [{ type: 'setPreviewScene' as const, sceneId }] : []),
    ],
  };
}
