/**
 * A live view of one source inside a dialog: its picture through its filters (or without
 * them, for the filters dialog's comparison), drawn by the engine every frame; a level
 * meter for a source with sound only; and its error when it failed.
 */
import { useEffect, useRef } from 'react';
import type { SourceViewHandle } from '../../engine/index.ts';
import { meterPainterOf } from '../audio/meter-painter.ts';
import { WarningIcon } from '../components/icons.tsx';
import { useSnapshot, useStudio } from '../studio/context.tsx';

export interface SourceViewProps {
  sourceId: string;
  /** A picture (true) or a meter (false). */
  visual: boolean;
  /** Show it without its filters. */
  bypassFilters?: boolean;
  label: string;
}

export function SourceView({ sourceId, visual, bypassFilters = false, label }: SourceViewProps) {
  const studio = useStudio();
  const status = useSnapshot((snapshot) => snapshot.sources[sourceId]);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const handleRef = useRef<SourceViewHandle | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    if (!visual) return meterPainterOf(studio.engine).register(canvas, sourceId);
    canvas.width = 480;
    canvas.height = 270;
    const handle = studio.engine.attachSourceView(canvas, sourceId);
    handleRef.current = handle;
    return () => {
      handle.dispose();
      handleRef.current = null;
    };
  }, [studio, sourceId, visual]);

  useEffect(() => {
    handleRef.current?.setBypassFilters(bypassFilters);
  }, [bypassFilters, visual, sourceId]);

  return (
    <div className={visual ? 'source-view' : 'source-view source-view-audio'}>
      <canvas ref={canvasRef} className={visual ? 'source-view-canvas' : 'meter'} role="img" aria-label={label} />
      {status?.state === 'starting' && <p className="source-view-status">Starting…</p>}
      {status?.state === 'error' && (
        <p className="source-view-status source-view-error" role="alert">
          <WarningIcon /> {status.message}
        </p>
      )}
      {!status && <p className="source-view-status">Nothing to show yet.</p>}
    </div>
  );
}
