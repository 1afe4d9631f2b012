/**
 * What can be done to a scene item, shared by the preview's context menu, the Sources dock
 * and the keyboard: open its dialogs, order, transform, hide, lock, copy, paste, remove.
 */
import { centreOnCanvas, fitToCanvas, flipItem, resetTransform, rotateBy, stretchToCanvas } from '../../../common/scene/editing.ts';
import { findItem, pasteItem, removeItemWithUndo, sourceOf } from '../../../common/scene/operations.ts';
import type { Size } from '../../../common/scene/transforms.ts';
import type { MenuEntry } from '../components/Menu.tsx';
import { nominalSize } from '../sources/source-kinds.ts';
import type { Studio } from '../studio/studio.ts';

export type ItemAction =
  | 'properties'
  | 'filters'
  | 'rename'
  | 'moveUp'
  | 'moveDown'
  | 'moveTop'
  | 'moveBottom'
  | 'reset'
  | 'fit'
  | 'stretch'
  | 'centre'
  | 'flipH'
  | 'flipV'
  | 'rotateCw'
  | 'rotateCcw'
  | 'toggleVisible'
  | 'toggleLock'
  | 'copy'
  | 'remove';

/** The size of the picture an item shows: the running source's, or what it asked for. */
export function itemSourceSize(studio: Studio, sourceId: string): Size | null {
  const source = studio.engine.collection.sources.find((candidate) => candidate.id === sourceId);
  return studio.engine.sourceSize(sourceId) ?? (source ? nominalSize(source.settings) : null);
}

/** Carries out one action on an item. */
export function runItemAction(studio: Studio, itemId: string, action: ItemAction): void {
  const collection = studio.engine.collection;
  const found = findItem(collection, itemId);
  const source = found && sourceOf(collection, found.item);
  if (!found || !source) return;
  const { item, scene, index } = found;
  const size = itemSourceSize(studio, item.sourceId);
  const canvas = collection.canvas;
  const update = (patch: object) => studio.dispatch({ type: 'updateItem', itemId, patch });
  switch (action) {
    case 'properties':
      return studio.open({ kind: 'source', sourceId: source.id, itemId, created: false });
    case 'filters':
      return studio.open({ kind: 'filters', sourceId: source.id });
    case 'rename':
      return studio.open({
        kind: 'rename',
        title: 'Rename source',
        label: 'Source name',
        value: source.name,
        onRename: (name) => studio.dispatch({ type: 'updateSource', sourceId: source.id, name }),
      });
    case 'moveUp':
      return void studio.dispatch({ type: 'moveItem', itemId, toIndex: index + 1 });
    case 'moveDown':
      return void studio.dispatch({ type: 'moveItem', itemId, toIndex: Math.max(0, index - 1) });
    case 'moveTop':
      return void studio.dispatch({ type: 'moveItem', itemId, toIndex: scene.items.length - 1 });
    case 'moveBottom':
      return void studio.dispatch({ type: 'moveItem', itemId, toIndex: 0 });
    case 'reset':
      return void update(resetTransform());
    case 'fit':
      return void (size && update(fitToCanvas(item, size, canvas)));
    case 'stretch':
      return void (size && update(stretchToCanvas(item, size, canvas)));
    case 'centre':
      return void (size && update(centreOnCanvas(item, size, canvas)));
    case 'flipH':
      return void update(flipItem(item, 'x'));
    case 'flipV':
      return void update(flipItem(item, 'y'));
    case 'rotateCw':
      return void update(rotateBy(item, 90));
    case 'rotateCcw':
      return void update(rotateBy(item, -90));
    case 'toggleVisible':
      return void update({ visible: !item.visible });
    case 'toggleLock':
      return void update({ locked: !item.locked });
    case 'copy':
      studio.clipboard = { item: structuredClone(item), source: structuredClone(source) };
      return void studio.toasts.info(`Copied “${source.name}”: paste it into any scene with Ctrl+V.`);
    case 'remove': {
      const { remove, undo } = removeItemWithUndo(collection, itemId);
      if (studio.dispatch(...remove))
        studio.toasts.info(`Removed “${source.name}”.`, { label: 'Undo', run: () => studio.dispatch(...undo) });
      return;
    }
  }
}

/** Pastes the copied item into the scene being edited: sharing its source, or with a copy of it. */
export function pasteIntoScene(studio: Studio, duplicate: boolean): void {
  const copied = studio.clipboard;
  if (!copied) return void studio.toasts.info('Nothing to paste: copy a source first (Ctrl+C).');
  const commands = pasteItem(studio.engine.collection, copied, studio.editingScene().id, !duplicate, studio.ids);
  if (studio.dispatch(...commands)) {
    const added = commands.at(-1);
    if (added?.type === 'addItem') studio.selection.set(added.item.id);
  }
}

/** Moves the selection by (dx, dy) canvas pixels (the arrow keys). */
export function nudgeSelection(studio: Studio, dx: number, dy: number): void {
  const itemId = studio.selection.get();
  const found = itemId ? findItem(studio.engine.collection, itemId) : null;
  if (!found || found.item.locked) return;
  studio.dispatch({
    type: 'updateItem',
    itemId: found.item.id,
    patch: { position: { x: found.item.position.x + dx, y: found.item.position.y + dy } },
  });
}

/** The context menu of an item. */
export function itemMenu(studio: Studio, itemId: string): MenuEntry[] {
  const found = findItem(studio.engine.collection, itemId);
  if (!found) return [];
  const { item, scene, index } = found;
  const run = (action: ItemAction) => () => runItemAction(studio, itemId, action);
  const top = index === scene.items.length - 1;
  const bottom = index === 0;
  return [
    { label: 'Properties…', onSelect: run('properties') },
    { label: 'Filters…', onSelect: run('filters') },
    { label: 'Rename…', onSelect: run('rename') },
    'separator',
    {
      label: 'Order',
      items: [
        { label: 'Move up', onSelect: run('moveUp'), disabled: top },
        { label: 'Move down', onSelect: run('moveDown'), disabled: bottom },
        { label: 'Move to top', onSelect: run('moveTop'), disabled: top },
        { label: 'Move to bottom', onSelect: run('moveBottom'), disabled: bottom },
      ],
    },
    {
      label: 'Transform',
      items: [
        { label: 'Reset transform', onSelect: run('reset') },
        { label: 'Fit to screen', onSelect: run('fit') },
        { label: 'Stretch to screen', onSelect: run('stretch') },
        { label: 'Centre on screen', onSelect: run('centre') },
        'separator',
        { label: 'Flip horizontal', onSelect: run('flipH') },
        { label: 'Flip vertical', onSelect: run('flipV') },
        { label: 'Rotate 90° clockwise', onSelect: run('rotateCw') },
        { label: 'Rotate 90° counter-clockwise', onSelect: run('rotateCcw') },
      ],
      disabled: item.locked,
    },
    'separator',
    { label: item.visible ? 'Hide' : 'Show', onSelect: run('toggleVisible') },
    { label: item.locked ? 'Unlock' : 'Lock', onSelect: run('toggleLock') },
    'separator',
    { label: 'Copy', hint: 'Ctrl+C', onSelect: run('copy') },
    { label: 'Paste (shared source)', hint: 'Ctrl+V', onSelect: () => pasteIntoScene(studio, false), disabled: !studio.clipboard },
    { label: 'Paste (duplicate)', hint: 'Ctrl+Shift+V', onSelect: () => pasteIntoScene(studio, true), disabled: !studio.clipboard },
    'separator',
    { label: 'Remove', hint: 'Del', onSelect: run('remove') },
  ];
}
