/** Settings → General: about this studio and its host, the ffmpeg it runs, a media channel check, and the setup wizard again. */
import { useEffect, useState } from 'react';
import type { AppInfo, FfmpegInfo } from '../../../common/host/contract.ts';
import { runMediaLoopback } from '../../host/media-loopback.ts';
import { outputsErrorMessage } from '../../outputs/studio-outputs.ts';
import { messageOf } from '../feedback/toasts.tsx';
import { formatBytes } from '../format.ts';
import { useStudio } from '../studio/context.tsx';

const LOOPBACK_BYTES = 1024 * 1024;

export function GeneralPage() {
  const studio = useStudio();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    studio.host.api.app.getInfo().then(
      (value) => live && setInfo(value),
      (error: unknown) => live && setInfoError(messageOf(error)),
    );
    return () => {
      live = false;
    };
  }, [studio]);
  return (
    <div className="settings-sections">
      <section aria-labelledby="about-heading">
        <h3 id="about-heading">About</h3>
        {infoError && <p role="alert">Could not read host information: {infoError}</p>}
        {info ? (
          <dl className="facts" aria-label="Host information">
            <dt>Version</dt>
            <dd>
              {info.name} {info.version}
            </dd>
            <dt>Runtime</dt>
            <dd>{info.runtime === 'electron' ? `Electron ${info.platform.electronVersion ?? ''}` : 'Web studio'}</dd>
            <dt>Platform</dt>
            <dd>
              {info.platform.os} {info.platform.arch}, Node {info.platform.nodeVersion}
            </dd>
            <dt>Data folder</dt>
            <dd>{info.dataDir}</dd>
            <dt>Database</dt>
            <dd>schema version {info.database.schemaVersion}</dd>
            <dt>ffmpeg</dt>
            <dd>
              {info.ffmpeg.found
                ? `${info.ffmpeg.version} (${info.ffmpeg.source}: ${info.ffmpeg.path})`
                : `not found: ${info.ffmpeg.error}`}
            </dd>
          </dl>
        ) : (
          !infoError && <p>Asking the host…</p>
        )}
      </section>
      {info && <FfmpegPathForm ffmpeg={info.ffmpeg} onChange={(ffmpeg) => setInfo({ ...info, ffmpeg })} />}
      <Diagnostics />
      <section aria-labelledby="setup-heading">
        <h3 id="setup-heading">Setup</h3>
        <p className="field-hint">The wizard asks for the camera and microphone again and proposes an output from what the camera gives.</p>
        <button
          type="button"
          onClick={() => {
            studio.closeDialog();
            void studio.settings
              .update({ firstRun: { completedAtMs: null } })
              .catch((error: unknown) => studio.toasts.error('Opening the setup wizard', error));
          }}
        >
          Run the setup wizard again
        </button>
      </section>
    </div>
  );
}

/** The ffmpeg path: checked by the host (it runs `-version`) before it is used; empty finds one again. */
function FfmpegPathForm({ ffmpeg, onChange }: { ffmpeg: FfmpegInfo; onChange: (ffmpeg: FfmpegInfo) => void }) {
  const studio = useStudio();
  const [path, setPath] = useState(ffmpeg.found && ffmpeg.source === 'configured' ? ffmpeg.path : '');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  const [checking, setChecking] = useState(false);
  const apply = async (value: string | null) => {
    setChecking(true);
    setError(null);
    setSaved('');
    try {
      const next = await studio.host.api.app.setFfmpegPath(value);
      onChange(next);
      setSaved(next.found ? `Using ffmpeg ${next.version} at ${next.path}` : `No ffmpeg found: ${next.error}`);
      if (value === null) setPath('');
    } catch (failure) {
      setError(outputsErrorMessage(failure));
    } finally {
      setChecking(false);
    }
  };
  return (
    <section aria-labelledby="ffmpeg-heading">
      <h3 id="ffmpeg-heading">ffmpeg</h3>
      <p className="field-hint">
        Tally runs ffmpeg for the stream's and recordings' sound (AAC) and for the library. Leave the path empty to find it on its own (PATH
        and the usual install folders).
      </p>
      <form
        aria-label="ffmpeg path"
        className="output-form"
        onSubmit={(event) => {
          event.preventDefault();
          void apply(path.trim() || null);
        }}
      >
        <label className="wide">
          Path to ffmpeg
          <input
            value={path}
            onChange={(event) => setPath(event.target.value)}
            placeholder="/usr/bin/ffmpeg"
            spellCheck={false}
            aria-invalid={error !== null}
          />
        </label>
        <button type="submit" disabled={checking}>
          Use this ffmpeg
        </button>
        <button type="button" disabled={checking} onClick={() => void apply(null)}>
          Find automatically
        </button>
      </form>
      {error && <p role="alert">{error}</p>}
      <p role="status" aria-label="ffmpeg result">
        {checking ? 'Checking…' : saved}
      </p>
    </section>
  );
}

function Diagnostics() {
  const studio = useStudio();
  const [result, setResult] = useState('');
  const [running, setRunning] = useState(false);
  const run = async () => {
    setRunning(true);
    setResult('Sending 1 MiB through the media channel…');
    try {
      const outcome = await runMediaLoopback(studio.host.media, LOOPBACK_BYTES);
      setResult(
        outcome.intact
          ? `Media channel: ${formatBytes(outcome.bytes)} round trip intact in ${outcome.roundTripMs.toFixed(0)} ms`
          : `Media channel: ${formatBytes(outcome.bytes)} came back altered`,
      );
    } catch (error) {
      setResult(`Media channel failed: ${messageOf(error)}`);
    } finally {
      setRunning(false);
    }
  };
  return (
    <section aria-labelledby="diagnostics-heading">
      <h3 id="diagnostics-heading">Diagnostics</h3>
      <button type="button" onClick={() => void run()} disabled={running}>
        Test media channel
      </button>
      <p role="status" aria-label="Media channel result">
        {result}
      </p>
    </section>
  );
}
