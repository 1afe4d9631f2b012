/**
 * Adding sources to the scene being edited: a new source of a type (added at once, on top,
 * so its properties dialog shows it live; an image or media file once it is chosen), or an
 * existing source shown here too (shared, as OBS's "Add Existing"). A new picture is placed
 * when its size is known: centred, or fitted when larger than the canvas.
 */
import { fitToCanvas, placeNewItem, resetTransform, type ItemTransform } from '../../../common/scene/editing.ts';
import { findItem, uniqueName } from '../../../common/scene/operations.ts';
import type { Canvas, SourceKind, SourceSettings } from '../../../common/scene/schema.ts';
import type { Size } from '../../../common/scene/transforms.ts';
import type { Studio } from '../studio/studio.ts';
import { initialSettings, isVisual, SOURCE_KINDS } from './source-kinds.ts';

/** How long a new picture may take to report its size before it stays where it was put. */
const PLACE_WITHIN_MS = 15_000;

/** Where each item was placed automatically, so placing it again can tell whether the user has moved it since. */
const autoPlaced = new Map<string, string>();
const placementKey = (item: { position: { x: number; y: number }; scale: { x: number; y: number } }) =>
  JSON.stringify([item.position.x, item.position.y, item.scale.x, item.scale.y]);

/** Where a new picture goes once its size is known: `placeNewItem` (centred, or fitted when larger), or `fitCanvas`. */
export type Placement = (size: Size, canvas: Canvas) => Pick<ItemTransform, 'position' | 'scale'>;

/** As large as fits the canvas, centred: for a picture that is the whole scene (the first camera). */
export const fitCanvas: Placement = (size, canvas) => {
  const { position, scale } = fitToCanvas(resetTransform(), size, canvas);
  return { position, scale };
};

/** A unique name for a new source. */
export function newSourceName(studio: Studio, base: string): string {
  return uniqueName(
    base,
    studio.engine.collection.sources.map((source) => source.name),
  );
}

/**
 * Adds a source with `settings` and an item showing it on top of the scene being edited,
 * placed by `place` once its picture's size is known; returns their ids.
 */
export function addSourceWithItem(
  studio: Studio,
  name: string,
  settings: SourceSettings,
  sourceId: string = studio.ids('source'),
  place: Placement = placeNewItem,
): { sourceId: string; itemId: string } | null {
  const itemId = studio.ids('item');
  const scene = studio.editingScene();
  const added = studio.dispatch(
    { type: 'addSource', source: { id: sourceId, name, settings } },
    { type: 'addItem', sceneId: scene.id, item: { id: itemId, sourceId } },
  );
  if (!added) return null;
  studio.selection.set(itemId);
  if (isVisual(settings)) placeWhenSized(studio, itemId, sourceId, place);
  return { sourceId, itemId };
}

/** Starts adding a source of `kind`: adds it (unless it needs a file first) and opens its properties. */
export function addSourceOfKind(studio: Studio, kind: SourceKind): void {
  const info = SOURCE_KINDS.find((candidate) => candidate.kind === kind)!;
  const name = newSourceName(studio, info.defaultName);
  const settings = initialSettings(kind, studio.engine.collection.canvas, studio.settings.get().audio);
  if (!settings) {
    studio.open({
      kind: 'source',
      sourceId: studio.ids('source'),
      itemId: null,
      created: true,
      pending: { kind: kind as 'image' | 'media', name },
    });
    return;
  }
  const added = addSourceWithItem(studio, name, settings);
  if (added) studio.open({ kind: 'source', sourceId: added.sourceId, itemId: added.itemId, created: true });
}

/** Shows an existing source in the scene being edited too. */
export function addExistingSource(studio: Studio, sourceId: string): void {
  const existing = studio.engine.collection.scenes.flatMap((scene) => scene.items).find((item) => item.sourceId === sourceId);
  const itemId = studio.ids('item');
  // The same placement as elsewhere: a shared source usually sits in the same spot in each scene.
  const placement = existing
    ? { position: existing.position, scale: existing.scale, rotationDeg: existing.rotationDeg, crop: existing.crop }
    : resetTransform();
  if (studio.dispatch({ type: 'addItem', sceneId: studio.editingScene().id, item: { id: itemId, sourceId, ...placement } }))
    studio.selection.set(itemId);
}

/**
 * Places a new item once its source reports a size, unless the user moved or resized it
 * first. Polls (a camera can take seconds to open); gives up after `PLACE_WITHIN_MS`.
 */
export function placeWhenSized(studio: Studio, itemId: string, sourceId: string, place: Placement = placeNewItem): void {
  const startedAt = Date.now();
  const untouched = resetTransform();
  const tick = () => {
    const found = findItem(studio.engine.collection, itemId);
    if (!found) return;
    const { position, scale } = found.item;
    if (position.x !== untouched.position.x || position.y !== untouched.position.y || scale.x !== 1 || scale.y !== 1) return;
    const size = studio.engine.sourceSize(sourceId);
    if (size) {
      const placement = place(size, studio.engine.collection.canvas);
      if (studio.dispatch({ type: 'updateItem', itemId, patch: placement })) autoPlaced.set(itemId, placementKey(placement));
      return;
    }
    if (Date.now() - startedAt < PLACE_WITHIN_MS) setTimeout(tick, 100);
  };
  tick();
}

/**
 * Places an automatically placed item again for its picture's size now (a text that grew
 * while its dialog was open), unless the user has moved or resized it since.
 */
export function placeAgainIfUntouched(studio: Studio, itemId: string): void {
  const found = findItem(studio.engine.collection, itemId);
  const key = autoPlaced.get(itemId);
  autoPlaced.delete(itemId);
  if (!found || key !== placementKey(found.item)) return;
  const size = studio.engine.sourceSize(found.item.sourceId);
  if (size) studio.dispatch({ type: 'updateItem', itemId, patch: placeNewItem(size, studio.engine.collection.canvas) });
}
