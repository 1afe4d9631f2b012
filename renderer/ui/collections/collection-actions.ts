/**
 * Scene collections from the Scene Collection menu: new, rename, switch, remove, export to
 * a file and import from one (a Tally export, or an OBS scene collection with a report of
 * what did not map). Every long step shows progress; every failure is a notification.
 */
import { migrateSceneCollection } from '../../../common/scene/migrations.ts';
import { importObsCollection } from '../../../common/scene/obs-import.ts';
import { asNewCollection } from '../../../common/scene/operations.ts';
import type { SceneCollection } from '../../../common/scene/schema.ts';
import { globalSourcesOf, newStudioCollection } from '../studio/new-collection.ts';
import type { Studio } from '../studio/studio.ts';

/** Saves what is pending, then runs the collection `next` in the engine (autosave stores it and makes it active). */
async function load(studio: Studio, next: SceneCollection): Promise<void> {
  await studio.autosave.flush();
  studio.engine.load(next);
  studio.selection.set(null);
  studio.refresh();
  await studio.autosave.flush();
}

async function takenNames(studio: Studio): Promise<string[]> {
  return (await studio.host.api.scenes.listCollections()).map((summary) => summary.name);
}

/** Switches to a stored collection. */
export async function switchCollection(studio: Studio, id: string): Promise<void> {
  try {
    await studio.progress.track('Switching scene collection', async () => {
      await studio.autosave.flush();
      const next = await studio.host.api.scenes.getCollection(id);
      if (!next) throw new Error('that collection is no longer stored');
      await load(studio, next);
    });
  } catch (error) {
    studio.toasts.error('Switching the scene collection', error);
  }
}

/** A new collection with one empty scene, the current canvas and the current global audio. */
export async function createCollection(studio: Studio, name: string): Promise<void> {
  try {
    const current = studio.engine.collection;
    const next = newStudioCollection({
      id: studio.ids('collection'),
      name,
      canvas: current.canvas,
      globalSources: globalSourcesOf(current),
    });
    await load(studio, asNewCollection(next, next.id, await takenNames(studio)));
  } catch (error) {
    studio.toasts.error('Creating the scene collection', error);
  }
}

/** Deletes a stored collection that is not the active one. */
export async function removeCollection(studio: Studio, id: string, name: string): Promise<void> {
  try {
    await studio.host.api.scenes.removeCollection(id);
    studio.toasts.info(`Deleted the scene collection “${name}”.`);
  } catch (error) {
    studio.toasts.error('Deleting the scene collection', error);
  }
}

/** Downloads the collection as JSON (`<name>.json`), importable into any Tally. */
export function exportCollection(collection: SceneCollection): string {
  const name = `${collection.name.replace(/[\\/:*?"<>|]+/g, '-').trim() || 'scenes'}.json`;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([JSON.stringify(collection, null, 2)], { type: 'application/json' }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return name;
}

/** Whether parsed JSON looks like an OBS scene collection (OBS keeps scenes among its sources). */
export function isObsCollection(json: unknown): boolean {
  const sources = (json as { sources?: unknown } | null)?.sources;
  return (
    Array.isArray(sources) &&
    sources.some((source) => (source as { id?: unknown } | null)?.id === 'scene') &&
    (json as { version?: unknown }).version === undefined
  );
}

/**
 * Imports a collection file, Tally's or OBS's, as a new collection and switches to it.
 * An OBS import opens its report.
 */
export async function importCollectionFile(studio: Studio, file: File): Promise<void> {
  try {
    await studio.progress.track(`Importing ${file.name}`, async () => {
      if (file.size > 32 * 1024 * 1024) throw new Error('the file is larger than 32 MiB; a scene collection is far smaller');
      let json: unknown;
      try {
        json = JSON.parse(await file.text());
      } catch {
        throw new Error(`${file.name} is not JSON: choose a Tally export or an OBS scene collection (.json)`);
      }
      const taken = await takenNames(studio);
      const id = studio.ids('collection');
      if (isObsCollection(json)) {
        // OBS positions are in its own base resolution, which the file does not carry: 1920x1080 (OBS's default) unless it says.
        const result = importObsCollection(json, { id });
        const collection = asNewCollection(result.collection, id, taken);
        await load(studio, collection);
        const { scenes, sources, items } = result.counts;
        studio.open({
          kind: 'importReport',
          title: 'OBS import report',
          summary: `Imported “${collection.name}” from OBS: ${scenes} scenes, ${sources} sources, ${items} items.`,
          notes: result.notes,
        });
      } else {
        const collection = asNewCollection(migrateSceneCollection(json), id, taken);
        await load(studio, collection);
        studio.toasts.success(`Imported the scene collection “${collection.name}”.`);
      }
    });
  } catch (error) {
    studio.toasts.error(`Importing ${file.name}`, error);
  }
}
