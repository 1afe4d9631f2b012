/**
 * The studio engine in the UI, minimally: the program (a fixed 1280x720 canvas the CSS
 * scales to the window), scenes, the beauty filter's strengths, studio mode, a screenshot,
 * stats and meters. The engine lives outside React: snapshots arrive at 4 Hz into state;
 * meters are painted straight onto a canvas each animation frame, never through React.
 */
import { useEffect, useRef, useState } from 'react';
import type { BeautySettings, Filter } from '../../common/scene/schema.ts';
import { CollectionAutosave, createStudioEngine, toDb, type EngineSnapshot, type StudioEngine } from '../engine/index.ts';
import type { StudioHost } from '../host/index.ts';
import { starterCollection } from './starter-collection.ts';

const OUTPUT = { width: 1280, height: 720, fps: 30 };

/** The engine's panel in the studio shell. `onEngine` hears the engine and its preview element once they exist (the library's "Add to scene"). */
export function StudioPanel({
  host,
  onEngine,
}: {
  host: StudioHost;
  onEngine?: (engine: StudioEngine | null, preview: HTMLElement | null) => void;
}) {
  const programRef = useRef<HTMLDivElement>(null);
  const meterRef = useRef<HTMLCanvasElement>(null);
  const [engine, setEngine] = useState<StudioEngine | null>(null);
  const [snapshot, setSnapshot] = useState<EngineSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let disposed = false;
    let created: StudioEngine | null = null;
    let autosave: CollectionAutosave | null = null;
    void (async () => {
      try {
        const stored = await host.api.scenes.loadCollection().catch(() => null);
        created = await createStudioEngine({ output: OUTPUT, collection: stored ?? starterCollection(Date.now()) });
        if (disposed) return created.dispose();
        autosave = new CollectionAutosave(created, host.api.scenes);
        if (!stored) void host.api.scenes.saveCollection(created.collection).catch(() => undefined);
        programRef.current?.append(created.canvas as HTMLCanvasElement);
        setEngine(created);
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : String(failure));
      }
    })();
    return () => {
      disposed = true;
      autosave?.dispose();
      created?.dispose();
      (created?.canvas as HTMLCanvasElement | undefined)?.remove();
    };
  }, [host]);

  useEffect(() => onEngine?.(engine, programRef.current), [engine, onEngine]);

  useEffect(() => {
    if (!engine) return;
    setSnapshot(engine.getSnapshot());
    const subscription = engine.onSnapshot(setSnapshot, 4);
    return () => subscription.dispose();
  }, [engine]);

  useEffect(() => {
    const canvas = meterRef.current;
    if (!engine || !canvas) return;
    let frame = requestAnimationFrame(function paint() {
      drawMeters(canvas, engine);
      frame = requestAnimationFrame(paint);
    });
    return () => cancelAnimationFrame(frame);
  }, [engine]);

  const collection = snapshot?.collection;
  const beauty = collection?.sources
    .flatMap((source) => source.filters.map((filter) => ({ source, filter })))
    .find(({ filter }) => filter.settings.kind === 'beauty');
  const setBeauty = (patch: Partial<BeautySettings> & { enabled?: boolean }) => {
    if (!engine || !beauty) return;
    const { enabled, ...strengths } = patch;
    const filters = beauty.source.filters.map((filter): Filter =>
      filter.id === beauty.filter.id && filter.settings.kind === 'beauty'
        ? { ...filter, enabled: enabled ?? filter.enabled, settings: { ...filter.settings, ...strengths } }
        : filter,
    );
    engine.dispatch({ type: 'setFilters', sourceId: beauty.source.id, filters });
    setSnapshot(engine.getSnapshot());
  };
  const screenshot = async () => {
    if (!engine) return;
    const blob = await engine.screenshot();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `tally-${new Date().toISOString().replace(/[:.]/g, '-')}.png`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };
  const stats = snapshot?.stats;

  return (
    <section aria-labelledby="studio-heading" className="panel studio">
      <h2 id="studio-heading">Studio</h2>
      {error && <p role="alert">The studio engine could not start: {error}</p>}
      <div ref={programRef} className="program" role="region" aria-label="Program" />
      {engine && collection && (
        <div className="studio-controls">
          <div role="group" aria-label="Scenes">
            {collection.scenes.map((scene) => (
              <button
                key={scene.id}
                type="button"
                aria-pressed={collection.programSceneId === scene.id}
                onClick={() => {
                  engine.dispatch(
                    snapshot.studioMode ? { type: 'setPreviewScene', sceneId: scene.id } : { type: 'setProgramScene', sceneId: scene.id },
                  );
                  setSnapshot(engine.getSnapshot());
                }}
              >
                {scene.name}
              </button>
            ))}
          </div>
          {beauty && beauty.filter.settings.kind === 'beauty' && (
            <fieldset>
              <legend>Beauty</legend>
              <label>
                <input type="checkbox" checked={beauty.filter.enabled} onChange={(event) => setBeauty({ enabled: event.target.checked })} />{' '}
                Beauty filter
              </label>
              {(['smoothing', 'whitening', 'sharpening'] as const).map((key) => (
                <label key={key}>
                  {key[0]!.toUpperCase() + key.slice(1)}
                  <input
                    type="range"
                    min={0}
                    max={1}
                    step={0.05}
                    aria-label={key[0]!.toUpperCase() + key.slice(1)}
                    value={beauty.filter.settings.kind === 'beauty' ? beauty.filter.settings[key] : 0}
                    onChange={(event) => setBeauty({ [key]: Number(event.target.value) })}
                  />
                </label>
              ))}
            </fieldset>
          )}
          <div role="group" aria-label="Output">
            <label>
              <input
                type="checkbox"
                checked={snapshot.studioMode}
                onChange={(event) => {
                  engine.setStudioMode(event.target.checked);
                  setSnapshot(engine.getSnapshot());
                }}
              />{' '}
              Studio mode
            </label>
            {snapshot.studioMode && (
              <button type="button" onClick={() => engine.transition()}>
                Transition
              </button>
            )}
            <button type="button" onClick={() => void screenshot()}>
              Take screenshot
            </button>
            {!snapshot.audioRunning && (
              <button type="button" onClick={() => void engine.resumeAudio().then(() => setSnapshot(engine.getSnapshot()))}>
                Enable audio
              </button>
            )}
          </div>
          <canvas ref={meterRef} className="meters" width={240} height={24} role="img" aria-label="Audio meters" />
          <p role="status" aria-label="Engine stats">
            {stats
              ? `${stats.renderFps} fps · ${stats.renderTimeMs.toFixed(1)} ms render · skipped ${stats.framesSkippedRenderLag} (render) / ${stats.framesSkippedEncodeLag} (encode)`
              : ''}
          </p>
          <ul aria-label="Sources" className="source-list">
            {collection.sources.map((source) => {
              const status = snapshot.sources[source.id];
              return (
                <li key={source.id}>
                  {source.name}: {status?.state === 'error' ? `error — ${status.message}` : (status?.state ?? 'stopped')}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </section>
  );
}

/** Paints master peak (bright) and RMS (dim) per channel, -60..0 dBFS. */
function drawMeters(canvas: HTMLCanvasElement, engine: StudioEngine): void {
  const context = canvas.getContext('2d');
  const meters = engine.meters();
  if (!context) return;
  context.fillStyle = '#0f1115';
  context.fillRect(0, 0, canvas.width, canvas.height);
  if (!meters) return;
  const barHeight = canvas.height / 2 - 1;
  meters.master.peak.forEach((peak, channel) => {
    const width = (level: number) => Math.max(0, Math.min(1, (toDb(level) + 60) / 60)) * canvas.width;
    const y = channel * (barHeight + 2);
    context.fillStyle = '#2f7d4a';
    context.fillRect(0, y, width(meters.master.rms[channel] ?? 0), barHeight);
    context.fillStyle = toDb(peak) > -1 ? '#e5484d' : '#4cc38a';
    context.fillRect(width(peak) - 2, y, 2, barHeight);
  });
}
