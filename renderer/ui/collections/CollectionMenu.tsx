/** The Scene Collection menu: new, rename, switch, import (Tally or OBS), export, delete. */
import { useEffect, useRef, useState } from 'react';
import type { SceneCollectionSummary } from '../../../common/host/contract.ts';
import { uniqueName } from '../../../common/scene/operations.ts';
import { MenuButton, type MenuEntry } from '../components/Menu.tsx';
import { useSnapshot, useStudio } from '../studio/context.tsx';
import { createCollection, exportCollection, importCollectionFile, removeCollection, switchCollection } from './collection-actions.ts';

export function CollectionMenu() {
  const studio = useStudio();
  const current = useSnapshot((snapshot) => snapshot.collection);
  const [stored, setStored] = useState<SceneCollectionSummary[]>([]);
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    const refresh = () =>
      void studio.host.api.scenes.listCollections().then(
        (list) => live && setStored(list),
        () => undefined,
      );
    refresh();
    const subscription = studio.host.api.scenes.onDidChangeCollection(refresh);
    return () => {
      live = false;
      subscription.dispose();
    };
  }, [studio]);

  const others = stored.filter((summary) => summary.id !== current.id);
  const names = [current.name, ...others.map((summary) => summary.name)];
  const items = (): MenuEntry[] => [
    {
      label: 'New…',
      onSelect: () =>
        studio.open({
          kind: 'rename',
          title: 'New scene collection',
          label: 'Collection name',
          value: uniqueName('Untitled', names),
          onRename: (name) => void createCollection(studio, uniqueName(name, names)),
        }),
    },
    {
      label: 'Rename…',
      onSelect: () =>
        studio.open({
          kind: 'rename',
          title: 'Rename scene collection',
          label: 'Collection name',
          value: current.name,
          onRename: (name) => studio.dispatch({ type: 'renameCollection', name: uniqueName(name, names.slice(1)) }),
        }),
    },
    'separator',
    { label: current.name, checked: true },
    ...others.map((summary) => ({ label: summary.name, checked: false, onSelect: () => void switchCollection(studio, summary.id) })),
    'separator',
    { label: 'Import (Tally or OBS)…', onSelect: () => fileRef.current?.click() },
    {
      label: 'Export',
      onSelect: () => {
        const name = exportCollection(studio.engine.collection);
        studio.toasts.success(`Exported the scene collection as ${name}.`);
      },
    },
    {
      label: 'Delete',
      disabled: others.length === 0,
      items: others.map((summary) => ({
        label: summary.name,
        onSelect: () =>
          studio.open({
            kind: 'confirm',
            title: 'Delete scene collection',
            message: `Delete “${summary.name}” with all its scenes and sources? This cannot be undone; export it first to keep a copy.`,
            action: 'Delete',
            onConfirm: () => void removeCollection(studio, summary.id, summary.name),
          }),
      })),
    },
  ];

  return (
    <>
      <MenuButton label="Scene Collection" className="menubar-button" items={items} />
      <input
        ref={fileRef}
        type="file"
        accept=".json,application/json"
        className="visually-hidden"
        tabIndex={-1}
        aria-label="Collection file to import"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void importCollectionFile(studio, file);
        }}
      />
    </>
  );
}
