/**
 * The docks this build has, with their titles and the area each starts in. A new dock (the
 * content library's, for one) is added here; layouts saved before it place it by itself.
 */
import type { ReactNode } from 'react';
import { ControlsDock } from '../docks/ControlsDock.tsx';
import { LibraryDock } from '../docks/LibraryDock.tsx';
import { MixerDock } from '../docks/MixerDock.tsx';
import { ScenesDock } from '../docks/ScenesDock.tsx';
import { SourcesDock } from '../docks/SourcesDock.tsx';
import { StatsDock } from '../docks/StatsDock.tsx';
import { TransitionsDock } from '../docks/TransitionsDock.tsx';
import type { KnownDock } from './layout-model.ts';

/** A dock: its id in the layout, its title (also its landmark's name), and what it shows. */
export interface DockDefinition extends KnownDock {
  title: string;
  render: () => ReactNode;
}

export const DOCKS: readonly DockDefinition[] = [
  { id: 'scenes', title: 'Scenes', area: 'bottom', render: () => <ScenesDock /> },
  { id: 'sources', title: 'Sources', area: 'bottom', render: () => <SourcesDock /> },
  { id: 'mixer', title: 'Audio Mixer', area: 'bottom', render: () => <MixerDock /> },
  { id: 'transitions', title: 'Scene Transitions', area: 'bottom', render: () => <TransitionsDock /> },
  { id: 'controls', title: 'Controls', area: 'bottom', render: () => <ControlsDock /> },
  { id: 'stats', title: 'Stats', area: 'side', render: () => <StatsDock /> },
  { id: 'library', title: 'Library', area: 'side', render: () => <LibraryDock /> },
];

export const DOCK_IDS: ReadonlySet<string> = new Set(DOCKS.map((dock) => dock.id));

export function dockTitle(id: string): string {
  return DOCKS.find((dock) => dock.id === id)?.title ?? id;
}
