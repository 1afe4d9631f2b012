/**
 * What the studio's Controls dock and hotkeys need from the outputs (going live, recording,
 * screenshots), as a small interface the UI depends on. The host's outputs service (the
 * `outputs` namespace of the host contract) implements it in a later build; until then
 * `LocalOutputs` says plainly that streaming and recording are not available, and takes
 * screenshots the one way the page can on its own: a PNG download of the program.
 */
import type { Disposable } from '../../../common/host/contract-kit.ts';
import type { StudioEngine } from '../../engine/index.ts';

/** The stream's state, as the Controls dock shows it. */
export type StreamState = 'offline' | 'starting' | 'live' | 'reconnecting' | 'stopping';
/** The recording's state. */
export type RecordingState = 'stopped' | 'starting' | 'recording' | 'stopping';

/** Everything the UI shows about the outputs. */
export interface OutputsSnapshot {
  stream: {
    state: StreamState;
    /** When the stream went live (epoch ms), for the live timer; null when offline. */
    sinceMs: number | null;
    /** The last failure in words ("the server refused the stream key"), or null. */
    error: string | null;
  };
  recording: {
    state: RecordingState;
    /** When recording started (epoch ms), for the recording timer. */
    sinceMs: number | null;
    error: string | null;
  };
  /**
   * Why going live or recording cannot start here at all (no outputs in this build, ffmpeg
   * missing, no destination); null when it can. The Controls dock disables the button and
   * shows the reason.
   */
  unavailable: { stream: string | null; recording: string | null };
}

/** The outputs, as the UI drives them. Every command resolves when done or rejects with a message for a toast. */
export interface OutputsController extends Disposable {
  getSnapshot(): OutputsSnapshot;
  /** Hears every change of the snapshot; returns the function that stops it. */
  subscribe(listener: () => void): () => void;
  goLive(): Promise<void>;
  endStream(): Promise<void>;
  startRecording(): Promise<void>;
  stopRecording(): Promise<void>;
  /** Saves the program as a PNG at the output resolution; resolves to where it went (a path or a file name). */
  screenshot(): Promise<string>;
}

/** Why streaming and recording are unavailable in this build. */
export const OUTPUTS_NOT_IN_THIS_BUILD = 'Streaming and recording are not available in this build yet.';

/** The outputs before the host's outputs service exists: no stream, no recording, screenshots as downloads. */
export class LocalOutputs implements OutputsController {
  private readonly engine: StudioEngine;
  private readonly snapshot: OutputsSnapshot = {
    stream: { state: 'offline', sinceMs: null, error: null },
    recording: { state: 'stopped', sinceMs: null, error: null },
    unavailable: { stream: OUTPUTS_NOT_IN_THIS_BUILD, recording: OUTPUTS_NOT_IN_THIS_BUILD },
  };

  constructor(engine: StudioEngine) {
    this.engine = engine;
  }

  getSnapshot(): OutputsSnapshot {
    return this.snapshot;
  }

  subscribe(): () => void {
    return () => {};
  }

  async goLive(): Promise<void> {
    throw new Error(OUTPUTS_NOT_IN_THIS_BUILD);
  }

  async endStream(): Promise<void> {
    throw new Error(OUTPUTS_NOT_IN_THIS_BUILD);
  }

  async startRecording(): Promise<void> {
    throw new Error(OUTPUTS_NOT_IN_THIS_BUILD);
  }

  async stopRecording(): Promise<void> {
    throw new Error(OUTPUTS_NOT_IN_THIS_BUILD);
  }

  async screenshot(): Promise<string> {
    const blob = await this.engine.screenshot();
    const name = `Tally ${new Date().toISOString().slice(0, 19).replace('T', ' ').replace(/:/g, '-')}.png`;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    return name;
  }

  dispose(): void {}
}
