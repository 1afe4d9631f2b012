/**
 * Which sources are *active*: shown on program by a visible item. A media source set to
 * restart on activate plays from its start whenever it becomes active (its scene goes to
 * program, or its item is shown there), as OBS does. Pure, for the tests.
 */
import type { SceneCollection } from '../../common/scene/schema.ts';

/** The ids of the sources a visible item shows on the program scene. */
export function activeSourceIds(collection: SceneCollection): Set<string> {
  const program = collection.scenes.find((scene) => scene.id === collection.programSceneId);
  return new Set(program?.items.filter((item) => item.visible).map((item) => item.sourceId) ?? []);
}

/** Media sources with `restartOnActivate` that are active in `after` and were not in `before`. */
export function sourcesToRestart(before: SceneCollection, after: SceneCollection): string[] {
  const was = activeSourceIds(before);
  const restartable = new Set(
    after.sources.filter((source) => source.settings.kind === 'media' && source.settings.restartOnActivate).map((source) => source.id),
  );
  return [...activeSourceIds(after)].filter((id) => !was.has(id) && restartable.has(id));
}
