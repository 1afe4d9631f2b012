/** The library's long work with a progress bar each: cancel while it runs, dismiss when it ended. */
import type { LibraryJob } from '../../../common/host/library-contract.ts';
import type { LibraryApi } from './use-library.ts';

const NAMES: Record<LibraryJob['kind'], string> = { import: 'Import', trim: 'Trim', remux: 'Remux' };

export function JobList({ api, jobs, onDismiss }: { api: LibraryApi; jobs: LibraryJob[]; onDismiss: (id: string) => void }) {
  if (jobs.length === 0) return null;
  return (
    <ul className="library-jobs" aria-label="Library jobs">
      {jobs.map((job) => (
        <li key={job.id} className="library-job">
          <progress max={1} value={job.fraction} aria-label={`${NAMES[job.kind]} progress`} />
          <span>
            {job.message}
            {job.kind === 'import' && job.total > 0 && job.state === 'running'
              ? ` (${job.done + job.skipped + job.failed} of ${job.total})`
              : ''}
          </span>
          {job.state === 'running' ? (
            <button type="button" onClick={() => void api.cancelJob(job.id)}>
              Cancel {NAMES[job.kind].toLowerCase()}
            </button>
          ) : (
            <button type="button" aria-label={`Dismiss: ${job.message}`} onClick={() => onDismiss(job.id)}>
              Dismiss
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
