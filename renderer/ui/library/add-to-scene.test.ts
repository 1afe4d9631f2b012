import { describe, expect, it } from 'vitest';
import type { LibraryItem } from '../../../common/host/library-contract.ts';
import { applySceneCommand } from '../../../common/scene/commands.ts';
import { emptyCollection } from '../../../common/scene/schema.ts';
import { addToSceneCommands, canAddToScene } from './add-to-scene.ts';

function item(fields: Partial<LibraryItem>): LibraryItem {
  return {
    id: 7,
    path: '/videos/talk.mp4',
    fileName: 'talk.mp4',
    sizeBytes: 1,
    contentHash: 'x',
    kind: 'video',
    status: 'ok',
    error: null,
    container: null,
    durationMs: 1000,
    videoCodec: 'h264',
    audioCodec: 'aac',
    width: 1920,
    height: 1080,
    fps: 30,
    audioChannels: 2,
    audioSampleRate: 48000,
    createdAtMs: 0,
    importedAtMs: 0,
    title: 'Talk',
    tags: [],
    notes: '',
    sceneCollectionId: null,
    destinationIds: [],
    derivedFromId: null,
    trashedAtMs: null,
    mediaUrl: '/library/media/7',
    posterUrl: null,
    spriteUrl: null,
    spriteFrames: 0,
    ...fields,
  };
}

const run = (commands: ReturnType<typeof addToSceneCommands>, collection = emptyCollection('c', 'C', { width: 1280, height: 720 })) =>
  commands.reduce(applySceneCommand, collection);

describe('adding a library item to a scene', () => {
  it('adds a video as a looping media source on top, scaled to fit the canvas and centred', () => {
    const collection = emptyCollection('c', 'C', { width: 1280, height: 720 });
    let n = 0;
    const next = run(addToSceneCommands(item({}), collection, { sceneId: 'scene-1', newId: () => String(++n) }));
    expect(next.sources).toEqual([
      expect.objectContaining({ id: 'library-7-1', name: 'Talk', settings: { kind: 'media', url: '/library/media/7', loop: true } }),
    ]);
    expect(next.scenes[0]!.items).toEqual([
      expect.objectContaining({ id: 'item-2', sourceId: 'library-7-1', position: { x: 0, y: 0 }, scale: { x: 2 / 3, y: 2 / 3 } }),
    ]);
  });

  it('adds images and screenshots as image sources at their own size, centred where they were dropped but inside the canvas', () => {
    const collection = emptyCollection('c', 'C', { width: 1280, height: 720 });
    const logo = item({ kind: 'screenshot', width: 200, height: 100, mediaUrl: '/library/media/9', id: 9 });
    const dropped = run(addToSceneCommands(logo, collection, { sceneId: 'scene-1', at: { x: 300, y: 200 }, newId: () => 'a' }));
    expect(dropped.sources[0]!.settings).toEqual({ kind: 'image', url: '/library/media/9' });
    expect(dropped.scenes[0]!.items[0]).toMatchObject({ position: { x: 200, y: 150 }, scale: { x: 1, y: 1 } });
    const corner = run(addToSceneCommands(logo, collection, { sceneId: 'scene-1', at: { x: 1275, y: 5 }, newId: () => 'b' }));
    expect(corner.scenes[0]!.items[0]!.position).toEqual({ x: 1080, y: 0 });
  });

  it('reuses the source of a file the collection already shows, adding only a new item', () => {
    const first = run(addToSceneCommands(item({}), emptyCollection('c', 'C'), { sceneId: 'scene-1', newId: () => 'one' }));
    const commands = addToSceneCommands(item({}), first, { sceneId: 'scene-1', newId: () => 'two' });
    expect(commands.map((command) => command.type)).toEqual(['addItem']);
    const second = run(commands, first);
    expect(second.sources).toHaveLength(1);
    expect(second.scenes[0]!.items.map((entry) => entry.sourceId)).toEqual(['library-7-one', 'library-7-one']);
  });

  it('offers only readable items that are not in the trash', () => {
    expect(canAddToScene(item({}))).toBe(true);
    expect(canAddToScene(item({ status: 'missing' }))).toBe(false);
    expect(canAddToScene(item({ status: 'corrupt' }))).toBe(false);
    expect(canAddToScene(item({ trashedAtMs: 5 }))).toBe(false);
  });
});
