/**
 * The Library dock: search, filters and sort over the host's library, grid and list views,
 * imports with progress, and the selected item's details and actions. "Add to scene" (a click,
 * or a card dropped onto the preview) goes through the engine's scene commands.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  LIBRARY_ITEM_DRAG_TYPE,
  type LibraryItem,
  type LibraryItemKind,
  type LibrarySortKey,
} from '../../../common/host/library-contract.ts';
import type { StudioEngine } from '../../engine/index.ts';
import type { StudioHost } from '../../host/index.ts';
import { useHostReopens } from '../studio/use-host-reopens.ts';
import { addToSceneCommands } from './add-to-scene.ts';
import { ImportControls, useImporter } from './ImportControls.tsx';
import { ItemBrowser } from './ItemBrowser.tsx';
import { ItemDetails } from './ItemDetails.tsx';
import { JobList } from './JobList.tsx';
import { KIND_LABELS } from './library-format.ts';
import { PlayerDialog } from './PlayerDialog.tsx';
import { TrimDialog } from './TrimDialog.tsx';
import { pickedFromDrop } from './upload.ts';
import { INITIAL_QUERY, PAGE_SIZE, useLibraryJobs, useLibraryPage, useLibraryTags, type LibraryQuery } from './use-library.ts';
import './library.css';

export interface LibraryPanelProps {
  host: StudioHost;
  /** The running engine, for "Add to scene"; null until it has started. */
  engine: StudioEngine | null;
  /** The preview element cards can be dropped onto. */
  preview: HTMLElement | null;
}

const SORTS: Record<LibrarySortKey, string> = {
  created: 'Date created',
  imported: 'Date imported',
  title: 'Name',
  duration: 'Duration',
  size: 'Size',
};

