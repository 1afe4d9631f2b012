/** The Scene Transitions dock: the transition a scene change uses (cut, fade, slide) and its duration. */
import type { Transition } from '../../../common/scene/schema.ts';
import { NumberField, SelectField } from '../components/fields.tsx';
import { Dock } from '../layout/Dock.tsx';
import { useSnapshot, useStudio } from '../studio/context.tsx';

const KINDS: ReadonlyArray<{ value: Transition['kind']; label: string }> = [
  { value: 'cut', label: 'Cut' },
  { value: 'fade', label: 'Fade' },
  { value: 'slide', label: 'Slide' },
];

export function TransitionsDock() {
  const studio = useStudio();
  const transition = useSnapshot((snapshot) => snapshot.collection.transition);
  const studioMode = useSnapshot((snapshot) => snapshot.studioMode);
  const set = (patch: Partial<Transition>) => studio.dispatch({ type: 'setTransition', transition: patch });
  return (
    <Dock title="Scene Transitions">
      <div className="form-grid">
        <SelectField label="Transition" value={transition.kind} options={KINDS} onChange={(kind) => set({ kind })} />
        <NumberField
          label="Duration"
          unit="ms"
          value={transition.durationMs}
          min={0}
          max={10_000}
          step={50}
          disabled={transition.kind === 'cut'}
          onChange={(durationMs) => set({ durationMs: Math.round(durationMs) })}
        />
      </div>
      <p className="dock-note">
        {studioMode ? 'Transition takes the preview to program.' : 'A click on a scene goes to program with this transition.'}
      </p>
    </Dock>
  );
}
