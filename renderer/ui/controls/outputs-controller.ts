/**
 * What the studio's Controls dock, Stats dock, hotkeys and the Stream and Output settings
 * pages need from the outputs (going live, recording, screenshots), as one interface the UI
 * depends on. `HostOutputs` implements it over `StudioOutputs` (`renderer/outputs/`), the one
 * renderer-side API of the host's `outputs` and `recording` services: the UI never calls the
 * contract itself.
 */
import type { Disposable } from '../../../common/host/contract-kit.ts';
import type { OutputsState } from '../../../common/host/outputs-contract.ts';
import type { StudioOutputs, StudioOutputsSnapshot } from '../../outputs/studio-outputs.ts';
import { outputAlerts } from './output-alerts.ts';

/** The stream's state, as the Controls dock shows it. */
export type StreamState = 'offline' | 'starting' | 'live' | 'reconnecting' | 'stopping';
/** The recording's state. */
export type RecordingState = 'stopped' | 'starting' | 'recording' | 'stopping';

/** The last file an output saved, for the Controls dock's line. */
export interface SavedFile {
  kind: 'recording' | 'screenshot';
  /** Where it went: a path on the host, or a download's file name. */
  path: string;
}

/** Everything the UI shows about the outputs. */
export interface OutputsSnapshot {
  stream: {
    state: StreamState;
    /** When the stream went live (epoch ms), for the live timer; null when offline. */
    sinceMs: number | null;
  };
  recording: {
    state: RecordingState;
    /** When recording started (epoch ms), for the recording timer. */
    sinceMs: number | null;
  };
  /**
   * Why going live or recording cannot start here at all (the host's outputs cannot be
   * reached); null when it can. The Controls dock disables the button and shows the reason.
   */
  unavailable: { stream: string | null; recording: string | null };
  /** The host's outputs state (destinations with their figures, the local origin, the recorder); null until read. */
  host: OutputsState | null;
  /** The encoder's side while it runs (host backlog, frames dropped for host lag, its error). */
  encoder: StudioOutputsSnapshot['encoder'];
  lastSaved: SavedFile | null;
}

/** The outputs, as the UI drives them. Every command resolves when done or rejects with a message for a toast. */
export interface OutputsController extends Disposable {
  getSnapshot(): OutputsSnapshot;
  /** Hears every change of the snapshot; returns the function that stops it. */
  subscribe(listener: () => void): () => void;
  goLive(): Promise<void>;
  endStream(): Promise<void>;
  startRecording(): Promise<void>;
  /** Stops and finalises the recording; resolves to the file's path, or null when none was running. */
  stopRecording(): Promise<string | null>;
  /** Saves the program as a PNG at the output resolution; resolves to where it went (a path or a file name). */
  screenshot(): Promise<string>;
  /**
   * The full outputs API for the settings pages (destinations, encoder, recordings folder,
   * the local origin). Its state reaches the UI through `getSnapshot().host`.
   */
  readonly api: Pick<
    StudioOutputs,
    | 'saveDestination'
    | 'removeDestination'
    | 'startDestination'
    | 'stopDestination'
    | 'setDestinationEnabled'
    | 'setEncoderSettings'
    | 'setRecordingFolder'
    | 'setRecordingFormat'
    | 'startLocalOrigin'
    | 'stopLocalOrigin'
  >;
}

/** Pending commands the host has not answered yet: the buttons say "starting"/"stopping" meanwhile. */
interface Pending {
  stream: 'starting' | 'stopping' | null;
  recording: 'starting' | 'stopping' | null;
}

/** The stream's state from the host's: live while any destination is, reconnecting while all running ones are. */
export function streamStateOf(state: OutputsState | null, pending: Pending['stream']): StreamState {
  if (pending) return pending;
  if (!state?.streaming.active) return 'offline';
  const running = state.destinations.map((destination) => destination.status.state).filter((s) => s !== 'idle' && s !== 'failed');
  if (running.includes('live')) return 'live';
  if (running.length > 0 && running.every((s) => s === 'reconnecting')) return 'reconnecting';
  return 'starting';
}

/** Builds the UI's snapshot from the host's. */
export function outputsSnapshotOf(source: StudioOutputsSnapshot, pending: Pending, lastSaved: SavedFile | null): OutputsSnapshot {
  const { state } = source;
  const unavailable = source.stateError ? `The outputs cannot be reached: ${source.stateError}` : null;
  const recording: RecordingState = pending.recording ?? (state?.recording.active ? 'recording' : 'stopped');
  return {
    stream: { state: streamStateOf(state, pending.stream), sinceMs: state?.streaming.active ? state.streaming.sinceMs : null },
    recording: { state: recording, sinceMs: state?.recording.active ? state.recording.startedAtMs : null },
    unavailable: { stream: unavailable, recording: unavailable },
    host: state,
    encoder: source.encoder,
    lastSaved,
  };
}

