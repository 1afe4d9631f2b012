/**
 * "Add to scene": the scene commands that put a library item into a scene, as a media source
 * (video, recording, sound) or an image source (image, screenshot), through the same
 * `SceneCommand`s every other edit uses. Pure, so it is tested without a browser.
 */
import type { LibraryItem } from '../../../common/host/library-contract.ts';
import type { SceneCommand } from '../../../common/scene/commands.ts';
import type { SceneCollection, SourceSettings } from '../../../common/scene/schema.ts';

export interface AddToSceneOptions {
  /** The scene to add to: preview in studio mode, program otherwise. */
  sceneId: string;
  /** Where to centre the item, in canvas pixels (a drop on the preview); the canvas centre by default. */
  at?: { x: number; y: number };
  /** A fresh id suffix, A-Z a-z 0-9 _ - (tests pass a fixed one). */
  newId?: () => string;
}

/** The source settings for an item: images are image sources, anything with a timeline a media source. */
export function sourceSettingsFor(item: Pick<LibraryItem, 'kind' | 'mediaUrl'>): SourceSettings {
  return item.kind === 'image' || item.kind === 'screenshot'
    ? { kind: 'image', url: item.mediaUrl }
    : { kind: 'media', url: item.mediaUrl, loop: true };
}

/** True when an item can go into a scene (its file is there and readable). */
export function canAddToScene(item: Pick<LibraryItem, 'status' | 'trashedAtMs'>): boolean {
  return item.status === 'ok' && item.trashedAtMs === null;
}

/**
 * Commands that show `item` in a scene: a source (reused when the collection already has one
 * for the same file), then an item on top, at its own size or scaled down to fit the canvas,
 * centred on `at` and kept inside the canvas.
 */
export function addToSceneCommands(item: LibraryItem, collection: SceneCollection, options: AddToSceneOptions): SceneCommand[] {
  const newId = options.newId ?? (() => Math.random().toString(36).slice(2, 10));
  const settings = sourceSettingsFor(item);
  const existing = collection.sources.find(
    (source) => source.settings.kind === settings.kind && 'url' in source.settings && source.settings.url === item.mediaUrl,
  );
  const commands: SceneCommand[] = [];
  const sourceId = existing?.id ?? `library-${item.id}-${newId()}`;
  if (!existing) commands.push({ type: 'addSource', source: { id: sourceId, name: item.title.slice(0, 200) || item.fileName, settings } });

  const { width: canvasWidth, height: canvasHeight } = collection.canvas;
  const width = item.width ?? 0;
  const height = item.height ?? 0;
  const scale = width > 0 && height > 0 ? Math.min(1, canvasWidth / width, canvasHeight / height) : 1;
  const shownWidth = width * scale;
  const shownHeight = height * scale;
  const centre = options.at ?? { x: canvasWidth / 2, y: canvasHeight / 2 };
  const clamp = (value: number, max: number) => Math.max(0, Math.min(value, Math.max(0, max)));
  commands.push({
    type: 'addItem',
    sceneId: options.sceneId,
    item: {
      id: `item-${newId()}`,
      sourceId,
      position: {
        x: clamp(centre.x - shownWidth / 2, canvasWidth - shownWidth),
        y: clamp(centre.y - shownHeight / 2, canvasHeight - shownHeight),
      },
      scale: { x: scale, y: scale },
    },
  });
  return commands;
}
