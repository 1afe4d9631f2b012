/**
 * Settings > Updates: the channel this install follows (stable, beta, alpha), a check on
 * demand, and what the updater is doing (download progress, a refused feed and why, a
 * downloaded update waiting for a restart). Self-contained: it talks to the host's
 * `updates` service only.
 */
import { useEffect, useState } from 'react';
import type { UpdateChannel, UpdateState } from '../../../common/host/contract.ts';
import type { StudioHost } from '../../host/index.ts';

const CHANNELS: Array<{ value: UpdateChannel; label: string }> = [
  { value: 'latest', label: 'Stable' },
  { value: 'beta', label: 'Beta' },
  { value: 'alpha', label: 'Alpha (every tester build)' },
];

/** One line a person can read for each updater state. */
export function describeUpdateState(state: UpdateState): string {
  switch (state.kind) {
    case 'idle':
      return 'Not checked yet.';
    case 'checking':
      return 'Checking for updates…';
    case 'up-to-date':
      return `Up to date (the channel offers ${state.version}).`;
    case 'available':
      return `Version ${state.version} is available; downloading…`;
    case 'downloading':
      return `Downloading ${state.version}: ${state.percent.toFixed(0)}%`;
    case 'downloaded':
      return `Version ${state.version} is ready: it installs when Tally restarts.`;
    case 'refused':
    case 'error':
    case 'unsupported':
      return state.message;
  }
}

export function UpdateSettings({ host }: { host: StudioHost }) {
  const [channel, setChannel] = useState<UpdateChannel | null>(null);
  const [state, setState] = useState<UpdateState | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void host.api.updates.getChannel().then(setChannel, () => setChannel('latest'));
    void host.api.updates.getState().then(setState, () => undefined);
    const subscription = host.api.updates.onDidChangeState(setState);
    return () => subscription.dispose();
  }, [host]);

  const choose = async (next: UpdateChannel) => {
    setChannel(next);
    setChannel(await host.api.updates.setChannel(next));
  };
  const check = async () => {
    setBusy(true);
    try {
      setState(await host.api.updates.check());
    } catch (error) {
      setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="updates-heading" className="panel">
      <h2 id="updates-heading">Updates</h2>
      <label>
        Update channel{' '}
        <select
          aria-label="Update channel"
          value={channel ?? 'latest'}
          disabled={!channel}
          onChange={(event) => void choose(event.target.value as UpdateChannel)}
        >
          {CHANNELS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="button" onClick={() => void check()} disabled={busy}>
        Check for updates
      </button>
      {state?.kind === 'downloading' && <progress aria-label="Update download" max={100} value={state.percent} />}
      {state?.kind === 'downloaded' && (
        <button type="button" onClick={() => void host.api.updates.installAndRestart()}>
          Restart to update
        </button>
      )}
      <p role="status" aria-label="Update status">
        {state ? describeUpdateState(state) : ''}
      </p>
    </section>
  );
}
