/**
 * A draggable divider between panes, also moved with the arrow keys (WAI-ARIA window
 * splitter: a focusable separator with its value). `onResize` gets the new size of the
 * pane it controls; `direction` says whether dragging right/down grows it (1) or shrinks it (-1).
 */
import { useRef } from 'react';

export interface SplitterProps {
  /** What it resizes, for screen readers ("Resize the dock row"). */
  label: string;
  /** `vertical` is a vertical bar dragged left and right. */
  orientation: 'vertical' | 'horizontal';
  value: number;
  min: number;
  max: number;
  direction: 1 | -1;
  onResize: (value: number) => void;
}

/** See the file comment. */
export function Splitter({ label, orientation, value, min, max, direction, onResize }: SplitterProps) {
  const start = useRef<{ pointer: number; value: number } | null>(null);
  const clamp = (next: number) => Math.min(max, Math.max(min, next));
  const along = (event: { clientX: number; clientY: number }) => (orientation === 'vertical' ? event.clientX : event.clientY);
  return (
    <div
      className={`splitter splitter-${orientation}`}
      role="separator"
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={Math.round(value)}
      aria-valuemin={Math.round(min)}
      aria-valuemax={Math.round(max)}
      tabIndex={0}
      onPointerDown={(event) => {
        if (event.button !== 0) return;
        start.current = { pointer: along(event), value };
        event.currentTarget.setPointerCapture(event.pointerId);
      }}
      onPointerMove={(event) => {
        if (!start.current) return;
        onResize(clamp(start.current.value + direction * (along(event) - start.current.pointer)));
      }}
      onPointerUp={() => (start.current = null)}
      onPointerCancel={() => (start.current = null)}
      onKeyDown={(event) => {
        const step = event.shiftKey ? 64 : 16;
        const grow = orientation === 'vertical' ? { ArrowRight: 1, ArrowLeft: -1 } : { ArrowDown: 1, ArrowUp: -1 };
        const sign = grow[event.key as keyof typeof grow];
        if (sign === undefined) return;
        event.preventDefault();
        onResize(clamp(value + direction * sign * step));
      }}
    />
  );
}
