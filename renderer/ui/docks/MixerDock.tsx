/**
 * The Audio Mixer dock: a strip per source with sound (every microphone and desktop audio,
 * media files, screens that capture audio), each with its meter (painted outside React),
 * a fader in dB, mute, and the way to the advanced properties (sync offset, monitoring).
 */
import { useEffect, useRef } from 'react';
import type { Source } from '../../../common/scene/schema.ts';
import { meterPainterOf } from '../audio/meter-painter.ts';
import { GearIcon, MutedIcon, SpeakerIcon, WarningIcon } from '../components/icons.tsx';
import { formatDb } from '../format.ts';
import { Dock } from '../layout/Dock.tsx';
import { hasAudio } from '../sources/source-kinds.ts';
import { useCollection, useSnapshot, useStudio } from '../studio/context.tsx';

/** The fader's range, dB (the model's gain range). */
export const FADER_MIN_DB = -60;
export const FADER_MAX_DB = 24;

export function MixerDock() {
  const studio = useStudio();
  const collection = useCollection();
  const audioRunning = useSnapshot((snapshot) => snapshot.audioRunning);
  const strips = collection.sources.filter(hasAudio);
  return (
    <Dock
      title="Audio Mixer"
      footer={
        <button type="button" className="text-button" onClick={() => studio.open({ kind: 'advancedAudio' })}>
          Advanced audio properties
        </button>
      }
    >
      {/* The note and its button together in the body, where a narrow dock wraps them rather than clipping the button. */}
      {!audioRunning && (
        <div className="dock-note audio-held">
          <p>The browser holds sound until you click in the studio; meters start then.</p>
          <button type="button" className="primary" onClick={() => void studio.engine.resumeAudio().then(() => studio.refresh())}>
            Start audio
          </button>
        </div>
      )}
      {strips.length === 0 ? (
        <p className="dock-empty">No audio sources. Add a microphone or desktop audio from Sources.</p>
      ) : (
        <ul className="mixer" aria-label="Audio sources">
          {strips.map((source) => (
            <MixerStrip key={source.id} source={source} />
          ))}
        </ul>
      )}
    </Dock>
  );
}

function MixerStrip({ source }: { source: Source }) {
  const studio = useStudio();
  const status = useSnapshot((snapshot) => snapshot.sources[source.id]);
  const meterRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = meterRef.current;
    if (!canvas) return;
    return meterPainterOf(studio.engine).register(canvas, source.id);
  }, [studio, source.id]);
  const { gainDb, muted } = source.audio;
  const setAudio = (audio: Partial<Source['audio']>) => studio.dispatch({ type: 'setAudio', sourceId: source.id, audio });
  return (
    <li className={`strip${muted ? ' muted' : ''}`} role="group" aria-label={`${source.name} audio`}>
      <div className="strip-head">
        <span className="strip-name">{source.name}</span>
        {status?.state === 'error' && (
          <span className="source-error" title={status.message}>
            <WarningIcon />
            {status.message}
          </span>
        )}
        <span className="strip-db">{formatDb(gainDb)}</span>
      </div>
      <canvas ref={meterRef} className="meter" role="img" aria-label={`${source.name} level meter`} />
      <div className="strip-controls">
        <input
          type="range"
          className="fader"
          min={FADER_MIN_DB}
          max={FADER_MAX_DB}
          step={0.1}
          value={gainDb}
          aria-label={`${source.name} volume`}
          aria-valuetext={formatDb(gainDb)}
          onChange={(event) => setAudio({ gainDb: Number(event.target.value) })}
          onDoubleClick={() => setAudio({ gainDb: 0 })}
        />
        <button
          type="button"
          className={`icon-button${muted ? ' danger' : ''}`}
          aria-label={`Mute ${source.name}`}
          aria-pressed={muted}
          title={muted ? 'Unmute' : 'Mute'}
          onClick={() => setAudio({ muted: !muted })}
        >
          {muted ? <MutedIcon /> : <SpeakerIcon />}
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={`Audio properties of ${source.name}`}
          title="Advanced audio properties"
          onClick={() => studio.open({ kind: 'advancedAudio' })}
        >
          <GearIcon />
        </button>
      </div>
    </li>
  );
}
