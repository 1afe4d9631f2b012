/**
 * The preview with its editing overlay: the picture (the engine's canvas, or the preview
 * copy in studio mode) scaled to fit with its aspect, and over it a 2D canvas painted every
 * animation frame (selection, handles, guides, failed sources). Pointer and keyboard input
 * become item edits sent straight to the engine while a drag lasts (no React state per
 * frame); the UI's snapshot is refreshed when the drag ends.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { handleAt, itemAt, snapTargets, type Guide } from '../../../common/scene/editing.ts';
import type { Scene } from '../../../common/scene/schema.ts';
import type { Point } from '../../../common/scene/transforms.ts';
import { ContextMenu, type MenuEntry } from '../components/Menu.tsx';
import { nominalSize } from '../sources/source-kinds.ts';
import { useSnapshot, useStudio } from '../studio/context.tsx';
import type { Studio } from '../studio/studio.ts';
import { cursorFor, dragTo, startDrag, type Drag, type DragKeys } from './editor-interaction.ts';
import { HANDLE_CSS_PX, paintEditor, ROTATION_HANDLE_CSS_PX, type OverlaySourceState } from './editor-painter.ts';
import { itemMenu, nudgeSelection, pasteIntoScene, runItemAction } from './item-actions.ts';

/** Snap distance, CSS pixels. */
const SNAP_CSS_PX = 8;
/** How far the overlay reaches past the picture on each side, CSS pixels (`--overlay-margin` in the theme). */
const OVERLAY_MARGIN_CSS_PX = 30;
/** Size of an error box for a source that never had a picture, canvas pixels. */
const FALLBACK_SIZE = { width: 480, height: 270 };

/** The largest box of `aspect` that fits the element, tracked as it resizes. */
export function useFitBox(ref: RefObject<HTMLElement | null>, aspect: number): { width: number; height: number } {
  const [box, setBox] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const { width, height } = element.getBoundingClientRect();
      const fitted = width / height > aspect ? { width: height * aspect, height } : { width, height: width / aspect };
      setBox((previous) =>
        Math.abs(previous.width - fitted.width) < 0.5 && Math.abs(previous.height - fitted.height) < 0.5
          ? previous
          : { width: Math.floor(fitted.width), height: Math.floor(fitted.height) },
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, aspect]);
  return box;
}

/** Puts `canvas` (which lives outside React: the engine's, or the preview copy) first in the element, and takes it out again. */
export function useMountedCanvas(ref: RefObject<HTMLElement | null>, canvas: HTMLCanvasElement): void {
  useLayoutEffect(() => {
    const host = ref.current;
    if (!host) return;
    canvas.classList.add('stage-canvas');
    host.prepend(canvas);
    return () => {
      if (canvas.parentElement === host) canvas.remove();
    };
  }, [ref, canvas]);
}

/** The scene edits go to, read from the engine itself (current even mid-drag). */
function editingScene(studio: Studio): Scene {
  const collection = studio.engine.collection;
  const id = studio.engine.studioMode ? collection.previewSceneId : collection.programSceneId;
  return collection.scenes.find((scene) => scene.id === id) ?? collection.scenes[0]!;
}

function overlaySource(studio: Studio, sourceId: string): OverlaySourceState | undefined {
  const source = studio.engine.collection.sources.find((candidate) => candidate.id === sourceId);
  if (!source || source.settings.kind === 'microphone' || source.settings.kind === 'desktopAudio') return undefined;
  const status = studio.snapshot.get().sources[sourceId];
  return {
    name: source.name,
    state: status?.state ?? 'stopped',
    ...(status?.state === 'error' ? { message: status.message } : {}),
    nominalSize: nominalSize(source.settings) ?? FALLBACK_SIZE,
  };
}

interface Interaction {
  drag: Drag | null;
  guides: Guide[];
  hoverId: string | null;
  /** The latest pointer during a drag, applied on the next animation frame. */
  pending: { point: Point; keys: DragKeys } | null;
  frame: number;
}

export interface SceneEditorProps {
  /** The picture to show under the overlay. */
  canvas: HTMLCanvasElement;
  /** The accessible name of the editor. */
  label: string;
}

