import { describe, expect, it } from 'vitest';
import { applySceneCommand, type SceneCommand } from '../../common/scene/commands.ts';
import { emptyCollection, type SceneCollection } from '../../common/scene/schema.ts';
import { activeSourceIds, sourcesToRestart } from './activation.ts';

function show(): SceneCollection {
  const commands: SceneCommand[] = [
    { type: 'addSource', source: { id: 'intro', name: 'Intro', settings: { kind: 'media', url: '/intro.mp4', restartOnActivate: true } } },
    { type: 'addSource', source: { id: 'loop', name: 'Loop', settings: { kind: 'media', url: '/loop.mp4' } } },
    { type: 'addSource', source: { id: 'title', name: 'Title', settings: { kind: 'text', text: 'Hi' } } },
    { type: 'addScene', scene: { id: 'brb', name: 'BRB' } },
    { type: 'addItem', sceneId: 'scene-1', item: { id: 'a', sourceId: 'title' } },
    { type: 'addItem', sceneId: 'brb', item: { id: 'b', sourceId: 'intro' } },
    { type: 'addItem', sceneId: 'brb', item: { id: 'c', sourceId: 'loop' } },
  ];
  return commands.reduce(applySceneCommand, emptyCollection('c', 'C'));
}

describe('media that restarts when it becomes active', () => {
  it('the active sources are those a visible item shows on program', () => {
    expect([...activeSourceIds(show())]).toEqual(['title']);
  });

  it('restarts a media source set to, when its scene goes to program, and not one that is not set to', () => {
    const before = show();
    const after = applySceneCommand(before, { type: 'setProgramScene', sceneId: 'brb' });
    expect(sourcesToRestart(before, after)).toEqual(['intro']);
  });

  it('restarts it when its item is shown on program, and not when the scene merely changes again around it', () => {
    let before = applySceneCommand(show(), { type: 'setProgramScene', sceneId: 'brb' });
    before = applySceneCommand(before, { type: 'updateItem', itemId: 'b', patch: { visible: false } });
    const shown = applySceneCommand(before, { type: 'updateItem', itemId: 'b', patch: { visible: true } });
    expect(sourcesToRestart(before, shown)).toEqual(['intro']);
    const moved = applySceneCommand(shown, { type: 'updateItem', itemId: 'b', patch: { position: { x: 5, y: 5 } } });
    expect(sourcesToRestart(shown, moved)).toEqual([]);
  });
});
