/**
 * The Sources dock: the items of the scene being edited, top of the picture first, with
 * visibility and lock toggles; a source that failed shows its error here (and in the
 * preview). Add Source opens the menu of types; the toolbar removes, opens properties and
 * filters, and reorders.
 */
import { useMemo, useRef, useState } from 'react';
import type { Scene } from '../../../common/scene/schema.ts';
import {
  DownIcon,
  EyeIcon,
  EyeOffIcon,
  FilterIcon,
  GearIcon,
  LockIcon,
  MinusIcon,
  PlusIcon,
  UnlockIcon,
  UpIcon,
  WarningIcon,
} from '../components/icons.tsx';
import { ContextMenu, MenuButton, type MenuEntry } from '../components/Menu.tsx';
import { Dock } from '../layout/Dock.tsx';
import { itemMenu, pasteIntoScene, runItemAction } from '../preview/item-actions.ts';
import { addSourceOfKind, addExistingSource } from '../sources/add-source.ts';
import { SOURCE_KINDS } from '../sources/source-kinds.ts';
import { useCollection, useSnapshot, useStudio } from '../studio/context.tsx';
import { useStore } from '../studio/store.ts';
import type { Studio } from '../studio/studio.ts';

/** The Add Source menu: every type, then the sources of other scenes to show here too (shared). */
export function addSourceMenu(studio: Studio, scene: Scene): MenuEntry[] {
  const collection = studio.engine.collection;
  const here = new Set(scene.items.map((item) => item.sourceId));
  const existing = collection.sources.filter((source) => !here.has(source.id));
  return [
    ...SOURCE_KINDS.map((info) => ({ label: info.label, onSelect: () => addSourceOfKind(studio, info.kind) })),
    'separator' as const,
    {
      label: 'Existing source',
      disabled: existing.length === 0,
      items: existing.map((source) => ({ label: source.name, onSelect: () => addExistingSource(studio, source.id) })),
    },
  ];
}

