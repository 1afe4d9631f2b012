/** The collection a first start shows: the camera with beauty, the microphone, a title, and a countdown scene. */
import { SCENE_COLLECTION_VERSION, SceneCollection } from '../../common/scene/schema.ts';

/** A first collection: camera with beauty, microphone, title, clock, and a countdown scene. */
export function starterCollection(nowEpochMs: number): SceneCollection {
  return SceneCollection.parse({
    version: SCENE_COLLECTION_VERSION,
    id: 'default',
    name: 'My studio',
    canvas: { width: 1280, height: 720 },
    sources: [
      {
        id: 'camera',
        name: 'Camera',
        settings: { kind: 'camera', width: 1280, height: 720, fps: 30 },
        filters: [{ id: 'beauty', name: 'Beauty', settings: { kind: 'beauty' } }],
      },
      { id: 'mic', name: 'Microphone', settings: { kind: 'microphone' } },
      {
        id: 'title',
        name: 'Title',
        settings: { kind: 'text', text: 'Live from Tally', style: { fontSizePx: 40, background: { color: '#000000a0', paddingPx: 14 } } },
      },
      {
        id: 'clock',
        name: 'Clock',
        settings: { kind: 'clock', style: { fontSizePx: 28, background: { color: '#00000080', paddingPx: 8 } } },
      },
      { id: 'backdrop', name: 'Backdrop', settings: { kind: 'color', color: '#1d2540', width: 1280, height: 720 } },
      {
        id: 'countdown',
        name: 'Countdown',
        settings: {
          kind: 'clock',
          mode: 'countdown',
          targetEpochMs: nowEpochMs + 5 * 60_000,
          endText: 'Starting now',
          style: { fontSizePx: 96, align: 'center' },
        },
      },
    ],
    scenes: [
      {
        id: 'live',
        name: 'Live',
        items: [
          { id: 'live-camera', sourceId: 'camera' },
          { id: 'live-title', sourceId: 'title', position: { x: 48, y: 600 } },
          { id: 'live-clock', sourceId: 'clock', position: { x: 1100, y: 32 } },
        ],
      },
      {
        id: 'soon',
        name: 'Starting soon',
        items: [
          { id: 'soon-backdrop', sourceId: 'backdrop' },
          { id: 'soon-countdown', sourceId: 'countdown', position: { x: 460, y: 300 } },
        ],
      },
    ],
    programSceneId: 'live',
    previewSceneId: 'live',
  });
}
