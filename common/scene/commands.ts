/**
 * Edits of a scene collection as data: the engine and the UI speak these, and `applySceneCommand`
 * is the one pure function that carries them out. Every result is validated, so an edit that
 * would break the collection (a dangling source, a duplicate id) is refused with a clear error.
 */
import { z } from 'zod';
import { AudioSettings, Canvas, Filter, Id, Scene, SceneCollection, SceneItem, Source, SourceSettings, Transition } from './schema.ts';

/**
 * The fields of `schema`, each optional and without its default. (zod 4's `.partial()` keeps
 * defaults, so a patch of one field would reset every other field to its default.)
 */
function patchOf<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  const fields = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      z.optional(field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType)),
    ]),
  );
  return z.object(fields) as unknown as z.ZodObject<{
    [K in keyof Shape]: z.ZodOptional<Shape[K] extends z.ZodDefault<infer Inner> ? Inner : Shape[K]>;
  }>;
}

const ItemPatch = patchOf(SceneItem.omit({ id: true, sourceId: true }));

/** One edit of a collection. */
export const SceneCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('addSource'), source: Source }),
  z.object({
    type: z.literal('updateSource'),
    sourceId: Id,
    name: z.string().min(1).max(200).optional(),
    settings: SourceSettings.optional(),
  }),
  z.object({ type: z.literal('removeSource'), sourceId: Id }),
  z.object({ type: z.literal('setFilters'), sourceId: Id, filters: z.array(Filter).max(32) }),
  z.object({ type: z.literal('setAudio'), sourceId: Id, audio: patchOf(AudioSettings) }),
  z.object({ type: z.literal('addScene'), scene: Scene }),
  z.object({ type: z.literal('renameScene'), sceneId: Id, name: z.string().min(1).max(200) }),
  z.object({ type: z.literal('removeScene'), sceneId: Id }),
  /** Moves a scene within the collection's scene list: 0 is the first. */
  z.object({ type: z.literal('moveScene'), sceneId: Id, toIndex: z.number().int().min(0) }),
  z.object({ type: z.literal('renameCollection'), name: z.string().min(1).max(200) }),
  z.object({ type: z.literal('addItem'), sceneId: Id, item: SceneItem, index: z.number().int().min(0).optional() }),
  z.object({ type: z.literal('updateItem'), itemId: Id, patch: ItemPatch }),
  z.object({ type: z.literal('removeItem'), itemId: Id }),
  /** Moves an item within its scene's z-order: 0 is the bottom. */
  z.object({ type: z.literal('moveItem'), itemId: Id, toIndex: z.number().int().min(0) }),
  z.object({ type: z.literal('setProgramScene'), sceneId: Id }),
  z.object({ type: z.literal('setPreviewScene'), sceneId: Id }),
  z.object({ type: z.literal('setTransition'), transition: patchOf(Transition) }),
  z.object({ type: z.literal('setCanvas'), canvas: Canvas }),
]);
export type SceneCommand = z.input<typeof SceneCommand>;

/** An edit that cannot be carried out: unknown ids, or a result that breaks the collection. */
export class SceneCommandError extends Error {
  override readonly name = 'SceneCommandError';
}

/** Carries out one edit and returns the new collection; the input is never changed. */
export function applySceneCommand(collection: SceneCollection, input: SceneCommand): SceneCollection {
  const parsed = SceneCommand.safeParse(input);
  if (!parsed.success) throw new SceneCommandError(`invalid scene command: ${z.prettifyError(parsed.error)}`);
  const command = parsed.data;
  const next = structuredClone(collection);
  const source = (id: string) => next.sources.find((candidate) => candidate.id === id) ?? fail(`no source ${id}`);
  const scene = (id: string) => next.scenes.find((candidate) => candidate.id === id) ?? fail(`no scene ${id}`);
  const itemAt = (id: string) => {
    for (const owner of next.scenes) {
      const index = owner.items.findIndex((item) => item.id === id);
      if (index >= 0) return { owner, index, item: owner.items[index]! };
    }
    return fail(`no item ${id}`);
  };

  switch (command.type) {
    case 'addSource':
      next.sources.push(command.source);
      break;
    case 'updateSource': {
      const target = source(command.sourceId);
      if (command.name !== undefined) target.name = command.name;
      if (command.settings) {
        if (command.settings.kind !== target.settings.kind)
          fail(`source ${target.id} is a ${target.settings.kind}, not a ${command.settings.kind}`);
        target.settings = command.settings;
      }
      break;
    }
    case 'removeSource':
      source(command.sourceId);
      next.sources = next.sources.filter((candidate) => candidate.id !== command.sourceId);
      for (const owner of next.scenes) owner.items = owner.items.filter((item) => item.sourceId !== command.sourceId);
      break;
    case 'setFilters':
      source(command.sourceId).filters = command.filters;
      break;
    case 'setAudio': {
      const target = source(command.sourceId);
      target.audio = { ...target.audio, ...stripUndefined(command.audio) };
      break;
    }
    case 'addScene':
      next.scenes.push(command.scene);
      break;
    case 'renameScene':
      scene(command.sceneId).name = command.name;
      break;
    case 'removeScene':
      scene(command.sceneId);
      if (next.scenes.length === 1) fail('a collection keeps at least one scene');
      next.scenes = next.scenes.filter((candidate) => candidate.id !== command.sceneId);
      if (next.programSceneId === command.sceneId) next.programSceneId = next.scenes[0]!.id;
      if (next.previewSceneId === command.sceneId) next.previewSceneId = next.scenes[0]!.id;
      break;
    case 'moveScene': {
      const moved = scene(command.sceneId);
      next.scenes = next.scenes.filter((candidate) => candidate !== moved);
      next.scenes.splice(Math.min(command.toIndex, next.scenes.length), 0, moved);
      break;
    }
    case 'renameCollection':
      next.name = command.name;
      break;
    case 'addItem': {
      const owner = scene(command.sceneId);
      owner.items.splice(Math.min(command.index ?? owner.items.length, owner.items.length), 0, command.item);
      break;
    }
    case 'updateItem': {
      const { owner, index, item } = itemAt(command.itemId);
      owner.items[index] = { ...item, ...stripUndefined(command.patch) };
      break;
    }
    case 'removeItem': {
      const { owner, index } = itemAt(command.itemId);
      owner.items.splice(index, 1);
      break;
    }
    case 'moveItem': {
      const { owner, index, item } = itemAt(command.itemId);
      owner.items.splice(index, 1);
      owner.items.splice(Math.min(command.toIndex, owner.items.length), 0, item);
      break;
    }
    case 'setProgramScene':
      next.programSceneId = scene(command.sceneId).id;
      break;
    case 'setPreviewScene':
      next.previewSceneId = scene(command.sceneId).id;
      break;
    case 'setTransition':
      next.transition = { ...next.transition, ...stripUndefined(command.transition) };
      break;
    case 'setCanvas':
      next.canvas = command.canvas;
      break;
  }

  const checked = SceneCollection.safeParse(next);
  if (!checked.success) throw new SceneCommandError(`${command.type} would break the collection: ${z.prettifyError(checked.error)}`);
  return checked.data;
}

function fail(message: string): never {
  throw new SceneCommandError(message);
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
