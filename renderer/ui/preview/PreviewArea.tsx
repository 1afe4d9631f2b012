/**
 * The top of the main window: the preview, editable; in studio mode the preview (left,
 * editable) and program (right, what viewers see) side by side, with the transition
 * controls between them.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useSnapshot, useStudio } from '../studio/context.tsx';
import { SceneEditor, useFitBox, useMountedCanvas } from './SceneEditor.tsx';

/** The preview (and program, in studio mode). */
export function PreviewArea() {
  const studioMode = useSnapshot((snapshot) => snapshot.studioMode);
  return studioMode ? <StudioModeStage /> : <SingleStage />;
}

function SingleStage() {
  const studio = useStudio();
  const sceneName = useSnapshot(
    (snapshot) => snapshot.collection.scenes.find((scene) => scene.id === snapshot.collection.programSceneId)?.name ?? '',
  );
  return (
    <section className="stage" aria-label="Preview">
      <header className="stage-title">
        <span>Preview</span>
        <span className="stage-scene">{sceneName}</span>
      </header>
      <SceneEditor canvas={studio.engine.canvas as HTMLCanvasElement} label="Scene editor" />
    </section>
  );
}

function StudioModeStage() {
  const studio = useStudio();
  const collection = useSnapshot((snapshot) => snapshot.collection);
  const transition = useSnapshot((snapshot) => snapshot.transition);
  const previewCanvas = useMemo(() => document.createElement('canvas'), []);
  useEffect(() => {
    const attached = studio.engine.attachPreview(previewCanvas);
    return () => attached.dispose();
  }, [studio, previewCanvas]);
  const name = (id: string) => collection.scenes.find((scene) => scene.id === id)?.name ?? '';
  return (
    <div className="stage stage-studio">
      <section className="stage-pane" aria-label="Preview">
        <header className="stage-title">
          <span>Preview</span>
          <span className="stage-scene">{name(collection.previewSceneId)}</span>
        </header>
        <SceneEditor canvas={previewCanvas} label="Scene editor" />
      </section>
      <div className="transition-column" role="group" aria-label="Transition controls">
        <button
          type="button"
          className="primary transition-button"
          onClick={() => studio.transition()}
          disabled={collection.previewSceneId === collection.programSceneId}
        >
          Transition
        </button>
        <span className="transition-kind">
          {collection.transition.kind === 'cut'
            ? 'Cut'
            : `${collection.transition.kind === 'fade' ? 'Fade' : 'Slide'} ${collection.transition.durationMs} ms`}
        </span>
        <div className="transition-progress" aria-hidden="true">
          <div className="transition-progress-bar" style={{ transform: `scaleX(${transition?.progress ?? 0})` }} />
        </div>
      </div>
      <section className="stage-pane" aria-label="Program">
        <header className="stage-title stage-title-program">
          <span>Program</span>
          <span className="stage-scene">{name(collection.programSceneId)}</span>
        </header>
        <ProgramView canvas={studio.engine.canvas as HTMLCanvasElement} aspect={collection.canvas.width / collection.canvas.height} />
      </section>
    </div>
  );
}

/** The program picture, fitted, not editable. */
function ProgramView({ canvas, aspect }: { canvas: HTMLCanvasElement; aspect: number }) {
  const stageRef = useRef<HTMLDivElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const box = useFitBox(stageRef, aspect);
  useMountedCanvas(boxRef, canvas);
  return (
    <div ref={stageRef} className="stage-fit">
      <div ref={boxRef} className="stage-box" style={{ width: box.width, height: box.height }} />
    </div>
  );
}