/** The preview's editable picture; see the file comment. */
export function SceneEditor({ canvas, label }: SceneEditorProps) {
  const studio = useStudio();
  const stageRef = useRef<HTMLDivElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const hintId = useId();
  const canvasWidth = useSnapshot((snapshot) => snapshot.collection.canvas.width);
  const canvasHeight = useSnapshot((snapshot) => snapshot.collection.canvas.height);
  const empty = useSnapshot((snapshot) => {
    const collection = snapshot.collection;
    const id = snapshot.studioMode ? collection.previewSceneId : collection.programSceneId;
    return (collection.scenes.find((scene) => scene.id === id)?.items.length ?? 0) === 0;
  });
  const box = useFitBox(stageRef, canvasWidth / canvasHeight);
  const [menu, setMenu] = useState<{ at: Point; items: MenuEntry[] } | null>(null);
  const interaction = useRef<Interaction>({ drag: null, guides: [], hoverId: null, pending: null, frame: 0 });

  useMountedCanvas(boxRef, canvas);
  useLayoutEffect(() => {
    const element = boxRef.current;
    studio.editorBox.set(element);
    return () => {
      if (studio.editorBox.get() === element) studio.editorBox.set(null);
    };
  }, [studio]);

  useEffect(() => {
    // Repaint only when something shown changed: the collection, the statuses, the selection, the pointer's state or the size.
    let painted: unknown[] = [];
    let frame = requestAnimationFrame(function paint() {
      const overlay = overlayRef.current;
      const context = overlay?.getContext('2d');
      const state = interaction.current;
      const now = [
        studio.engine.collection,
        studio.engine.studioMode,
        studio.snapshot.get().sources,
        studio.selection.get(),
        state.drag ? null : state.hoverId,
        state.guides,
        overlay?.clientWidth,
        overlay?.clientHeight,
        devicePixelRatio,
      ];
      const changed = now.some((value, index) => !Object.is(value, painted[index]));
      if (changed && overlay && context && overlay.clientWidth > 2 * OVERLAY_MARGIN_CSS_PX) {
        painted = now;
        const ratio = devicePixelRatio || 1;
        if (overlay.width !== Math.round(overlay.clientWidth * ratio) || overlay.height !== Math.round(overlay.clientHeight * ratio)) {
          overlay.width = Math.round(overlay.clientWidth * ratio);
          overlay.height = Math.round(overlay.clientHeight * ratio);
        }
        context.setTransform(1, 0, 0, 1, 0, 0);
        context.clearRect(0, 0, overlay.width, overlay.height);
        // Paint in the picture's CSS pixels: the origin at the picture's top-left, inside the margin.
        context.setTransform(ratio, 0, 0, ratio, OVERLAY_MARGIN_CSS_PX * ratio, OVERLAY_MARGIN_CSS_PX * ratio);
        const width = overlay.clientWidth - 2 * OVERLAY_MARGIN_CSS_PX;
        const height = overlay.clientHeight - 2 * OVERLAY_MARGIN_CSS_PX;
        paintEditor(context, width, height, {
          scene: editingScene(studio),
          canvas: studio.engine.collection.canvas,
          sizeOf: (id) => studio.engine.sourceSize(id),
          sourceOf: (id) => overlaySource(studio, id),
          selectedId: studio.selection.get(),
          hoverId: state.drag ? null : state.hoverId,
          guides: state.guides,
        });
      }
      frame = requestAnimationFrame(paint);
    });
    return () => cancelAnimationFrame(frame);
  }, [studio]);

  /** Canvas pixels per CSS pixel of the shown picture. */
  const unit = () => studio.engine.collection.canvas.width / Math.max(1, boxRef.current?.clientWidth ?? 1);
  const toCanvas = (event: { clientX: number; clientY: number }): Point => {
    const rect = boxRef.current!.getBoundingClientRect();
    const k = unit();
    return { x: (event.clientX - rect.left) * k, y: (event.clientY - rect.top) * k };
  };
  const keysOf = (event: { shiftKey: boolean; altKey: boolean; ctrlKey: boolean; metaKey: boolean }): DragKeys => ({
    shift: event.shiftKey,
    alt: event.altKey,
    ctrl: event.ctrlKey || event.metaKey,
  });
  const hitSizes = () => ({ handleRadius: (HANDLE_CSS_PX / 2 + 3) * unit(), rotationDistance: ROTATION_HANDLE_CSS_PX * unit() });

  const applyPending = () => {
    const state = interaction.current;
    state.frame = 0;
    if (!state.drag || !state.pending) return;
    const scene = editingScene(studio);
    const targets = snapTargets(scene, (id) => studio.engine.sourceSize(id), studio.engine.collection.canvas, state.drag.itemId);
    const { patch, guides } = dragTo(state.drag, state.pending.point, state.pending.keys, targets, SNAP_CSS_PX * unit());
    state.guides = guides;
    state.pending = null;
    try {
      studio.engine.dispatch({ type: 'updateItem', itemId: state.drag.itemId, patch });
    } catch {
      // An edit the model refuses (a scale past its limit) is skipped; the next pointer position may be fine.
    }
  };

  const endDrag = () => {
    const state = interaction.current;
    if (state.frame) cancelAnimationFrame(state.frame);
    applyPending();
    state.drag = null;
    state.guides = [];
    studio.refresh();
  };

  const openMenuAt = (at: Point, itemId: string | null) => {
    const items: MenuEntry[] = itemId
      ? itemMenu(studio, itemId)
      : [
          { label: 'Paste (shared source)', onSelect: () => pasteIntoScene(studio, false), disabled: !studio.clipboard },
          { label: 'Paste (duplicate)', onSelect: () => pasteIntoScene(studio, true), disabled: !studio.clipboard },
        ];
    setMenu({ at, items });
  };

  return (
    <div ref={stageRef} className="stage-fit">
      <div
        ref={boxRef}
        className="stage-box"
        style={{ width: box.width, height: box.height }}
        role="application"
        aria-label={label}
        aria-describedby={hintId}
        tabIndex={0}
        onKeyDown={(event) => {
          const selected = studio.selection.get();
          const step = event.shiftKey ? 10 : 1;
          const command = event.ctrlKey || event.metaKey;
          if (event.key === 'ArrowLeft') nudgeSelection(studio, -step, 0);
          else if (event.key === 'ArrowRight') nudgeSelection(studio, step, 0);
          else if (event.key === 'ArrowUp') nudgeSelection(studio, 0, -step);
          else if (event.key === 'ArrowDown') nudgeSelection(studio, 0, step);
          else if ((event.key === 'Delete' || event.key === 'Backspace') && selected) runItemAction(studio, selected, 'remove');
          else if (event.key === 'Escape' && selected) studio.selection.set(null);
          else if (command && event.code === 'KeyC' && selected) runItemAction(studio, selected, 'copy');
          else if (command && event.code === 'KeyV') pasteIntoScene(studio, event.shiftKey);
          else if (event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10')) {
            const rect = boxRef.current!.getBoundingClientRect();
            openMenuAt({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }, selected);
          } else return;
          event.preventDefault();
          event.stopPropagation();
        }}
      >
        <canvas
          ref={overlayRef}
          className="stage-overlay"
          onPointerDown={(event) => {
            if (event.button !== 0) return;
            boxRef.current?.focus();
            const point = toCanvas(event);
            const { select, drag } = startDrag(
              editingScene(studio),
              (id) => studio.engine.sourceSize(id),
              studio.selection.get(),
              point,
              keysOf(event),
              hitSizes(),
            );
            studio.selection.set(select);
            interaction.current.drag = drag;
            if (drag) event.currentTarget.setPointerCapture(event.pointerId);
          }}
          onPointerMove={(event) => {
            const state = interaction.current;
            const point = toCanvas(event);
            if (state.drag) {
              state.pending = { point, keys: keysOf(event) };
              state.frame ||= requestAnimationFrame(applyPending);
              return;
            }
            const scene = editingScene(studio);
            const hovered = itemAt(scene, (id) => studio.engine.sourceSize(id), point);
            state.hoverId = hovered?.id ?? null;
            const selected = scene.items.find((item) => item.id === studio.selection.get());
            const size = selected && studio.engine.sourceSize(selected.sourceId);
            const { handleRadius, rotationDistance } = hitSizes();
            const handle = selected && size && !selected.locked ? handleAt(selected, size, point, handleRadius, rotationDistance) : null;
            event.currentTarget.style.cursor = cursorFor(
              handle ?? (hovered && !hovered.locked ? 'move' : null),
              selected?.rotationDeg ?? 0,
            );
          }}
          onPointerUp={() => interaction.current.drag && endDrag()}
          onPointerCancel={() => interaction.current.drag && endDrag()}
          onPointerLeave={() => (interaction.current.hoverId = null)}
          onDoubleClick={(event) => {
            const hit = itemAt(editingScene(studio), (id) => studio.engine.sourceSize(id), toCanvas(event));
            if (hit) runItemAction(studio, hit.id, 'properties');
          }}
          onContextMenu={(event) => {
            event.preventDefault();
            const hit = itemAt(editingScene(studio), (id) => studio.engine.sourceSize(id), toCanvas(event));
            studio.selection.set(hit?.id ?? null);
            openMenuAt({ x: event.clientX, y: event.clientY }, hit?.id ?? null);
          }}
        />
        {empty && (
          <p className="stage-empty">
            This scene is empty. Add a source with <strong>+</strong> in the Sources dock.
          </p>
        )}
      </div>
      <p id={hintId} className="visually-hidden">
        Click an item to select it; drag to move it, drag a square handle to resize (Shift keeps the ratio), Alt-drag a handle to crop, and
        drag the round handle to rotate. Arrow keys move the selection (Shift: 10 pixels); Delete removes it; the context-menu key opens its
        menu.
      </p>
      {menu && (
        <ContextMenu
          at={menu.at}
          items={menu.items}
          label="Item"
          onClose={() => {
            setMenu(null);
            boxRef.current?.focus();
          }}
        />
      )}
    </div>
  );
}
