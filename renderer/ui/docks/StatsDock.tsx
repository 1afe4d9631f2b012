/**
 * The Stats dock: rendering (frame rate, render time, frames skipped because rendering or
 * encoding fell behind) and the host process (CPU, memory). Outputs add their own figures
 * (per destination, disk) when they exist.
 */
import { formatBytes } from '../format.ts';
import { Dock } from '../layout/Dock.tsx';
import { useSnapshot, useStudio } from '../studio/context.tsx';
import { useStore } from '../studio/store.ts';

export function StatsDock() {
  const studio = useStudio();
  const stats = useSnapshot((snapshot) => snapshot.stats);
  const output = useSnapshot((snapshot) => snapshot.output);
  const host = useStore(studio.hostStats);
  const rows: Array<[string, string, boolean?]> = [
    ['Frame rate', `${stats.renderFps} / ${output.fps} fps`, stats.renderFps < output.fps * 0.9 && stats.framesRendered > output.fps * 2],
    ['Render time', `${stats.renderTimeMs.toFixed(1)} ms`],
    ['Skipped (rendering lag)', String(stats.framesSkippedRenderLag), stats.framesSkippedRenderLag > 0],
    ['Skipped (encoding lag)', String(stats.framesSkippedEncodeLag), stats.framesSkippedEncodeLag > 0],
    ['Host CPU', host ? `${host.cpuPercent.toFixed(1)}%` : '…'],
    ['Host memory', host ? formatBytes(host.rssBytes) : '…'],
  ];
  return (
    <Dock title="Stats">
      <table className="stats" aria-label="Stats">
        <tbody>
          {rows.map(([name, value, warn]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td className={warn ? 'warn' : undefined}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {stats.frameError && (
        <p className="dock-note warn" role="status">
          Last frame failed: {stats.frameError}
        </p>
      )}
      {stats.encoderError && <p className="dock-note warn">Encoder: {stats.encoderError}</p>}
    </Dock>
  );
}
