/** LIVE and REC badges with their timers while the stream or the recording runs; leaving the page then asks first. */
import { useSyncExternalStore } from 'react';
import { useNow } from '../feedback/progress.tsx';
import { formatDuration } from '../format.ts';
import { useStudio } from '../studio/context.tsx';
import { useLeaveWarning } from './leave-warning.ts';
import type { OutputsController, OutputsSnapshot } from './outputs-controller.ts';

/** The outputs' snapshot in a component. */
export function useOutputs(outputs: OutputsController): OutputsSnapshot {
  return useSyncExternalStore(
    (listener) => outputs.subscribe(listener),
    () => outputs.getSnapshot(),
  );
}

export function OutputTimers() {
  const studio = useStudio();
  const outputs = useOutputs(studio.outputs);
  const running = outputs.stream.sinceMs !== null || outputs.recording.sinceMs !== null;
  const now = useNow(1000, running);
  useLeaveWarning(outputs.stream.state !== 'offline' || outputs.recording.state !== 'stopped');
  return (
    <div className="output-timers">
      {outputs.stream.state === 'live' && outputs.stream.sinceMs !== null && (
        <span className="badge badge-live" role="timer" aria-label="Live time">
          LIVE {formatDuration(now - outputs.stream.sinceMs)}
        </span>
      )}
      {outputs.recording.state === 'recording' && outputs.recording.sinceMs !== null && (
        <span className="badge badge-rec" role="timer" aria-label="Recording time">
          REC {formatDuration(now - outputs.recording.sinceMs)}
        </span>
      )}
    </div>
  );
}