/** How the controller tells the user something: a failure (`error`), a saved file (`success`), a note (`info`). */
export type OutputsNotice = (message: string, kind: 'error' | 'info' | 'success') => void;

/** The outputs over the host's outputs service. */
export class HostOutputs implements OutputsController {
  readonly api: StudioOutputs;
  private readonly fallbackScreenshot: () => Promise<string>;
  private readonly notify: OutputsNotice;
  private seen: StudioOutputsSnapshot;
  private pending: Pending = { stream: null, recording: null };
  private lastSaved: SavedFile | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;
  private snapshot: OutputsSnapshot;

  /**
   * @param outputs the renderer's one outputs API; this object owns it from now on.
   * @param fallbackScreenshot a screenshot the page takes on its own, used only while the host's outputs cannot be reached.
   * @param notify hears each output failure as it appears, in words a user can act on (`outputAlerts`),
   *   and (as `success` or `info`) each file saved, or a recording that saved none.
   */
  constructor(outputs: StudioOutputs, fallbackScreenshot: () => Promise<string>, notify: OutputsNotice) {
    this.api = outputs;
    this.fallbackScreenshot = fallbackScreenshot;
    this.notify = notify;
    this.seen = outputs.getSnapshot();
    this.snapshot = this.build();
    this.unsubscribe = outputs.subscribe(() => {
      this.alert(this.seen, outputs.getSnapshot());
      this.changed();
    });
  }

  getSnapshot = (): OutputsSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  async goLive(): Promise<void> {
    await this.track('stream', 'starting', () => this.api.goLive());
  }

  async endStream(): Promise<void> {
    await this.track('stream', 'stopping', () => this.api.endStream());
  }

  async startRecording(): Promise<void> {
    await this.track('recording', 'starting', () => this.api.startRecording());
  }

  async stopRecording(): Promise<string | null> {
    const file = await this.track('recording', 'stopping', () => this.api.stopRecording());
    if (file) this.saved({ kind: 'recording', path: file.path });
    // Stopped before the first keyframe reached the recorder: say so rather than nothing.
    else this.notify('The recording stopped before any video reached it: no file was saved.', 'info');
    return file?.path ?? null;
  }

  async screenshot(): Promise<string> {
    const path = this.api.getSnapshot().stateError ? await this.fallbackScreenshot() : (await this.api.screenshot()).path;
    this.saved({ kind: 'screenshot', path });
    return path;
  }

  dispose(): void {
    this.unsubscribe();
    this.listeners.clear();
    this.api.dispose();
  }

  private async track<T>(what: keyof Pending, doing: 'starting' | 'stopping', command: () => Promise<T>): Promise<T> {
    this.pending = { ...this.pending, [what]: doing };
    this.changed();
    try {
      return await command();
    } finally {
      this.pending = { ...this.pending, [what]: null };
      this.changed();
    }
  }

  private alert(before: StudioOutputsSnapshot, after: StudioOutputsSnapshot): void {
    this.seen = after;
    const messages = after.state && after.state !== before.state ? outputAlerts(before.state, after.state) : [];
    if (after.encoderStartError && after.encoderStartError !== before.encoderStartError)
      messages.push(`The encoder could not start: ${after.encoderStartError}`);
    for (const message of messages) this.notify(message, 'error');
  }

  private saved(file: SavedFile): void {
    this.lastSaved = file;
    // Also a notification: the note in the Controls dock can be out of sight (or the dock hidden, a hotkey used).
    this.notify(`${file.kind === 'recording' ? 'Recording saved' : 'Screenshot saved'}: ${file.path}`, 'success');
    this.changed();
  }

  private build(): OutputsSnapshot {
    return outputsSnapshotOf(this.api.getSnapshot(), this.pending, this.lastSaved);
  }

  private changed(): void {
    this.snapshot = this.build();
    for (const listener of [...this.listeners]) listener();
  }
}

/** A screenshot the page takes on its own: a PNG of the program, downloaded. */
export async function downloadScreenshot(engine: { screenshot(): Promise<Blob> }): Promise<string> {
  const blob = await engine.screenshot();
  const name = `Tally ${new Date().toISOString().slice(0, 19).replace('T', ' ').replace(/:/g, '-')}.png`;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return name;
}
