/** The top bar: the app's name, the Scene Collection and Docks menus, what is on air, and the live and recording timers. */
import type { LayoutSettings } from '../../../common/settings/studio-settings.ts';
import { CollectionMenu } from '../collections/CollectionMenu.tsx';
import { MenuButton } from '../components/Menu.tsx';
import { OutputTimers } from '../controls/OutputTimers.tsx';
import { useSnapshot } from '../studio/context.tsx';
import { DOCKS } from './docks.tsx';
import { defaultLayout, setDockVisible } from './layout-model.ts';

export function TitleBar({ layout, onLayout }: { layout: LayoutSettings; onLayout: (layout: LayoutSettings) => void }) {
  const collectionName = useSnapshot((snapshot) => snapshot.collection.name);
  return (
    <header className="titlebar">
      <h1 className="brand">Tally Studio</h1>
      <nav className="menubar" aria-label="Menu">
        <CollectionMenu />
        <MenuButton
          label="Docks"
          className="menubar-button"
          items={() => [
            ...DOCKS.map((dock) => ({
              label: dock.title,
              checked: !layout.hidden.includes(dock.id),
              onSelect: () => onLayout(setDockVisible(layout, dock.id, layout.hidden.includes(dock.id))),
            })),
            'separator' as const,
            { label: 'Reset layout', onSelect: () => onLayout({ ...defaultLayout(), studioMode: layout.studioMode }) },
          ]}
        />
      </nav>
      <div className="titlebar-collection" title="Scene collection">
        {collectionName}
      </div>
      <OutputTimers />
    </header>
  );
}
