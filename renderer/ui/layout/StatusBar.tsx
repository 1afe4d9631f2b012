/** The bottom bar: host connection, render rate, host CPU and memory, and what is on air. */
import type { ConnectionState } from '../../host/index.ts';
import { formatBytes } from '../format.ts';
import { useSnapshot, useStudio } from '../studio/context.tsx';
import { useStore } from '../studio/store.ts';

/** The web host's control socket reopens by itself after it closes: say so, as the Controls dock does. */
const CONNECTION_TEXT: Record<ConnectionState, string> = {
  open: 'connected',
  connecting: 'connecting…',
  closed: 'connection lost, reconnecting…',
};

export function StatusBar({ connection }: { connection: ConnectionState }) {
  const studio = useStudio();
  const host = useStore(studio.hostStats);
  const fps = useSnapshot((snapshot) => snapshot.stats.renderFps);
  const output = useSnapshot((snapshot) => snapshot.output);
  return (
    <footer className="status-bar" aria-label="Status">
      <span className={connection === 'open' ? 'status-ok' : 'status-warn'}>Host: {CONNECTION_TEXT[connection]}</span>
      <span>
        {output.width}x{output.height} · {fps}/{output.fps} fps
      </span>
      {host && (
        <>
          <span>CPU {host.cpuPercent.toFixed(1)}%</span>
          <span>Memory {formatBytes(host.rssBytes)}</span>
        </>
      )}
    </footer>
  );
}