export function SourcesDock() {
  const studio = useStudio();
  const collection = useCollection();
  const studioMode = useSnapshot((snapshot) => snapshot.studioMode);
  const statuses = useSnapshot((snapshot) => snapshot.sources);
  const selected = useStore(studio.selection);
  const [menu, setMenu] = useState<{ at: { x: number; y: number }; items: MenuEntry[] } | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const sceneId = studioMode ? collection.previewSceneId : collection.programSceneId;
  const scene = collection.scenes.find((candidate) => candidate.id === sceneId) ?? collection.scenes[0]!;
  const rows = useMemo(() => [...scene.items].reverse(), [scene]);
  const selectedIndex = scene.items.findIndex((item) => item.id === selected);
  const focusRow = (itemId: string) =>
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLElement>(`[data-item-id="${CSS.escape(itemId)}"]`)?.focus());

  return (
    <Dock
      title="Sources"
      footer={
        <>
          <MenuButton label="Add Source" className="icon-button" items={() => addSourceMenu(studio, scene)}>
            <PlusIcon />
          </MenuButton>
          <button
            type="button"
            className="icon-button"
            aria-label="Remove source"
            title="Remove source"
            disabled={!selected}
            onClick={() => selected && runItemAction(studio, selected, 'remove')}
          >
            <MinusIcon />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Source properties"
            title="Properties"
            disabled={!selected}
            onClick={() => selected && runItemAction(studio, selected, 'properties')}
          >
            <GearIcon />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Source filters"
            title="Filters"
            disabled={!selected}
            onClick={() => selected && runItemAction(studio, selected, 'filters')}
          >
            <FilterIcon />
          </button>
          <span className="toolbar-gap" />
          <button
            type="button"
            className="icon-button"
            aria-label="Move source up"
            title="Move up"
            disabled={!selected || selectedIndex === scene.items.length - 1}
            onClick={() => selected && runItemAction(studio, selected, 'moveUp')}
          >
            <UpIcon />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Move source down"
            title="Move down"
            disabled={!selected || selectedIndex <= 0}
            onClick={() => selected && runItemAction(studio, selected, 'moveDown')}
          >
            <DownIcon />
          </button>
        </>
      }
    >
      {rows.length === 0 ? (
        <p className="dock-empty">
          No sources in “{scene.name}”. Use <strong>+</strong> below to add a camera, screen, image, text and more.
        </p>
      ) : (
        <ul ref={listRef} className="list" aria-label="Sources">
          {rows.map((item, position) => {
            const source = collection.sources.find((candidate) => candidate.id === item.sourceId);
            if (!source) return null;
            const status = statuses[source.id];
            const isSelected = item.id === selected;
            const errorId = `source-error-${item.id}`;
            return (
              <li key={item.id} className={`list-row source-row${isSelected ? ' selected' : ''}${item.visible ? '' : ' hidden-item'}`}>
                <button
                  type="button"
                  className="source-select"
                  data-item-id={item.id}
                  aria-label={source.name}
                  aria-pressed={isSelected}
                  aria-describedby={status?.state === 'error' ? errorId : undefined}
                  tabIndex={isSelected || (!selected && position === 0) ? 0 : -1}
                  onClick={() => studio.selection.set(item.id)}
                  onDoubleClick={() => runItemAction(studio, item.id, 'properties')}
                  onContextMenu={(event) => {
                    event.preventDefault();
                    studio.selection.set(item.id);
                    setMenu({ at: { x: event.clientX, y: event.clientY }, items: itemMenu(studio, item.id) });
                  }}
                  onKeyDown={(event) => {
                    const next = event.key === 'ArrowDown' ? rows[position + 1] : event.key === 'ArrowUp' ? rows[position - 1] : undefined;
                    const command = event.ctrlKey || event.metaKey;
                    if (next) {
                      studio.selection.set(next.id);
                      focusRow(next.id);
                    } else if (event.key === 'Enter') runItemAction(studio, item.id, 'properties');
                    else if (event.key === 'F2') runItemAction(studio, item.id, 'rename');
                    else if (event.key === 'Delete') runItemAction(studio, item.id, 'remove');
                    else if (command && event.code === 'KeyC') runItemAction(studio, item.id, 'copy');
                    else if (command && event.code === 'KeyV') pasteIntoScene(studio, event.shiftKey);
                    else if (event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10')) {
                      studio.selection.set(item.id);
                      const rect = event.currentTarget.getBoundingClientRect();
                      setMenu({ at: { x: rect.left + 24, y: rect.bottom }, items: itemMenu(studio, item.id) });
                    } else if (event.key !== ' ') return;
                    else studio.selection.set(item.id);
                    event.preventDefault();
                  }}
                >
                  <span className="list-label">{source.name}</span>
                  {status?.state === 'starting' && <span className="list-hint">starting…</span>}
                  {status?.state === 'error' && (
                    <span className="source-error" id={errorId}>
                      <WarningIcon />
                      {status.message}
                    </span>
                  )}
                </button>
                <button
                  type="button"
                  className="icon-button row-toggle"
                  aria-label={item.visible ? `Hide ${source.name}` : `Show ${source.name}`}
                  title={item.visible ? 'Hide' : 'Show'}
                  onClick={() => runItemAction(studio, item.id, 'toggleVisible')}
                >
                  {item.visible ? <EyeIcon /> : <EyeOffIcon />}
                </button>
                <button
                  type="button"
                  className={`icon-button row-toggle${item.locked ? ' on' : ''}`}
                  aria-label={item.locked ? `Unlock ${source.name}` : `Lock ${source.name}`}
                  title={item.locked ? 'Unlock' : 'Lock'}
                  onClick={() => runItemAction(studio, item.id, 'toggleLock')}
                >
                  {item.locked ? <LockIcon /> : <UnlockIcon />}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {menu && <ContextMenu at={menu.at} items={menu.items} label="Source" onClose={() => setMenu(null)} />}
    </Dock>
  );
}
