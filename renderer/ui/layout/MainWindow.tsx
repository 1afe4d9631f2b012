/**
 * The studio's main window, laid out as OBS users expect: the preview on top, docks
 * (Scenes, Sources, Audio Mixer, Scene Transitions, Controls) in a row under it and Stats
 * beside it, every boundary draggable, the layout remembered in the settings. Hotkeys,
 * dialogs and the status bar hang off it too.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { LayoutSettings } from '../../../common/settings/studio-settings.ts';
import type { ConnectionState } from '../../host/index.ts';
import { DialogHost } from '../DialogHost.tsx';
import { useHotkeys } from '../hotkeys/use-hotkeys.ts';
import { PreviewArea } from '../preview/PreviewArea.tsx';
import { useStudio, useSettings } from '../studio/context.tsx';
import { DOCK_IDS, DOCKS, dockTitle } from './docks.tsx';
import { DockArea } from './DockArea.tsx';
import { clampPanes, visibleSlots, withAllDocks } from './layout-model.ts';
import { Splitter } from './Splitter.tsx';
import { StatusBar } from './StatusBar.tsx';
import { TitleBar } from './TitleBar.tsx';

/** Title bar and status bar, CSS pixels (what the panes cannot take). */
const CHROME_PX = 64;

function useViewport(): { width: number; height: number } {
  const [size, setSize] = useState({ width: innerWidth, height: innerHeight });
  useEffect(() => {
    const onResize = () => setSize({ width: innerWidth, height: innerHeight });
    addEventListener('resize', onResize);
    return () => removeEventListener('resize', onResize);
  }, []);
  return size;
}

/**
 * Notifications and the progress tray float over the preview's lower corners, never over a
 * dock's controls (the Controls dock's viewer link, the Library): the stage's box, published as
 * CSS variables on the root (`--overlay-*`, px from the window's edges) that `theme.css` places them by.
 */
function useOverlayArea(stage: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const element = stage.current;
    if (!element) return;
    const root = document.documentElement.style;
    const place = () => {
      const box = element.getBoundingClientRect();
      root.setProperty('--overlay-left', `${Math.round(box.left)}px`);
      root.setProperty('--overlay-right', `${Math.round(innerWidth - box.right)}px`);
      root.setProperty('--overlay-bottom', `${Math.round(innerHeight - box.bottom)}px`);
      root.setProperty('--overlay-width', `${Math.round(box.width)}px`);
      root.setProperty('--overlay-height', `${Math.round(box.height)}px`);
    };
    place();
    const observer = new ResizeObserver(place);
    observer.observe(element);
    addEventListener('resize', place);
    return () => {
      observer.disconnect();
      removeEventListener('resize', place);
      for (const name of ['left', 'right', 'bottom', 'width', 'height']) root.removeProperty(`--overlay-${name}`);
    };
  }, [stage]);
}

export function MainWindow({ connection }: { connection: ConnectionState }) {
  const studio = useStudio();
  const settings = useSettings();
  const viewport = useViewport();
  const layout = useMemo(() => withAllDocks(settings.layout, DOCKS), [settings.layout]);
  const panes = clampPanes(layout, viewport, CHROME_PX);
  const side = visibleSlots(layout, 'side', DOCK_IDS);
  const bottom = visibleSlots(layout, 'bottom', DOCK_IDS);
  useHotkeys(studio);
  const stage = useRef<HTMLDivElement>(null);
  useOverlayArea(stage);

  // Browsers start audio only after a gesture: the first click or key anywhere starts it.
  useEffect(() => {
    const resume = () =>
      void studio.engine.resumeAudio().then(
        () => studio.refresh(),
        () => undefined,
      );
    addEventListener('pointerdown', resume, { once: true, capture: true });
    addEventListener('keydown', resume, { once: true, capture: true });
    return () => {
      removeEventListener('pointerdown', resume, { capture: true });
      removeEventListener('keydown', resume, { capture: true });
    };
  }, [studio]);

  const setLayout = (next: LayoutSettings) =>
    studio.settings.updateSoon({ layout: next }, (error) => studio.toasts.error('Saving the layout', error));
  const replaceSlots = (area: 'bottom' | 'side', slots: LayoutSettings['bottom']) =>
    setLayout({ ...layout, [area]: layout[area].map((slot) => slots.find((changed) => changed.dock === slot.dock) ?? slot) });
  const render = (id: string) => DOCKS.find((dock) => dock.id === id)?.render() ?? null;

  return (
    <div
      className="app"
      style={{ ['--bottom-height' as string]: `${panes.bottomHeightPx}px`, ['--side-width' as string]: `${panes.sideWidthPx}px` }}
    >
      <TitleBar layout={layout} onLayout={setLayout} />
      {/* The side column runs the full height beside the preview and the dock row: at 1280x720 Stats and the Library both fit. */}
      <main className={`workspace${bottom.length ? '' : ' no-bottom'}`}>
        <div className="main-column">
          <div className="stage-row" ref={stage}>
            <PreviewArea />
          </div>
          {bottom.length > 0 && (
            <>
              <Splitter
                label="Resize the dock row"
                orientation="horizontal"
                value={panes.bottomHeightPx}
                min={120}
                max={Math.max(120, viewport.height - CHROME_PX - 200)}
                direction={-1}
                onResize={(value) => setLayout({ ...layout, bottomHeightPx: value })}
              />
              <div className="bottom-area">
                <DockArea axis="row" slots={bottom} render={render} title={dockTitle} onChange={(slots) => replaceSlots('bottom', slots)} />
              </div>
            </>
          )}
        </div>
        {side.length > 0 && (
          <>
            <Splitter
              label="Resize the side docks"
              orientation="vertical"
              value={panes.sideWidthPx}
              min={160}
              max={Math.max(160, viewport.width - 360)}
              direction={-1}
              onResize={(value) => setLayout({ ...layout, sideWidthPx: value })}
            />
            <div className="side-area">
              <DockArea axis="column" slots={side} render={render} title={dockTitle} onChange={(slots) => replaceSlots('side', slots)} />
            </div>
          </>
        )}
      </main>
      <StatusBar connection={connection} />
      <DialogHost />
    </div>
  );
}
