/**
 * Trim: in and out points (typed, or taken from the player's playhead), how the cut will be
 * made (stream copy on a keyframe, re-encode otherwise, with a button to snap to the keyframe),
 * then an export with a progress bar; the clip becomes a new item.
 */
import { useEffect, useRef, useState } from 'react';
import type { LibraryItem, LibraryJob, TrimPlan } from '../../../common/host/library-contract.ts';
import { formatDuration } from './library-format.ts';
import { Dialog } from '../components/Dialog.tsx';
import type { LibraryApi } from './use-library.ts';

export interface TrimDialogProps {
  api: LibraryApi;
  item: LibraryItem;
  /** The job of the export once it started (from the panel's job list). */
  jobOf: (id: string) => LibraryJob | undefined;
  onClose: () => void;
  onClip: (itemId: number) => void;
}

const toSeconds = (ms: number) => (ms / 1000).toFixed(3).replace(/\.?0+$/, '');

export function TrimDialog({ api, item, jobOf, onClose, onClip }: TrimDialogProps) {
  const video = useRef<HTMLVideoElement>(null);
  const duration = item.durationMs ?? 0;
  const [inText, setInText] = useState('0');
  const [outText, setOutText] = useState(toSeconds(duration));
  const [plan, setPlan] = useState<TrimPlan | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const inMs = Math.round(Number(inText) * 1000);
  const outMs = Math.round(Number(outText) * 1000);
  const valid = Number.isFinite(inMs) && Number.isFinite(outMs) && inMs >= 0 && outMs > inMs && inMs < duration;
  const job = jobId ? jobOf(jobId) : undefined;

  useEffect(() => {
    if (!valid) {
      setPlan(null);
      setProblem('The out point must come after the in point, within the file.');
      return;
    }
    setProblem(null);
    let current = true;
    const timer = setTimeout(() => {
      api.planTrim(item.id, { inMs, outMs }).then(
        (next) => current && setPlan(next),
        (error: unknown) => current && setProblem(error instanceof Error ? error.message : String(error)),
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, item.id, inMs, outMs, valid]);

  useEffect(() => {
    if (job?.state === 'done' && job.itemIds[0] !== undefined) onClip(job.itemIds[0]);
  }, [job, onClip]);

  const playhead = () => Math.round((video.current?.currentTime ?? 0) * 1000);
  const exporting = job?.state === 'running';
  return (
    <Dialog title={`Trim: ${item.title}`} onClose={onClose} closeLabel="Close trim" size="wide">
      {item.videoCodec !== null && (
        <video ref={video} className="library-player-media" src={item.mediaUrl} controls playsInline aria-label="Trim preview" />
      )}
      <div className="library-trim-points">
        <label>
          In (seconds)
          <input type="number" min={0} step={0.001} value={inText} onChange={(event) => setInText(event.target.value)} />
        </label>
        <button type="button" onClick={() => setInText(toSeconds(playhead()))} disabled={item.videoCodec === null}>
          Set in at playhead
        </button>
        <label>
          Out (seconds)
          <input type="number" min={0} step={0.001} value={outText} onChange={(event) => setOutText(event.target.value)} />
        </label>
        <button type="button" onClick={() => setOutText(toSeconds(playhead()))} disabled={item.videoCodec === null}>
          Set out at playhead
        </button>
      </div>
      <p role="status" aria-label="Trim plan">
        {problem ?? (plan ? `${valid ? formatDuration(outMs - inMs) : ''} clip · ${plan.reason}` : 'Checking keyframes…')}
      </p>
      {plan?.mode === 'reencode' && plan.keyframeBeforeMs !== null && (
        <button type="button" onClick={() => setInText(toSeconds(plan.keyframeBeforeMs!))}>
          Snap in to keyframe ({toSeconds(plan.keyframeBeforeMs)} s)
        </button>
      )}
      <div className="library-actions">
        <button
          type="button"
          disabled={!valid || !plan || exporting}
          onClick={() =>
            void api.trim(item.id, { inMs, outMs }).then(
              ({ jobId: started }) => setJobId(started),
              (error: unknown) => setProblem(String(error)),
            )
          }
        >
          Export clip
        </button>
        {exporting && (
          <button type="button" onClick={() => void api.cancelJob(job.id)}>
            Cancel export
          </button>
        )}
      </div>
      {job && (
        <div>
          <progress max={1} value={job.fraction} aria-label="Trim progress" />
          <p role="status" aria-label="Trim result">
            {job.message}
          </p>
        </div>
      )}
    </Dialog>
  );
}
