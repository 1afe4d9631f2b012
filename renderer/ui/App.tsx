/**
 * The studio shell: host information, a status bar, and diagnostics. Later issues add the
 * scene editor, mixer and outputs around it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, HostStats } from '../../common/host/contract.ts';
import type { StudioEngine } from '../engine/index.ts';
import type { ConnectionState, StudioHost } from '../host/index.ts';
import { runMediaLoopback } from '../host/media-loopback.ts';
import { ScreenChoiceDialog } from './capture/ScreenChoiceDialog.tsx';
import { formatBytes } from './format.ts';
import { LibraryPanel } from './library/LibraryPanel.tsx';
import { StudioPanel } from './StudioPanel.tsx';
import { UpdateSettings } from './updates/UpdateSettings.tsx';

export function App({ host }: { host: StudioHost }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [stats, setStats] = useState<HostStats | null>(null);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [studio, setStudio] = useState<{ engine: StudioEngine | null; preview: HTMLElement | null }>({ engine: null, preview: null });
  const onEngine = useCallback((engine: StudioEngine | null, preview: HTMLElement | null) => setStudio({ engine, preview }), []);

  useEffect(() => host.onConnectionChange(setConnection), [host]);
  useEffect(() => {
    if (connection !== 'open') return;
    host.api.app.getInfo().then(
      (value) => {
        setInfo(value);
        setInfoError(null);
      },
      (error: unknown) => setInfoError(error instanceof Error ? error.message : String(error)),
    );
  }, [host, connection]);
  useEffect(() => {
    const subscription = host.api.app.onDidUpdateStats(setStats);
    return () => subscription.dispose();
  }, [host]);

  return (
    <div className="shell">
      <header className="shell-header">
        <h1>Tally Studio</h1>
      </header>
      <main className="shell-main">
        <StudioPanel host={host} onEngine={onEngine} />
        <LibraryPanel host={host} engine={studio.engine} preview={studio.preview} />
        <section aria-labelledby="host-heading" className="panel">
          <h2 id="host-heading">Host</h2>
          {infoError && <p role="alert">Could not read host information: {infoError}</p>}
          {info ? <HostInfo info={info} /> : !infoError && <p>Connecting to the host…</p>}
        </section>
        <Diagnostics host={host} />
        <UpdateSettings host={host} />
      </main>
      <ScreenChoiceDialog host={host} />
      <footer className="status-bar" aria-label="Status">
        <span>Host: {connection === 'open' ? 'connected' : connection}</span>
        {stats && (
          <>
            <span>CPU {stats.cpuPercent.toFixed(1)}%</span>
            <span>Memory {formatBytes(stats.rssBytes)}</span>
          </>
        )}
      </footer>
    </div>
  );
}

function HostInfo({ info }: { info: AppInfo }) {
  return (
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
        {info.ffmpeg.found ? `${info.ffmpeg.version} (${info.ffmpeg.source}: ${info.ffmpeg.path})` : `not found: ${info.ffmpeg.error}`}
      </dd>
    </dl>
  );
}

const LOOPBACK_BYTES = 1024 * 1024;

function Diagnostics({ host }: { host: StudioHost }) {
  const [result, setResult] = useState<string>('');
  const [running, setRunning] = useState(false);
  const run = async () => {
    setRunning(true);
    setResult('Sending 1 MiB through the media channel…');
    try {
      const outcome = await runMediaLoopback(host.media, LOOPBACK_BYTES);
      setResult(
        outcome.intact
          ? `Media channel: ${formatBytes(outcome.bytes)} round trip intact in ${outcome.roundTripMs.toFixed(0)} ms`
          : `Media channel: ${formatBytes(outcome.bytes)} came back altered`,
      );
    } catch (error) {
      setResult(`Media channel failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setRunning(false);
    }
  };
  return (
    <section aria-labelledby="diagnostics-heading" className="panel">
      <h2 id="diagnostics-heading">Diagnostics</h2>
      <button type="button" onClick={() => void run()} disabled={running}>
        Test media channel
      </button>
      <p role="status" aria-label="Media channel result">
        {result}
      </p>
    </section>
  );
}
