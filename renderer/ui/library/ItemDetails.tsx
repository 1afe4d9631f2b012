/**
 * The selected item: its facts, its title, tags and notes (editable), and what can be done
 * with it: play, add to the scene, trim, remux, reveal, delete or restore, relink.
 */
import { useEffect, useState } from 'react';
import type { LibraryItem } from '../../../common/host/library-contract.ts';
import { formatBytes } from '../format.ts';
import { canAddToScene } from './add-to-scene.ts';
import { describeMedia, formatDate, formatDuration, KIND_LABELS } from './library-format.ts';
import type { LibraryApi } from './use-library.ts';

export interface ItemDetailsProps {
  api: LibraryApi;
  item: LibraryItem;
  /** Null while the studio engine is not running. */
  onAddToScene: ((item: LibraryItem) => void) | null;
  onPlay: (item: LibraryItem) => void;
  onTrim: (item: LibraryItem) => void;
  /** Shows a message in the panel's status line. */
  notify: (message: string) => void;
}

const remuxable = (item: LibraryItem) =>
  item.status === 'ok' && (item.container === 'flv' || (item.container ?? '').startsWith('matroska'));
const trimmable = (item: LibraryItem) =>
  item.status === 'ok' && item.durationMs !== null && item.kind !== 'image' && item.kind !== 'screenshot';

export function ItemDetails({ api, item, onAddToScene, onPlay, onTrim, notify }: ItemDetailsProps) {
  const [title, setTitle] = useState(item.title);
  const [tags, setTags] = useState(item.tags.join(', '));
  const [notes, setNotes] = useState(item.notes);
  const [relinkFolder, setRelinkFolder] = useState('');
  useEffect(() => {
    setTitle(item.title);
    setTags(item.tags.join(', '));
    setNotes(item.notes);
  }, [item.id, item.title, item.tags, item.notes]);

  const run = (work: Promise<unknown>, done?: string) =>
    void work.then(
      () => done && notify(done),
      (error: unknown) => notify(error instanceof Error ? error.message.replace(/^tally:[\w.]+: /, '') : String(error)),
    );
  const save = () =>
    run(
      api.update(item.id, {
        title: title.trim() || item.title,
        tags: tags
          .split(',')
          .map((tag) => tag.trim())
          .filter(Boolean),
        notes,
      }),
      'Saved',
    );
  const trashed = item.trashedAtMs !== null;

  return (
    <section className="library-details" aria-label="Item details">
      <h3>{item.title}</h3>
      <dl className="facts">
        <dt>Type</dt>
        <dd>{KIND_LABELS[item.kind]}</dd>
        {item.durationMs !== null && (
          <>
            <dt>Duration</dt>
            <dd>{formatDuration(item.durationMs)}</dd>
          </>
        )}
        <dt>Media</dt>
        <dd>{describeMedia(item) || '—'}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(item.sizeBytes)}</dd>
        <dt>Created</dt>
        <dd>{formatDate(item.createdAtMs)}</dd>
        <dt>File</dt>
        <dd className="library-path">{item.path}</dd>
        {item.destinationIds.length > 0 && (
          <>
            <dt>Streamed to</dt>
            <dd>{item.destinationIds.join(', ')}</dd>
          </>
        )}
      </dl>
      {item.status !== 'ok' && (
        <p role="alert" className="library-item-error">
          {item.status === 'missing'
            ? `Missing: ${item.error ?? 'the file is not where it was'}`
            : `Cannot be read: ${item.error ?? 'unknown error'}`}
        </p>
      )}
      <div className="library-actions">
        <button type="button" onClick={() => onPlay(item)} disabled={item.status !== 'ok' || trashed}>
          Play
        </button>
        <button type="button" onClick={() => onAddToScene?.(item)} disabled={!onAddToScene || !canAddToScene(item)}>
          Add to scene
        </button>
        <button type="button" onClick={() => onTrim(item)} disabled={!trimmable(item) || trashed}>
          Trim…
        </button>
        {remuxable(item) && (
          <button type="button" onClick={() => run(api.remux(item.id), 'Remuxing to MP4…')} disabled={trashed}>
            Remux to MP4
          </button>
        )}
        <button
          type="button"
          onClick={() =>
            void api.reveal(item.id).then(
              (result) => notify(result.revealed ? 'Shown in the file manager' : `File: ${result.path}`),
              (error: unknown) => notify(String(error)),
            )
          }
        >
          Reveal in folder
        </button>
        {trashed ? (
          <button type="button" onClick={() => run(api.restore([item.id]), 'Restored')}>
            Restore
          </button>
        ) : (
          <button type="button" onClick={() => run(api.delete([item.id]), 'Moved to the trash')}>
            Delete
          </button>
        )}
      </div>
      {item.status === 'missing' && !trashed && (
        <form
          className="library-inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            run(
              api.relink({ folder: relinkFolder, itemIds: [item.id] }).then((result) => {
                if (result.notFound.length) throw new Error(`No file with the same content in ${relinkFolder}`);
              }),
              'Found again',
            );
          }}
        >
          <label>
            Folder to search
            <input
              value={relinkFolder}
              onChange={(event) => setRelinkFolder(event.target.value)}
              placeholder="/path/on/the/host"
              required
            />
          </label>
          <button type="submit">Relink</button>
        </form>
      )}
      {!trashed && (
        <form
          className="library-edit"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <label>
            Title
            <input value={title} onChange={(event) => setTitle(event.target.value)} maxLength={500} />
          </label>
          <label>
            Tags
            <input value={tags} onChange={(event) => setTags(event.target.value)} placeholder="comma, separated" />
          </label>
          <label>
            Notes
            <textarea value={notes} onChange={(event) => setNotes(event.target.value)} rows={3} maxLength={20_000} />
          </label>
          <button type="submit">Save</button>
        </form>
      )}
    </section>
  );
}
