/**
 * Starts the engine for the main window (with the stored collection, or a first one), its
 * autosave and the `Studio` around it; starts it again when the output size, frame rate
 * or sample rate change, carrying the collection across.
 */
import { useEffect, useRef, useState } from 'react';
import type { SceneCollection } from '../../../common/scene/schema.ts';
import { CollectionAutosave, createStudioEngine, type StudioEngine } from '../../engine/index.ts';
import type { StudioHost } from '../../host/index.ts';
import { StudioOutputs } from '../../outputs/studio-outputs.ts';
import { downloadScreenshot, HostOutputs } from '../controls/outputs-controller.ts';
import type { ProgressStore } from '../feedback/progress.tsx';
import { messageOf, type ToastStore } from '../feedback/toasts.tsx';
import { newStudioCollection } from './new-collection.ts';
import type { SettingsStore } from './settings-store.ts';
import { useStore } from './store.ts';
import { Studio } from './studio.ts';

/** The running studio, or why it could not start. */
export function useStudioEngine(
  host: StudioHost,
  settings: SettingsStore,
  toasts: ToastStore,
  progress: ProgressStore,
  enabled: boolean,
): { studio: Studio | null; error: string | null } {
  // Primitives: a settings object fresh from the host must not restart the engine when nothing in it changed.
  const width = useStore(settings, (value) => value.video.output.width);
  const height = useStore(settings, (value) => value.video.output.height);
  const fps = useStore(settings, (value) => value.video.output.fps);
  const sampleRate = useStore(settings, (value) => value.audio.sampleRate);
  const [studio, setStudio] = useState<Studio | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The collection the previous engine ran, so a restart (new output size) loses no unsaved edit. */
  const carried = useRef<SceneCollection | null>(null);

  useEffect(() => {
    if (!enabled) return;
    let disposed = false;
    let engine: StudioEngine | null = null;
    let created: Studio | null = null;
    let onPageHide: (() => void) | null = null;
    const output = { width, height, fps };
    setError(null);
    void progress
      .track('Starting the studio', async () => {
        let collection = carried.current;
        let stored = collection !== null;
        if (!collection) {
          try {
            collection = await host.api.scenes.loadCollection();
            stored = collection !== null;
          } catch (failure) {
            toasts.error('Reading the saved scene collection', failure);
          }
        }
        collection ??= newStudioCollection({
          id: 'untitled',
          name: 'Untitled',
          canvas: { width: output.width, height: output.height },
        });
        engine = await createStudioEngine({ output, collection, audioSampleRate: sampleRate });
        if (disposed) return engine.dispose();
        const autosave = new CollectionAutosave(engine, host.api.scenes, {
          onError: (failure) => toasts.error('Saving the scene collection', failure),
        });
        if (!stored)
          void host.api.scenes
            .saveCollection(engine.collection)
            .catch((failure: unknown) => toasts.error('Saving the scene collection', failure));
        const running = engine;
        const outputs = new HostOutputs(
          new StudioOutputs(host, running),
          () => downloadScreenshot(running),
          (message, kind) => toasts.show(kind, message),
        );
        created = new Studio({ engine, host, toasts, progress, settings, outputs, autosave });
        // A window closed or reloaded within the debounce still saves its last edit (React's
        // clean-up below does not run when the page goes away).
        onPageHide = () => autosave.saveNow();
        window.addEventListener('pagehide', onPageHide);
        const current = settings.get();
        if (current.layout.studioMode) engine.setStudioMode(true);
        if (current.audio.monitoringDeviceId)
          engine
            .setMonitoringDevice(current.audio.monitoringDeviceId)
            .catch((failure: unknown) => toasts.error('Choosing the monitoring device', failure));
        created.refresh();
        setStudio(created);
      })
      .catch((failure: unknown) => !disposed && setError(messageOf(failure)));
    return () => {
      disposed = true;
      if (onPageHide) window.removeEventListener('pagehide', onPageHide);
      if (engine) carried.current = engine.collection;
      created?.autosave.dispose();
      created?.outputs.dispose();
      created?.dispose();
      engine?.dispose();
      setStudio(null);
    };
  }, [host, settings, toasts, progress, enabled, width, height, fps, sampleRate]);

  return { studio, error };
}
