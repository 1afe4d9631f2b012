/**
 * Going live, recording and screenshots: "Go Live" / "End Stream", "Start Recording" / "Stop
 * Recording", "Screenshot", the destinations with their state, bitrate and dropped frames,
 * and the local origin's viewer link. The host owns the outputs; this panel reads its state
 * (`outputs.onDidChangeState`) and sends commands. The encoder follows the host through
 * `HostOutputLink`, outside React.
 */
import { useEffect, useRef, useState } from 'react';
import { MediaKind } from '../../../common/host/media-frame.ts';
import type { OutputsState } from '../../../common/host/outputs-contract.ts';
import { HostOutputLink, type EngineSnapshot, type StudioEngine } from '../../engine/index.ts';
import type { StudioHost } from '../../host/index.ts';
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
  const [state, setState] = useState<OutputsState | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [encoderError, setEncoderError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string>('');
  const [stats, setStats] = useState<EngineSnapshot['stats'] | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const screenshotId = useRef(1);

  useEffect(() => {
    const subscription = host.api.outputs.onDidChangeState(setState);
    host.api.outputs.getState().then(setState, (failure: unknown) => setError(messageOf(failure)));
    return () => subscription.dispose();
  }, [host]);

  useEffect(() => {
    const link = new HostOutputLink(engine, host.api.outputs, host.media, setEncoderError);
    return () => link.dispose();
  }, [host, engine]);

  useEffect(() => {
    const subscription = engine.onSnapshot((snapshot) => {
      setStats(snapshot.stats);
      setNow(Date.now());
    }, 2);
    return () => subscription.dispose();
  }, [engine]);

  const run = async (what: string, action: () => Promise<unknown>) => {
    setBusy(what);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  };

  const goLive = () =>
    run('live', async () => {
      // The click is the user gesture browsers require before audio can start.
      await engine.resumeAudio().catch(() => undefined);
      setState(await host.api.outputs.goLive());
    });
  const endStream = () => run('live', async () => setState(await host.api.outputs.endStream()));
  const startRecording = () =>
    run('recording', async () => {
      await engine.resumeAudio().catch(() => undefined);
      await host.api.recording.start();
    });
  const stopRecording = () =>
    run('recording', async () => {
      const file = await host.api.recording.stop();
      if (file) setNotice(`Recording saved: ${file.path}`);
    });
  const screenshot = () =>
    run('screenshot', async () => {
      const requestId = screenshotId.current++ & 0xffff;
      const png = await (await engine.screenshot()).arrayBuffer();
      await host.media.ready;
      host.media.send({ kind: MediaKind.image, flags: 0, track: requestId, timestampUs: 0, payload: png });
      const file = await host.api.recording.saveScreenshot(requestId);
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
                stats ? ` · host backlog ${formatBytes(stats.hostQueueBytes)} · dropped for host lag ${stats.framesDroppedHostLag}` : ''
              }`
            : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      {error && <p role="alert">{error}</p>}
      {encoderError && <p role="alert">The encoder could not start: {encoderError}</p>}
      {state?.encoder.active && stats?.encoderError && <p role="alert">Encoder: {stats.encoderError}</p>}
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
          onStart={(id) => void run(`start ${id}`, () => host.api.outputs.startDestination(id))}
          onStop={(id) => void run(`stop ${id}`, () => host.api.outputs.stopDestination(id))}
          onRemove={(id) => void run(`remove ${id}`, () => host.api.outputs.removeDestination(id))}
        />
      )}
      <DestinationForm onSave={(input) => host.api.outputs.saveDestination(input)} />
      {state && <OutputSettings host={host} state={state} />}
    </section>
  );
}

export function messageOf(failure: unknown): string {
  return failure instanceof Error ? failure.message.replace(/^tally:[\w.]+: /, '') : String(failure);
}
