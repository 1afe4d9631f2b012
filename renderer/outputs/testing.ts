/** Outputs states for renderer tests. */
import { DEFAULT_ENCODER_SETTINGS, type OutputsState } from '../../common/host/outputs-contract.ts';

/** Nothing live, nothing recording, the local origin stopped. */
export const IDLE_OUTPUTS: OutputsState = {
  streaming: { active: false, sinceMs: null },
  destinations: [],
  encoder: { settings: DEFAULT_ENCODER_SETTINGS, active: false, targetVideoBitrateKbps: 4500 },
  audio: { state: 'idle', error: null },
  localOrigin: { state: 'stopped', lan: false, viewerUrl: null, playback: null, error: null },
  recording: {
    active: false,
    path: null,
    startedAtMs: null,
    durationMs: 0,
    bytes: 0,
    diskFreeBytes: null,
    error: null,
    folder: '/r',
    filenamePattern: 'x',
    format: 'hybrid-mp4',
  },
};

/** The idle state with the encoder wanted (`active`) at `targetVideoBitrateKbps`. */
export function encodingOutputs(active: boolean, targetVideoBitrateKbps = 4500): OutputsState {
  return { ...IDLE_OUTPUTS, encoder: { ...IDLE_OUTPUTS.encoder, active, targetVideoBitrateKbps } };
}
