/**
 * Going live, recording and screenshots: "Go Live" / "End Stream", "Start Recording" / "Stop
 * Recording", "Screenshot", the destinations with their state, bitrate and dropped frames,
 * and the local origin's viewer link. Everything goes through `StudioOutputs`
 * (`renderer/outputs/`), which also keeps the encoder following the host, outside React.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { StudioEngine } from '../../engine/index.ts';
import type { StudioHost } from '../../host/index.ts';
import { outputsErrorMessage, StudioOutputs } from '../../outputs/studio-outputs.ts';
import { formatBytes } from '../format.ts';
import { DestinationForm } from './DestinationForm.tsx';
import { DestinationList } from './DestinationList.tsx';
import { OutputSettings } from './OutputSettings.tsx';
import './outputs.css';

/** `1:02:03` from milliseconds. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

export function OutputsPanel({ host, engine }: { host: StudioHost; engine: StudioEngine }) {
  const [outputs, setOutputs] = useState<StudioOutputs | null>(null);
  useEffect(() => {
    const created = new StudioOutputs(host, engine);
    setOutputs(created);
    return () => created.dispose();
  }, [host, engine]);
  return outputs ? <OutputsControls outputs={outputs} /> : null;
}

/** The controls over one `StudioOutputs`. */
export function OutputsControls({ outputs }: { outputs: StudioOutputs }) {
  const { state, stateError, encoder, encoderStartError } = useSyncExternalStore(outputs.subscribe, outputs.getSnapshot);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string>('');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const run = async (what: string, action: () => Promise<unknown>) => {
    setBusy(what);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(outputsErrorMessage(failure));
    } finally {
      setBusy(null);
    }
  };

  const goLive = () => run('live', () => outputs.goLive());
  const endStream = () => run('live', () => outputs.endStream());
  const startRecording = () => run('recording', () => outputs.startRecording());
  const stopRecording = () =>
    run('recording', async () => {
      const file = await outputs.stopRecording();
      if (file) setNotice(`Recording saved: ${file.path}`);
    });
  const screenshot = () =>
    run('screenshot', async () => {
      const file = await outputs.screenshot();
      setNotice(`Screenshot saved: ${file.path}`);
    });

  const live = state?.streaming.active ?? false;
  const recording = state?.recording;
  const origin = state?.localOrigin;

  return (
    <section aria-labelledby="outputs-heading" className="panel outputs">
      <h2 id="outputs-heading">Go live</h2>
      <div role="group" aria-label="Output controls" className="output-controls">
        {live ? (
          <button type="button" className="danger" onClick={() => void endStream()} disabled={busy === 'live'}>
            End Stream
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={() => void goLive()}
            disabled={!state || busy === 'live'}
            aria-busy={busy === 'live'}
          >
            Go Live
          </button>
        )}
        {recording?.active ? (
          <button type="button" className="danger" onClick={() => void stopRecording()} disabled={busy === 'recording'}>
            Stop Recording
          </button>
        ) : (
          <button type="button" onClick={() => void startRecording()} disabled={!state || busy === 'recording'}>
            Start Recording
          </button>
        )}
        <button type="button" onClick={() => void screenshot()} disabled={busy === 'screenshot'}>
          Screenshot
        </button>
      </div>
      <p role="status" aria-label="Output status">
        {[
          live && state?.streaming.sinceMs ? `Live ${formatDuration(now - state.streaming.sinceMs)}` : 'Not live',
          recording?.active ? `Recording ${formatDuration(recording.durationMs)} (${formatBytes(recording.bytes)})` : 'Not recording',
          state?.encoder.active
            ? `Video ${state.encoder.targetVideoBitrateKbps} kbps${
                encoder
                  ? ` · host backlog ${formatBytes(encoder.hostQueueBytes)} · dropped for host lag ${encoder.framesDroppedHostLag}`
                  : ''
              }`
            : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      {(error ?? stateError) && <p role="alert">{error ?? stateError}</p>}
      {encoderStartError && <p role="alert">The encoder could not start: {encoderStartError}</p>}
      {state?.encoder.active && encoder?.error && <p role="alert">Encoder: {encoder.error}</p>}
      {state?.audio.error && <p role="alert">Audio: {state.audio.error}</p>}
      {recording?.error && <p role="alert">{recording.error}</p>}
      {notice && (
        <p role="status" aria-label="Last saved file">
          {notice}
        </p>
      )}
      {origin?.state === 'running' && origin.viewerUrl && (
        <p className="viewer-link">
          Viewers watch at{' '}
          <a href={origin.viewerUrl} target="_blank" rel="noreferrer" aria-label="Viewer link">
            {origin.viewerUrl}
          </a>
        </p>
      )}
      {origin?.state === 'failed' && <p role="alert">Local origin: {origin.error}</p>}
      {state && (
        <DestinationList
          destinations={state.destinations}
          onStart={(id) => void run(`start ${id}`, () => outputs.startDestination(id))}
          onStop={(id) => void run(`stop ${id}`, () => outputs.stopDestination(id))}
          onRemove={(id) => void run(`remove ${id}`, () => outputs.removeDestination(id))}
        />
      )}
      <DestinationForm onSave={(input) => outputs.saveDestination(input)} />
      {state && <OutputSettings outputs={outputs} state={state} />}
    </section>
  );
}
