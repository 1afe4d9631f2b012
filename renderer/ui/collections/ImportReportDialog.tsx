/** What an OBS import left out or changed, grouped, so the user knows what to fix. */
import { Dialog } from '../components/Dialog.tsx';
import type { DialogRequest } from '../studio/studio.ts';

export function ImportReportDialog({
  request,
  onClose,
}: {
  request: Extract<DialogRequest, { kind: 'importReport' }>;
  onClose: () => void;
}) {
  const skipped = request.notes.filter((note) => note.severity === 'skipped');
  const changed = request.notes.filter((note) => note.severity === 'changed');
  return (
    <Dialog
      title={request.title}
      size="wide"
      onClose={onClose}
      footer={
        <button type="button" className="primary" onClick={onClose}>
          OK
        </button>
      }
    >
      <p>{request.summary}</p>
      {skipped.length === 0 && changed.length === 0 && <p>Everything was imported as it was.</p>}
      {skipped.length > 0 && (
        <section aria-label="Not imported">
          <h3>Not imported ({skipped.length})</h3>
          <ul className="report-list">
            {skipped.map((note, index) => (
              <li key={index}>
                <strong>{note.subject}</strong>: {note.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      {changed.length > 0 && (
        <section aria-label="Imported with changes">
          <h3>Imported with changes ({changed.length})</h3>
          <ul className="report-list">
            {changed.map((note, index) => (
              <li key={index}>
                <strong>{note.subject}</strong>: {note.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Dialog>
  );
}
