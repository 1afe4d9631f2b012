/** React access to the studio: the `Studio` object and selected parts of its snapshot. */
import { createContext, useContext } from 'react';
import type { SceneCollection } from '../../../common/scene/schema.ts';
import type { StudioSettings } from '../../../common/settings/studio-settings.ts';
import type { EngineSnapshot } from '../../engine/index.ts';
import type { Studio } from './studio.ts';
import { useStore } from './store.ts';

export const StudioContext = createContext<Studio | null>(null);

/** The studio of the main window. */
export function useStudio(): Studio {
  const studio = useContext(StudioContext);
  if (!studio) throw new Error('useStudio outside the main window');
  return studio;
}

/** A part of the engine snapshot; `select` must return a value that is already in the snapshot (no new objects). */
export function useSnapshot<S>(select: (snapshot: EngineSnapshot) => S): S {
  return useStore(useStudio().snapshot, select);
}

/** The scene collection (a new object only when it changed). */
export function useCollection(): SceneCollection {
  return useSnapshot((snapshot) => snapshot.collection);
}

/** The studio's settings. */
export function useSettings(): StudioSettings {
  return useStore(useStudio().settings);
}
