/**
 * What hotkeys can do: switch to a scene, run Studio Mode's transition, and the outputs'
 * actions (Go Live, End Stream, Start and Stop Recording, Screenshot), which go through
 * the `OutputsController` like the Controls dock's buttons.
 */
import type { SceneCollection } from '../../../common/scene/schema.ts';
import { messageOf } from '../feedback/toasts.tsx';
import type { Studio } from '../studio/studio.ts';

/** The action id of switching to a scene. */
export const sceneAction = (sceneId: string) => `scene.switch:${sceneId}`;

/** One action a hotkey can be bound to. */
export interface HotkeyAction {
  id: string;
  label: string;
  group: 'Scenes' | 'Studio Mode' | 'Outputs';
}

const FIXED: readonly HotkeyAction[] = [
  { id: 'studio.transition', label: 'Transition (preview to program)', group: 'Studio Mode' },
  { id: 'studio.toggle', label: 'Turn Studio Mode on or off', group: 'Studio Mode' },
  { id: 'outputs.goLive', label: 'Go Live', group: 'Outputs' },
  { id: 'outputs.endStream', label: 'End Stream', group: 'Outputs' },
  { id: 'outputs.startRecording', label: 'Start Recording', group: 'Outputs' },
  { id: 'outputs.stopRecording', label: 'Stop Recording', group: 'Outputs' },
  { id: 'outputs.screenshot', label: 'Screenshot', group: 'Outputs' },
];

/** Every action of the studio with this collection: one per scene, then the fixed ones. */
export function hotkeyActions(collection: SceneCollection): HotkeyAction[] {
  return [
    ...collection.scenes.map((scene) => ({ id: sceneAction(scene.id), label: `Switch to “${scene.name}”`, group: 'Scenes' as const })),
    ...FIXED,
  ];
}

/** Whether an action id still means something (scenes come and go; their bindings stay until pruned in Settings). */
export function isFixedAction(id: string): boolean {
  return FIXED.some((action) => action.id === id);
}

/** Runs an action; a failure becomes a notification. */
export async function runHotkeyAction(studio: Studio, id: string): Promise<void> {
  const outputs = studio.outputs;
  const run: Record<string, () => Promise<unknown> | void> = {
    'studio.transition': () => (studio.snapshot.get().studioMode ? studio.transition() : undefined),
    'studio.toggle': () => studio.setStudioMode(!studio.snapshot.get().studioMode),
    'outputs.goLive': () => outputs.goLive(),
    'outputs.endStream': () => outputs.endStream(),
    'outputs.startRecording': () => outputs.startRecording(),
    'outputs.stopRecording': () => outputs.stopRecording(),
    'outputs.screenshot': () => outputs.screenshot(),
  };
  try {
    if (id.startsWith('scene.switch:')) {
      const sceneId = id.slice('scene.switch:'.length);
      if (studio.engine.collection.scenes.some((scene) => scene.id === sceneId)) studio.switchScene(sceneId);
      return;
    }
    await run[id]?.();
  } catch (error) {
    studio.toasts.show('error', messageOf(error));
  }
}
