/** Advanced audio properties of every source with sound: volume, mute, sync offset (ms) and monitoring. */
import type { AudioSettings } from '../../../common/scene/schema.ts';
import { Dialog } from '../components/Dialog.tsx';
import { FADER_MAX_DB, FADER_MIN_DB } from '../docks/MixerDock.tsx';
import { hasAudio } from '../sources/source-kinds.ts';
import { useCollection, useStudio } from '../studio/context.tsx';

const MONITORING: ReadonlyArray<{ value: AudioSettings['monitoring']; label: string }> = [
  { value: 'off', label: 'Monitor off' },
  { value: 'monitorOnly', label: 'Monitor only (mute output)' },
  { value: 'monitorAndOutput', label: 'Monitor and output' },
];

export function AdvancedAudioDialog() {
  const studio = useStudio();
  const collection = useCollection();
  const sources = collection.sources.filter(hasAudio);
  const set = (sourceId: string, audio: Partial<AudioSettings>) => studio.dispatch({ type: 'setAudio', sourceId, audio });
  return (
    <Dialog
      title="Advanced audio properties"
      size="wide"
      onClose={() => studio.closeDialog()}
      footer={
        <button type="button" className="primary" onClick={() => studio.closeDialog()}>
          Close
        </button>
      }
    >
      {sources.length === 0 ? (
        <p className="dock-empty">No sources with sound.</p>
      ) : (
        <table className="audio-table">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Volume (dB)</th>
              <th scope="col">Mute</th>
              <th scope="col">Sync offset (ms)</th>
              <th scope="col">Audio monitoring</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((source) => (
              <tr key={source.id}>
                <th scope="row">{source.name}</th>
                <td>
                  <input
                    type="number"
                    aria-label={`${source.name} volume (dB)`}
                    min={FADER_MIN_DB}
                    max={FADER_MAX_DB}
                    step={0.1}
                    value={source.audio.gainDb}
                    onChange={(event) => {
                      const value = event.target.valueAsNumber;
                      if (Number.isFinite(value) && value >= FADER_MIN_DB && value <= FADER_MAX_DB) set(source.id, { gainDb: value });
                    }}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Mute ${source.name}`}
                    checked={source.audio.muted}
                    onChange={(event) => set(source.id, { muted: event.target.checked })}
                  />
                </td>
                <td>
                  <input
                    type="number"
                    aria-label={`${source.name} sync offset (ms)`}
                    min={0}
                    max={5000}
                    step={10}
                    value={source.audio.syncOffsetMs}
                    onChange={(event) => {
                      const value = event.target.valueAsNumber;
                      if (Number.isFinite(value) && value >= 0 && value <= 5000) set(source.id, { syncOffsetMs: Math.round(value) });
                    }}
                  />
                </td>
                <td>
                  <select
                    aria-label={`${source.name} audio monitoring`}
                    value={source.audio.monitoring}
                    onChange={(event) => set(source.id, { monitoring: event.target.value as AudioSettings['monitoring'] })}
                  >
                    {MONITORING.map((option) => (
                      <option key={option.value} value={option.value}>
                        {option.label}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
