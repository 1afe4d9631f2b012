/** The collection a new studio (or "New" in the Scene Collection menu) starts with. */
import { SCENE_COLLECTION_VERSION, SceneCollection, type Canvas, type Source } from '../../../common/scene/schema.ts';

export interface NewCollectionOptions {
  id: string;
  name: string;
  canvas: Canvas;
  /** Sources that belong to no scene and are heard in all (the microphone, as OBS's Mic/Aux). */
  globalSources?: Source[];
}

/** One empty scene named "Scene", and the global sources given. */
export function newStudioCollection(options: NewCollectionOptions): SceneCollection {
  return SceneCollection.parse({
    version: SCENE_COLLECTION_VERSION,
    id: options.id,
    name: options.name,
    canvas: options.canvas,
    sources: options.globalSources ?? [],
    scenes: [{ id: 'scene', name: 'Scene', items: [] }],
    programSceneId: 'scene',
    previewSceneId: 'scene',
  });
}

/** OBS's global microphone source. */
export function globalMicrophone(deviceId: string | null): Source {
  return {
    id: 'mic-aux',
    name: 'Mic/Aux',
    settings: { kind: 'microphone', deviceId },
    filters: [],
    audio: { gainDb: 0, muted: false, syncOffsetMs: 0, monitoring: 'off' },
  };
}

/** The sources of a collection that no scene shows (global audio), to carry into a new collection. */
export function globalSourcesOf(collection: SceneCollection): Source[] {
  const shown = new Set(collection.scenes.flatMap((scene) => scene.items.map((item) => item.sourceId)));
  return collection.sources.filter((source) => !shown.has(source.id));
}
