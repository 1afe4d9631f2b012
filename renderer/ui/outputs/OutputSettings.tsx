/** Encoder settings, the recordings folder and the local origin: what survives a restart. */
import { useEffect, useState } from 'react';
import type { OutputsState } from '../../../common/host/outputs-contract.ts';
import { outputsErrorMessage, type StudioOutputs } from '../../outputs/studio-outputs.ts';

export function OutputSettings({ outputs, state }: { outputs: StudioOutputs; state: OutputsState }) {
  const settings = state.encoder.settings;
  const [videoKbps, setVideoKbps] = useState(String(settings.videoBitrateKbps));
  const [audioKbps, setAudioKbps] = useState(String(settings.audioBitrateKbps));
  const [keyframeSec, setKeyframeSec] = useState(String(settings.keyframeIntervalSec));
  const [folder, setFolder] = useState(state.recording.folder);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setFolder(state.recording.folder), [state.recording.folder]);
  useEffect(() => {
    setVideoKbps(String(settings.videoBitrateKbps));
    setAudioKbps(String(settings.audioBitrateKbps));
    setKeyframeSec(String(settings.keyframeIntervalSec));
  }, [settings.videoBitrateKbps, settings.audioBitrateKbps, settings.keyframeIntervalSec]);

  const attempt = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      setMessage(done);
    } catch (failure) {
      setMessage(outputsErrorMessage(failure));
    }
  };
  const origin = state.localOrigin;

  return (
    <details className="output-settings">
      <summary>Output settings</summary>
      <form
        aria-label="Encoder settings"
        onSubmit={(event) => {
          event.preventDefault();
          void attempt(
            () =>
              outputs.setEncoderSettings({
                videoBitrateKbps: Number(videoKbps),
                audioBitrateKbps: Number(audioKbps),
                keyframeIntervalSec: Number(keyframeSec),
              }),
            'Encoder settings saved',
          );
        }}
      >
        <label>
          Video bitrate (kbps)
          <input type="number" min={200} max={50000} value={videoKbps} onChange={(event) => setVideoKbps(event.target.value)} />
        </label>
        <label>
          Audio bitrate (kbps)
          <input type="number" min={64} max={320} value={audioKbps} onChange={(event) => setAudioKbps(event.target.value)} />
        </label>
        <label>
          Keyframe interval (s)
          <input type="number" min={1} max={10} value={keyframeSec} onChange={(event) => setKeyframeSec(event.target.value)} />
        </label>
        <button type="submit">Save encoder settings</button>
      </form>
      <form
        aria-label="Recordings folder"
        onSubmit={(event) => {
          event.preventDefault();
          void attempt(() => outputs.setRecordingFolder(folder), 'Recordings folder saved');
        }}
      >
        <label>
          Recordings folder
          <input value={folder} onChange={(event) => setFolder(event.target.value)} spellCheck={false} />
        </label>
        <button type="submit">Save folder</button>
      </form>
      <div role="group" aria-label="Local origin">
        <span>
          Local origin: {origin.state}
          {origin.lan ? ' (LAN)' : ' (this computer only)'}
        </span>{' '}
        {origin.state === 'running' ? (
          <button type="button" onClick={() => void attempt(() => outputs.stopLocalOrigin(), 'Local origin stopped')}>
            Stop local origin
          </button>
        ) : (
          <button type="button" onClick={() => void attempt(() => outputs.startLocalOrigin({ lan: false }), 'Local origin started')}>
            Start local origin
          </button>
        )}{' '}
        <button
          type="button"
          onClick={() =>
            void attempt(
              () => outputs.startLocalOrigin({ lan: !origin.lan }),
              origin.lan ? 'Serving this computer only' : 'Serving the LAN',
            )
          }
        >
          {origin.lan ? 'Serve this computer only' : 'Serve the LAN'}
        </button>
        {origin.playback && (
          <p className="hint">
            HLS {origin.playback.hls} · HTTP-FLV {origin.playback.flv} · RTMP {origin.playback.rtmp}
          </p>
        )}
      </div>
      {message && (
        <p role="status" aria-label="Settings result">
          {message}
        </p>
      )}
    </details>
  );
}
