/**
 * The Stats dock: rendering (frame rate, render time, frames skipped because rendering or
 * encoding fell behind), the host process (CPU, memory), each running destination's bitrate
 * and dropped frames, and while recording its size and the disk space left, with how long it
 * lasts at the current bitrate.
 */
import type { OutputsState } from '../../../common/host/outputs-contract.ts';
import { describeEncoder } from '../controls/encoder-label.ts';
import { useOutputs } from '../controls/OutputTimers.tsx';
import { formatBytes, formatDuration } from '../format.ts';
import { Dock } from '../layout/Dock.tsx';
import { useSnapshot, useStudio } from '../studio/context.tsx';
import { useStore } from '../studio/store.ts';

export function StatsDock() {
  const studio = useStudio();
  const stats = useSnapshot((snapshot) => snapshot.stats);
  const output = useSnapshot((snapshot) => snapshot.output);
  const host = useStore(studio.hostStats);
  const outputs = useOutputs(studio.outputs).host;
  const rows: Array<[string, string, boolean?]> = [
    ['Frame rate', `${stats.renderFps} / ${output.fps} fps`, stats.renderFps < output.fps * 0.9 && stats.framesRendered > output.fps * 2],
    ['Render time', `${stats.renderTimeMs.toFixed(1)} ms`],
    ['Skipped (rendering lag)', String(stats.framesSkippedRenderLag), stats.framesSkippedRenderLag > 0],
    ['Skipped (encoding lag)', String(stats.framesSkippedEncodeLag), stats.framesSkippedEncodeLag > 0],
    ...(stats.encoder ? [['Video encoder', describeEncoder(stats.encoder)] as [string, string]] : []),
    ['Host CPU', host ? `${host.cpuPercent.toFixed(1)}%` : '…'],
    ['Host memory', host ? formatBytes(host.rssBytes) : '…'],
    ...(outputs ? outputRows(outputs) : []),
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

/** How long `freeBytes` lasts at `bitsPerSecond`, or null when nothing is being written. */
export function diskTimeLeftMs(freeBytes: number, bitsPerSecond: number): number | null {
  return bitsPerSecond > 0 ? (freeBytes * 8 * 1000) / bitsPerSecond : null;
}

/** Rows for each running destination, and for the recording while it runs. */
function outputRows(state: OutputsState): Array<[string, string, boolean?]> {
  const rows: Array<[string, string, boolean?]> = state.destinations
    .filter((destination) => destination.status.state !== 'idle')
    .map((destination) => {
      const { status } = destination;
      return [
        destination.name,
        `${status.state} · ${Math.round(status.bitrateKbps)} kbps · ${status.framesDropped} dropped`,
        status.state !== 'live' || status.framesDropped > 0,
      ];
    });
  const { recording, encoder } = state;
  if (recording.active) {
    rows.push(['Recorded', `${formatDuration(recording.durationMs)} · ${formatBytes(recording.bytes)}`]);
    if (recording.diskFreeBytes !== null) {
      // What the recorder writes: the video it is told to encode at plus AAC.
      const left = diskTimeLeftMs(recording.diskFreeBytes, (encoder.targetVideoBitrateKbps + encoder.settings.audioBitrateKbps) * 1000);
      rows.push([
        'Disk space left',
        `${formatBytes(recording.diskFreeBytes)}${left !== null ? ` (about ${formatDuration(left)} at this bitrate)` : ''}`,
        left !== null && left < 10 * 60_000,
      ]);
    }
  }
  return rows;
}
