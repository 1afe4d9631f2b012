/**
 * The Scenes dock: a list where a click (or the arrow keys, as in OBS) switches scene, onto
 * program or, in studio mode, onto preview. Add, rename (F2 or double-click), duplicate,
 * remove (with undo) and reorder; each scene's hotkey shows beside it.
 */
import { useEffect, useRef, useState } from 'react';
import { duplicateScene, removeSceneWithUndo, uniqueName } from '../../../common/scene/operations.ts';
import { DownIcon, DotsIcon, MinusIcon, PlusIcon, UpIcon } from '../components/icons.tsx';
import { ContextMenu, MenuButton, type MenuEntry } from '../components/Menu.tsx';
import { formatCombo } from '../hotkeys/hotkeys.ts';
import { sceneAction } from '../hotkeys/actions.ts';
import { Dock } from '../layout/Dock.tsx';
import { useCollection, useSettings, useSnapshot, useStudio } from '../studio/context.tsx';
import type { Studio } from '../studio/studio.ts';

function addScene(studio: Studio): string {
  const collection = studio.engine.collection;
  const id = studio.ids('scene');
  studio.dispatch({
    type: 'addScene',
    scene: {
      id,
      name: uniqueName(
        'Scene',
        collection.scenes.map((scene) => scene.name),
      ),
      items: [],
    },
  });
  studio.switchScene(id);
  return id;
}

function removeScene(studio: Studio, sceneId: string): void {
  const collection = studio.engine.collection;
  const scene = collection.scenes.find((candidate) => candidate.id === sceneId);
  if (!scene) return;
  if (collection.scenes.length === 1) return void studio.toasts.info('A collection keeps at least one scene.');
  const { remove, undo } = removeSceneWithUndo(collection, sceneId);
  if (studio.dispatch(...remove))
    studio.toasts.info(`Removed the scene “${scene.name}”.`, { label: 'Undo', run: () => studio.dispatch(...undo) });
}

function moveScene(studio: Studio, sceneId: string, delta: number): void {
  const index = studio.engine.collection.scenes.findIndex((scene) => scene.id === sceneId);
  if (index + delta < 0) return;
  studio.dispatch({ type: 'moveScene', sceneId, toIndex: index + delta });
}

