/**
 * The camera chosen in the first-run wizard, put in the scene when the studio first runs:
 * a camera source with that device at the output size the wizard proposed (never larger
 * than the camera gives), fitted to the canvas as its picture arrives, through the Add
 * Source flow. Only into a fresh collection: a scene with anything in it is left alone.
 */
import type { SourceSettings } from '../../../common/scene/schema.ts';
import { addSourceWithItem, fitCanvas, newSourceName } from '../sources/add-source.ts';
import type { Studio } from '../studio/studio.ts';

/** The camera the wizard's user allowed and chose. `deviceId` null is the default camera. */
export interface WizardCamera {
  deviceId: string | null;
  width: number;
  height: number;
  fps: number;
}

/**
 * Adds `camera` to the scene being edited when no scene of the collection shows anything yet;
 * returns the new item's id, or null when it left the collection alone (or the edit was refused).
 */
export function addWizardCamera(studio: Studio, camera: WizardCamera): string | null {
  if (studio.engine.collection.scenes.some((scene) => scene.items.length > 0)) return null;
  const settings: SourceSettings = { kind: 'camera', ...camera };
  return addSourceWithItem(studio, newSourceName(studio, 'Camera'), settings, undefined, fitCanvas)?.itemId ?? null;
}
