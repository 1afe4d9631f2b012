/**
 * A source's properties, for a new source ("Add Camera") and later ("Properties of …"):
 * its name, its settings by type, and a live view. Edits apply at once so the view (and
 * the preview) follow them; Cancel takes a new source away again, or puts an existing
 * one back as it was.
 */
import { useRef, useState } from 'react';
import type { Source, SourceSettings } from '../../../common/scene/schema.ts';
import { Dialog } from '../components/Dialog.tsx';
import { Field } from '../components/fields.tsx';
import type { DialogRequest } from '../studio/studio.ts';
import { useCollection, useStudio } from '../studio/context.tsx';
import { addSourceWithItem, placeAgainIfUntouched } from './add-source.ts';
import { SourceSettingsForm } from './source-forms.tsx';
import { isVisual, kindLabel } from './source-kinds.ts';
import { SourceView } from './SourceView.tsx';

export function SourceDialog({ request }: { request: Extract<DialogRequest, { kind: 'source' }> }) {
  const studio = useStudio();
  const collection = useCollection();
  const source = collection.sources.find((candidate) => candidate.id === request.sourceId);
  const original = useRef<Source | null>(source ? structuredClone(source) : null);
  const [name, setName] = useState(source?.name ?? request.pending?.name ?? '');
  const kind = source?.settings.kind ?? request.pending?.kind;
  if (!kind) return null;
  const label = kindLabel(kind);
  const title = request.created ? `Add ${label}` : `Properties of “${original.current?.name ?? name}”`;

  const apply = (settings: SourceSettings) => {
    if (source) studio.dispatch({ type: 'updateSource', sourceId: source.id, settings });
    else addSourceWithItem(studio, name.trim() || label, settings, request.sourceId);
  };
  const close = (keep: boolean) => {
    const current = studio.engine.collection.sources.find((candidate) => candidate.id === request.sourceId);
    if (!keep && current) {
      if (request.created) studio.dispatch({ type: 'removeSource', sourceId: current.id });
      else if (original.current)
        studio.dispatch({ type: 'updateSource', sourceId: current.id, name: original.current.name, settings: original.current.settings });
    } else if (keep && current) {
      if (name.trim() && name.trim() !== current.name)
        studio.dispatch({ type: 'updateSource', sourceId: current.id, name: name.trim().slice(0, 200) });
      if (request.created) {
        const item = studio.engine.collection.scenes.flatMap((scene) => scene.items).find((candidate) => candidate.sourceId === current.id);
        if (item) placeAgainIfUntouched(studio, item.id);
      }
    }
    studio.closeDialog();
  };

  return (
    <Dialog
      title={title}
      onClose={() => close(false)}
      size="wide"
      footer={
        <>
          <button type="button" onClick={() => close(false)}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={() => close(true)} disabled={!source}>
            OK
          </button>
        </>
      }
    >
      <div className="source-dialog">
        <div className="source-dialog-view">
          {source ? (
            <SourceView sourceId={source.id} visual={isVisual(source.settings)} label={`Live view of ${name || label}`} />
          ) : (
            <div className="source-view">
              <p className="source-view-status">Choose a file to see it here.</p>
            </div>
          )}
        </div>
        <div className="source-dialog-form">
          <Field label="Name">
            <input value={name} maxLength={200} onChange={(event) => setName(event.target.value)} />
          </Field>
          <SourceSettingsForm
            settings={source?.settings ?? null}
            {...(request.pending ? { pendingKind: request.pending.kind } : {})}
            onChange={apply}
            sourceId={source?.id ?? null}
          />
        </div>
      </div>
    </Dialog>
  );
}
