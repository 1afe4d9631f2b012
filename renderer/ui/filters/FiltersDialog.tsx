/**
 * A source's filters, as in OBS: the list (add, remove, reorder, enable or disable each),
 * the selected filter's settings, and a live view of the source through them with an A/B
 * comparison (hold or toggle to see it without its filters). Edits apply at once.
 */
import { useState } from 'react';
import type { Filter, FilterKind } from '../../../common/scene/schema.ts';
import { Dialog } from '../components/Dialog.tsx';
import { DownIcon, MinusIcon, PlusIcon, UpIcon } from '../components/icons.tsx';
import { MenuButton } from '../components/Menu.tsx';
import { uniqueName } from '../../../common/scene/operations.ts';
import { isVisual } from '../sources/source-kinds.ts';
import { SourceView } from '../sources/SourceView.tsx';
import { useCollection, useStudio } from '../studio/context.tsx';
import { FilterSettingsForm } from './filter-forms.tsx';
import { FILTER_KINDS, filterLabel } from './filter-kinds.ts';

export function FiltersDialog({ sourceId }: { sourceId: string }) {
  const studio = useStudio();
  const collection = useCollection();
  const source = collection.sources.find((candidate) => candidate.id === sourceId);
  const [selectedId, setSelectedId] = useState<string | null>(source?.filters[0]?.id ?? null);
  const [compare, setCompare] = useState(false);
  if (!source) return null;
  const filters = source.filters;
  const selected = filters.find((filter) => filter.id === selectedId) ?? null;
  const index = selected ? filters.indexOf(selected) : -1;
  const save = (next: Filter[]) => studio.dispatch({ type: 'setFilters', sourceId, filters: next });
  const add = (kind: FilterKind) => {
    const info = FILTER_KINDS.find((candidate) => candidate.kind === kind)!;
    const id = studio.ids('filter');
    if (
      save([
        ...filters,
        {
          id,
          name: uniqueName(
            info.label,
            filters.map((filter) => filter.name),
          ),
          enabled: true,
          settings: info.settings(),
        },
      ])
    )
      setSelectedId(id);
  };
  const move = (delta: number) => {
    if (!selected || index + delta < 0 || index + delta >= filters.length) return;
    const next = [...filters];
    next.splice(index, 1);
    next.splice(index + delta, 0, selected);
    save(next);
  };
  const remove = () => {
    if (!selected) return;
    save(filters.filter((filter) => filter !== selected));
    setSelectedId(filters[index + 1]?.id ?? filters[index - 1]?.id ?? null);
  };

  return (
    <Dialog
      title={`Filters for “${source.name}”`}
      onClose={() => studio.closeDialog()}
      size="wide"
      footer={
        <button type="button" className="primary" onClick={() => studio.closeDialog()}>
          Close
        </button>
      }
    >
      <div className="filters-dialog">
        <div className="filters-list-pane">
          <ul className="list filters-list" aria-label="Filters">
            {filters.length === 0 && <li className="dock-empty">No filters yet: add one with +.</li>}
            {filters.map((filter) => (
              <li key={filter.id} className={`list-row${filter.id === selectedId ? ' selected' : ''}`}>
                <input
                  type="checkbox"
                  checked={filter.enabled}
                  aria-label={`${filter.name || filterLabel(filter.settings.kind)} enabled`}
                  onChange={(event) =>
                    save(filters.map((candidate) => (candidate === filter ? { ...candidate, enabled: event.target.checked } : candidate)))
                  }
                />
                <button
                  type="button"
                  className="list-select"
                  aria-pressed={filter.id === selectedId}
                  onClick={() => setSelectedId(filter.id)}
                >
                  {filter.name || filterLabel(filter.settings.kind)}
                </button>
              </li>
            ))}
          </ul>
          <div className="dock-toolbar">
            <MenuButton
              label="Add filter"
              className="icon-button"
              items={() => FILTER_KINDS.map((info) => ({ label: info.label, onSelect: () => add(info.kind) }))}
            >
              <PlusIcon />
            </MenuButton>
            <button
              type="button"
              className="icon-button"
              aria-label="Remove filter"
              title="Remove filter"
              disabled={!selected}
              onClick={remove}
            >
              <MinusIcon />
            </button>
            <span className="toolbar-gap" />
            <button
              type="button"
              className="icon-button"
              aria-label="Move filter up"
              title="Move up"
              disabled={index <= 0}
              onClick={() => move(-1)}
            >
              <UpIcon />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label="Move filter down"
              title="Move down"
              disabled={index < 0 || index >= filters.length - 1}
              onClick={() => move(1)}
            >
              <DownIcon />
            </button>
          </div>
        </div>
        <div className="filters-main">
          {isVisual(source.settings) && (
            <div className="filters-view">
              <SourceView
                sourceId={sourceId}
                visual
                bypassFilters={compare}
                label={compare ? `${source.name} without filters` : `${source.name} with filters`}
              />
              <div className="compare-row">
                <button
                  type="button"
                  className="compare-button"
                  aria-pressed={compare}
                  title="Show the source without its filters"
                  onClick={() => setCompare((on) => !on)}
                >
                  Compare A/B
                </button>
                <span className="badge">{compare ? 'B: without filters' : 'A: with filters'}</span>
              </div>
            </div>
          )}
          {selected ? (
            <section className="filter-settings" aria-label={`${selected.name || filterLabel(selected.settings.kind)} settings`}>
              <h3>{selected.name || filterLabel(selected.settings.kind)}</h3>
              <FilterSettingsForm
                settings={selected.settings}
                onChange={(settings) => save(filters.map((candidate) => (candidate === selected ? { ...candidate, settings } : candidate)))}
              />
            </section>
          ) : (
            <p className="dock-empty">Select a filter to change its settings.</p>
          )}
        </div>
      </div>
    </Dialog>
  );
}