export function LibraryPanel({ host, engine, preview }: LibraryPanelProps) {
  const api = host.api.library;
  const [query, setQuery] = useState<LibraryQuery>(INITIAL_QUERY);
  const [view, setView] = useState<'grid' | 'list'>('grid');
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [selected, setSelected] = useState<LibraryItem | null>(null);
  const [playing, setPlaying] = useState<LibraryItem | null>(null);
  const [trimming, setTrimming] = useState<LibraryItem | null>(null);
  const [message, setMessage] = useState('');
  const reopens = useHostReopens(host);
  const { page, error } = useLibraryPage(api, query, reopens);
  const tags = useLibraryTags(api, reopens);
  const { jobs, dismiss } = useLibraryJobs(api, reopens);
  const notify = useCallback((text: string) => setMessage(text), []);
  const importer = useImporter(api, host, notify);
  const change = (patch: Partial<LibraryQuery>) => setQuery((previous) => ({ ...previous, offset: 0, ...patch }));

  // The selected item, fresh from the page it is on, else from the host.
  useEffect(() => {
    if (selectedId === null) return setSelected(null);
    const onPage = page?.items.find((item) => item.id === selectedId);
    if (onPage) return setSelected(onPage);
    let current = true;
    void api.get(selectedId).then(
      (item) => current && setSelected(item),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api, page, selectedId]);

  const addToScene = useCallback(
    (item: LibraryItem, at?: { x: number; y: number }) => {
      if (!engine) return;
      const collection = engine.collection;
      const sceneId = engine.studioMode ? collection.previewSceneId : collection.programSceneId;
      try {
        for (const command of addToSceneCommands(item, collection, { sceneId, ...(at ? { at } : {}) })) engine.dispatch(command);
        notify(`Added ${item.title} to the scene`);
      } catch (failure) {
        notify(`Could not add ${item.title}: ${failure instanceof Error ? failure.message : String(failure)}`);
      }
    },
    [engine, notify],
  );

  // Cards dropped onto the preview land where they were dropped.
  useEffect(() => {
    if (!preview || !engine) return;
    const onDragOver = (event: DragEvent) => {
      if (!event.dataTransfer?.types.includes(LIBRARY_ITEM_DRAG_TYPE)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (event: DragEvent) => {
      const id = Number(event.dataTransfer?.getData(LIBRARY_ITEM_DRAG_TYPE));
      if (!Number.isInteger(id) || id <= 0) return;
      event.preventDefault();
      const box = (preview.querySelector('canvas') ?? preview).getBoundingClientRect();
      const { width, height } = engine.collection.canvas;
      const at = { x: ((event.clientX - box.left) / box.width) * width, y: ((event.clientY - box.top) / box.height) * height };
      void api.get(id).then(
        (item) => item && addToScene(item, at),
        () => undefined,
      );
    };
    preview.addEventListener('dragover', onDragOver);
    preview.addEventListener('drop', onDrop);
    return () => {
      preview.removeEventListener('dragover', onDragOver);
      preview.removeEventListener('drop', onDrop);
    };
  }, [api, preview, engine, addToScene]);

  const jobOf = useMemo(() => {
    const byId = new Map(jobs.map((job) => [job.id, job]));
    return (id: string) => byId.get(id);
  }, [jobs]);
  const onClip = useCallback((id: number) => setSelectedId(id), []);
  const total = page?.total ?? 0;
  const showingFrom = total === 0 ? 0 : query.offset + 1;
  const showingTo = Math.min(total, query.offset + PAGE_SIZE);
  const activeFilters = [query.kind !== '', query.tag !== '', query.from !== '', query.to !== '', query.trashed].filter(Boolean).length;

  return (
    // The dock around it is the "Library" landmark.
    <div
      className="library-panel"
      onDragOver={(event) => {
        if (event.dataTransfer.types.includes('Files')) event.preventDefault();
      }}
      onDrop={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        void pickedFromDrop(event.dataTransfer).then(importer.importPicked, (failure: unknown) => notify(String(failure)));
      }}
    >
      <div className="library-toolbar">
        <input
          type="search"
          aria-label="Search library"
          placeholder="Search titles, tags and notes"
          value={query.text}
          onChange={(event) => change({ text: event.target.value })}
        />
        <div role="group" aria-label="View">
          {(['grid', 'list'] as const).map((mode) => (
            <button key={mode} type="button" aria-pressed={view === mode} onClick={() => setView(mode)}>
              {mode === 'grid' ? 'Grid' : 'List'}
            </button>
          ))}
        </div>
        <label>
          Sort by
          <select
            value={query.sort}
            disabled={query.text.trim() !== ''}
            onChange={(event) => change({ sort: event.target.value as LibrarySortKey })}
          >
            {Object.entries(SORTS).map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          aria-label="Sort direction"
          disabled={query.text.trim() !== ''}
          onClick={() => change({ direction: query.direction === 'asc' ? 'desc' : 'asc' })}
        >
          {query.direction === 'asc' ? 'Ascending' : 'Descending'}
        </button>
        {/* The rarer filters fold away so the items show at 1280x720; the summary counts those in use. */}
        <details className="library-filters">
          <summary>{activeFilters > 0 ? `Filters (${activeFilters})` : 'Filters'}</summary>
          <div className="library-toolbar">
            <label>
              Type
              <select value={query.kind} onChange={(event) => change({ kind: event.target.value as LibraryItemKind | '' })}>
                <option value="">All types</option>
                {Object.entries(KIND_LABELS).map(([kind, label]) => (
                  <option key={kind} value={kind}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Tag
              <select value={query.tag} onChange={(event) => change({ tag: event.target.value })}>
                <option value="">All tags</option>
                {tags.map(({ tag, count }) => (
                  <option key={tag} value={tag}>
                    {tag} ({count})
                  </option>
                ))}
              </select>
            </label>
            <label>
              From
              <input type="date" value={query.from} onChange={(event) => change({ from: event.target.value })} />
            </label>
            <label>
              To
              <input type="date" value={query.to} onChange={(event) => change({ to: event.target.value })} />
            </label>
            <label>
              <input type="checkbox" checked={query.trashed} onChange={(event) => change({ trashed: event.target.checked })} /> Show trash
            </label>
            {query.trashed && (
              <button
                type="button"
                onClick={() =>
                  void api.emptyTrash().then(
                    (count) => notify(`Emptied the trash: ${count} items`),
                    (failure: unknown) => notify(String(failure)),
                  )
                }
              >
                Empty trash
              </button>
            )}
          </div>
        </details>
      </div>
      <ImportControls api={api} host={host} importer={importer} notify={notify} />
      <JobList api={api} jobs={jobs} onDismiss={dismiss} />
      <p role="status" aria-label="Library status" className="library-status">
        {error ?? message}
      </p>
      <div className="library-body">
        <div className="library-items">
          {page && page.items.length === 0 ? (
            <p className="library-empty">
              {query.text.trim()
                ? `Nothing matches "${query.text.trim()}".`
                : query.trashed
                  ? 'The trash is empty.'
                  : 'The library is empty: import files or drop them here.'}
            </p>
          ) : (
            <ItemBrowser
              items={page?.items ?? []}
              view={view}
              selectedId={selectedId}
              onSelect={(item) => setSelectedId(item.id)}
              onOpen={setPlaying}
            />
          )}
          <nav className="library-paging" aria-label="Library pages">
            <button
              type="button"
              disabled={query.offset === 0}
              onClick={() => setQuery({ ...query, offset: Math.max(0, query.offset - PAGE_SIZE) })}
            >
              Previous page
            </button>
            <span aria-live="polite">
              {showingFrom}–{showingTo} of {total}
            </span>
            <button type="button" disabled={showingTo >= total} onClick={() => setQuery({ ...query, offset: query.offset + PAGE_SIZE })}>
              Next page
            </button>
          </nav>
        </div>
        {selected && (
          <ItemDetails
            api={api}
            item={selected}
            onAddToScene={engine ? (item) => addToScene(item) : null}
            onPlay={setPlaying}
            onTrim={setTrimming}
            notify={notify}
          />
        )}
      </div>
      {playing && <PlayerDialog item={playing} onClose={() => setPlaying(null)} />}
      {trimming && <TrimDialog api={api} item={trimming} jobOf={jobOf} onClose={() => setTrimming(null)} onClip={onClip} />}
    </div>
  );
}