export function ScenesDock() {
  const studio = useStudio();
  const collection = useCollection();
  const studioMode = useSnapshot((snapshot) => snapshot.studioMode);
  const hotkeys = useSettings().hotkeys;
  const currentId = studioMode ? collection.previewSceneId : collection.programSceneId;
  const [renaming, setRenaming] = useState<string | null>(null);
  const [menu, setMenu] = useState<{ at: { x: number; y: number }; sceneId: string } | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const index = collection.scenes.findIndex((scene) => scene.id === currentId);

  const focusScene = (sceneId: string) =>
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLElement>(`[data-scene-id="${CSS.escape(sceneId)}"]`)?.focus());
  const sceneMenu = (sceneId: string): MenuEntry[] => [
    { label: 'Rename', hint: 'F2', onSelect: () => setRenaming(sceneId) },
    { label: 'Duplicate', onSelect: () => studio.dispatch(...duplicateScene(studio.engine.collection, sceneId, studio.ids)) },
    { label: 'Remove', hint: 'Del', onSelect: () => removeScene(studio, sceneId), disabled: collection.scenes.length === 1 },
    'separator',
    { label: 'Move up', onSelect: () => moveScene(studio, sceneId, -1), disabled: collection.scenes[0]?.id === sceneId },
    { label: 'Move down', onSelect: () => moveScene(studio, sceneId, 1), disabled: collection.scenes.at(-1)?.id === sceneId },
    'separator',
    { label: 'Set hotkey…', onSelect: () => studio.open({ kind: 'settings', page: 'hotkeys' }) },
  ];

  return (
    <Dock
      title="Scenes"
      footer={
        <>
          <button
            type="button"
            className="icon-button"
            aria-label="Add scene"
            title="Add scene"
            onClick={() => {
              const id = addScene(studio);
              setRenaming(id);
            }}
          >
            <PlusIcon />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Remove scene"
            title="Remove scene"
            onClick={() => removeScene(studio, currentId)}
            disabled={collection.scenes.length === 1}
          >
            <MinusIcon />
          </button>
          <span className="toolbar-gap" />
          <button
            type="button"
            className="icon-button"
            aria-label="Move scene up"
            title="Move scene up"
            onClick={() => moveScene(studio, currentId, -1)}
            disabled={index <= 0}
          >
            <UpIcon />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Move scene down"
            title="Move scene down"
            onClick={() => moveScene(studio, currentId, 1)}
            disabled={index === collection.scenes.length - 1}
          >
            <DownIcon />
          </button>
          <MenuButton label="More scene actions" className="icon-button" items={() => sceneMenu(currentId)}>
            <DotsIcon />
          </MenuButton>
        </>
      }
    >
      <ul ref={listRef} className="list" role="listbox" aria-label="Scenes">
        {collection.scenes.map((scene, position) => {
          const selected = scene.id === currentId;
          const onProgram = studioMode && scene.id === collection.programSceneId;
          const combo = hotkeys[sceneAction(scene.id)]?.[0];
          if (renaming === scene.id)
            return (
              <li key={scene.id} role="option" aria-selected={selected} className="list-row selected">
                <RenameInput
                  label="Scene name"
                  value={scene.name}
                  onDone={(name) => {
                    setRenaming(null);
                    if (name && name !== scene.name)
                      studio.dispatch({
                        type: 'renameScene',
                        sceneId: scene.id,
                        name: uniqueName(
                          name,
                          collection.scenes.filter((other) => other.id !== scene.id).map((other) => other.name),
                        ),
                      });
                    focusScene(scene.id);
                  }}
                />
              </li>
            );
          return (
            <li
              key={scene.id}
              role="option"
              aria-selected={selected}
              aria-label={scene.name}
              data-scene-id={scene.id}
              tabIndex={selected ? 0 : -1}
              className={`list-row${selected ? ' selected' : ''}`}
              onClick={() => studio.switchScene(scene.id)}
              onDoubleClick={() => setRenaming(scene.id)}
              onContextMenu={(event) => {
                event.preventDefault();
                setMenu({ at: { x: event.clientX, y: event.clientY }, sceneId: scene.id });
              }}
              onKeyDown={(event) => {
                const target =
                  event.key === 'ArrowDown'
                    ? collection.scenes[position + 1]
                    : event.key === 'ArrowUp'
                      ? collection.scenes[position - 1]
                      : undefined;
                if (target && event.altKey) {
                  moveScene(studio, scene.id, event.key === 'ArrowDown' ? 1 : -1);
                  focusScene(scene.id);
                } else if (target) {
                  studio.switchScene(target.id);
                  focusScene(target.id);
                } else if (event.key === 'Enter' || event.key === ' ') studio.switchScene(scene.id);
                else if (event.key === 'F2') setRenaming(scene.id);
                else if (event.key === 'Delete') removeScene(studio, scene.id);
                else if (event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10')) {
                  const rect = event.currentTarget.getBoundingClientRect();
                  setMenu({ at: { x: rect.left + 24, y: rect.bottom }, sceneId: scene.id });
                } else return;
                event.preventDefault();
              }}
            >
              <span className="list-label">{scene.name}</span>
              {onProgram && <span className="badge badge-program">Program</span>}
              {combo && <kbd className="list-hint">{formatCombo(combo)}</kbd>}
            </li>
          );
        })}
      </ul>
      {menu && (
        <ContextMenu
          at={menu.at}
          items={sceneMenu(menu.sceneId)}
          label="Scene"
          onClose={() => {
            setMenu(null);
          }}
        />
      )}
    </Dock>
  );
}

/** An inline text field that commits on Enter or blur and cancels on Escape. */
export function RenameInput({ label, value, onDone }: { label: string; value: string; onDone: (value: string | null) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  const done = useRef(false);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  const finish = (result: string | null) => {
    if (done.current) return;
    done.current = true;
    onDone(result === null ? null : result.trim().slice(0, 200) || null);
  };
  return (
    <input
      ref={ref}
      className="rename-input"
      aria-label={label}
      defaultValue={value}
      maxLength={200}
      onBlur={(event) => finish(event.target.value)}
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === 'Enter') finish(event.currentTarget.value);
        else if (event.key === 'Escape') finish(null);
      }}
    />
  );
}
