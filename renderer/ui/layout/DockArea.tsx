/** A row or column of docks with splitters between them; their shares come from the layout. */
import { Fragment, useRef, type ReactNode } from 'react';
import { resizeSlots, type DockSlot } from './layout-model.ts';
import { Splitter } from './Splitter.tsx';

/** A dock's smallest size along its area, CSS pixels. */
const MIN_DOCK_PX = 150;
const SPLITTER_PX = 6;

export interface DockAreaProps {
  axis: 'row' | 'column';
  slots: DockSlot[];
  render: (dock: string) => ReactNode;
  title: (dock: string) => string;
  onChange: (slots: DockSlot[]) => void;
}

export function DockArea({ axis, slots, render, title, onChange }: DockAreaProps) {
  const ref = useRef<HTMLDivElement>(null);
  const total = slots.reduce((sum, slot) => sum + slot.weight, 0);
  const length = () => {
    const rect = ref.current?.getBoundingClientRect();
    return Math.max(0, (axis === 'row' ? (rect?.width ?? 0) : (rect?.height ?? 0)) - SPLITTER_PX * (slots.length - 1));
  };
  return (
    <div ref={ref} className={`dock-area dock-area-${axis}`}>
      {slots.map((slot, index) => {
        const sizeOf = (i: number) => (slots[i]!.weight / total) * length();
        return (
          <Fragment key={slot.dock}>
            {index > 0 && (
              <Splitter
                label={`Resize ${title(slots[index - 1]!.dock)} and ${title(slot.dock)}`}
                orientation={axis === 'row' ? 'vertical' : 'horizontal'}
                value={sizeOf(index - 1)}
                min={MIN_DOCK_PX}
                max={Math.max(MIN_DOCK_PX, sizeOf(index - 1) + sizeOf(index) - MIN_DOCK_PX)}
                direction={1}
                onResize={(value) => onChange(resizeSlots(slots, index - 1, value - sizeOf(index - 1), length(), MIN_DOCK_PX))}
              />
            )}
            <div className="dock-slot" style={{ flexGrow: slot.weight }}>
              {render(slot.dock)}
            </div>
          </Fragment>
        );
      })}
    </div>
  );
}
