/**
 * The studio's outputs as a UI drives them: the one renderer-side API for going live,
 * recording and screenshots. Any interface (today `ui/outputs/OutputsPanel`, later the docks'
 * controller) calls this and nothing else of the `outputs`/`recording` contract.
 *
 * - **State** comes from the host (`outputs.onDidChangeState`: destinations with their state
 *   and stats, streaming, recording, the local origin, the encoder's target); **encoder
 *   figures** (host backlog, frames dropped for host lag, encoder errors) come from the engine's
 *   snapshots. `getSnapshot()` returns one immutable object that changes identity only when
 *   something changed, and `subscribe()` hears each change: the pair React's
 *   `useSyncExternalStore` takes.
 * - **The encoder follows the host** through a `HostOutputLink` this object owns: the host says
 *   when the studio must encode and at what bitrate; the UI never starts the encoder itself.
 * - **Commands** resolve with the host's answer and reject with an `Error` whose message is
 *   ready to show (the channel prefix removed).
 */
import type { ContractClient, Disposable } from '../../common/host/contract-kit.ts';
import type { HostContract } from '../../common/host/contract.ts';
import { MediaKind, type MediaFrame } from '../../common/host/media-frame.ts';
import type { RecordingFormat } from '../../common/host/recording-format.ts';
import type {
  Destination,
  DestinationInput,
  EncoderSettings,
  LocalOriginState,
  OutputFile,
  OutputsState,
  RecordingState,
} from '../../common/host/outputs-contract.ts';
import { HostOutputLink, type EncodingTarget, type EngineSnapshot, type HostMediaPort } from '../engine/index.ts';
import type { ConnectionState } from '../host/index.ts';

/** What the outputs need of the engine (`StudioEngine` has it all). */
export interface OutputsEngine extends EncodingTarget {
  /** Starts audio; browsers allow it only within a user gesture, which Go Live and Start Recording are. */
  resumeAudio(): Promise<void>;
  /** A PNG of the program at the output resolution. */
  screenshot(): Promise<Blob>;
  onSnapshot(listener: (snapshot: EngineSnapshot) => void, hz?: number): Disposable;
}

/** What the outputs need of the host (`StudioHost` has it all): the two contract services and the media channel. */
export interface OutputsHost {
  readonly api: Pick<ContractClient<HostContract>, 'outputs' | 'recording'>;
  readonly media: HostMediaPort & { readonly ready: Promise<void> };
  /**
   * The control connection's state, heard at once and on each change (the web host's socket;
   * Electron's is always open). While it is closed nothing the host last said can be trusted.
   */
  onConnectionChange?(listener: (state: ConnectionState) => void): () => void;
}

/** `stateError` while the host cannot be reached: its last state is dropped, not shown as if it held. */
export const HOST_LOST = 'the connection to the host was lost. Reconnecting…';

/** The encoder's side of going live, from the engine's snapshots. */
export interface OutputsEncoderFigures {
  /** Bytes of encoded media the host has not taken in yet. */
  hostQueueBytes: number;
  /** Video frames dropped (whole GOPs) because the host was behind. */
  framesDroppedHostLag: number;
  /** The running encoder's last failure, or null. */
  error: string | null;
}

/** Everything a UI shows about the outputs. */
export interface StudioOutputsSnapshot {
  /** The host's outputs state; null until its first answer. */
  readonly state: OutputsState | null;
  /** Why the host's state could not be read, or null. */
  readonly stateError: string | null;
  /** Figures of the encoder while it runs; null before the engine's first snapshot. */
  readonly encoder: OutputsEncoderFigures | null;
  /** Why the encoder could not start when the host asked for it, or null. */
  readonly encoderStartError: string | null;
}

/** A command's failure, with the contract's channel prefix (`tally:outputs.goLive: `) removed. */
export function outputsErrorMessage(failure: unknown): string {
  return failure instanceof Error ? failure.message.replace(/^tally:[\w.]+: /, '') : String(failure);
}

export class StudioOutputs implements Disposable {
  private readonly host: OutputsHost;
  private readonly engine: OutputsEngine;
  private readonly listeners = new Set<() => void>();
  private readonly subscriptions: Disposable[] = [];
  private readonly link: HostOutputLink;
  private snapshot: StudioOutputsSnapshot = { state: null, stateError: null, encoder: null, encoderStartError: null };
  private screenshotId = 1;

  constructor(host: OutputsHost, engine: OutputsEngine) {
    this.host = host;
    this.engine = engine;
    this.subscriptions.push(host.api.outputs.onDidChangeState((state) => this.update({ state, stateError: null })));
    this.readState();
    this.link = new HostOutputLink(engine, host.api.outputs, host.media, (encoderStartError) => this.update({ encoderStartError }));
    let lost = false;
    const stopListening = host.onConnectionChange?.((connection) => {
      if (connection === 'closed' && !lost) {
        lost = true;
        this.update({ state: null, stateError: HOST_LOST });
      } else if (connection === 'open' && lost) {
        // Events sent while away are gone, and a restarted host starts idle: read its state again, and so does the encoder.
        lost = false;
        this.readState();
        this.link.refresh();
      }
    });
    if (stopListening) this.subscriptions.push({ dispose: stopListening });
    this.subscriptions.push(
      engine.onSnapshot(({ stats }) => {
        const encoder = this.snapshot.encoder;
        if (
          encoder?.hostQueueBytes !== stats.hostQueueBytes ||
          encoder.framesDroppedHostLag !== stats.framesDroppedHostLag ||
          encoder.error !== stats.encoderError
        )
          this.update({
            encoder: { hostQueueBytes: stats.hostQueueBytes, framesDroppedHostLag: stats.framesDroppedHostLag, error: stats.encoderError },
          });
      }, 2),
    );
  }

  // ---- reading ----------------------------------------------------------------------------

  /** The current snapshot; the same object until something changes. */
  getSnapshot = (): StudioOutputsSnapshot => this.snapshot;

  /** Calls `listener` after each change; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Resolves when the encoder matches the host's latest state (for tests). */
  encoderSettled(): Promise<void> {
    return this.link.settled();
  }

  // ---- going live -------------------------------------------------------------------------

  /** Starts every enabled destination, or the local origin on a fresh install. Call it from the click (audio starts then). */
  async goLive(): Promise<OutputsState> {
    await this.engine.resumeAudio().catch(() => undefined);
    return this.withState(this.host.api.outputs.goLive());
  }

  /** Stops every destination (a recording carries on). */
  endStream(): Promise<OutputsState> {
    return this.withState(this.host.api.outputs.endStream());
  }

  /** Starts one destination while the others carry on. */
  startDestination(id: string): Promise<null> {
    return this.command(this.host.api.outputs.startDestination(id));
  }

  /** Stops one destination while the others carry on. */
  stopDestination(id: string): Promise<null> {
    return this.command(this.host.api.outputs.stopDestination(id));
  }

  /** Adds or changes a destination; its key comes back masked. */
  saveDestination(input: DestinationInput): Promise<Destination> {
    return this.command(this.host.api.outputs.saveDestination(input));
  }

  /** Includes a destination in Go Live or leaves it out (the local origin's too). */
  setDestinationEnabled(id: string, enabled: boolean): Promise<Destination> {
    return this.command(this.host.api.outputs.setDestinationEnabled(id, enabled));
  }

  removeDestination(id: string): Promise<null> {
    return this.command(this.host.api.outputs.removeDestination(id));
  }

  setEncoderSettings(settings: EncoderSettings): Promise<EncoderSettings> {
    return this.command(this.host.api.outputs.setEncoderSettings(settings));
  }

  /** Starts the embedded origin (loopback unless `lan`: then its API needs its token). */
  startLocalOrigin(options: { lan: boolean } = { lan: false }): Promise<LocalOriginState> {
    return this.command(this.host.api.outputs.startLocalOrigin(options));
  }

  stopLocalOrigin(): Promise<null> {
    return this.command(this.host.api.outputs.stopLocalOrigin());
  }

  // ---- recording and screenshots ----------------------------------------------------------

  /** Starts recording the program, live or not. Call it from the click (audio starts then). */
  async startRecording(): Promise<RecordingState> {
    await this.engine.resumeAudio().catch(() => undefined);
    return this.command(this.host.api.recording.start());
  }

  /** Stops and finalises the recording: the file written, or null when none was running. */
  stopRecording(): Promise<OutputFile | null> {
    return this.command(this.host.api.recording.stop());
  }

  /** Chooses the recordings folder (absolute; created when missing). */
  setRecordingFolder(folder: string): Promise<RecordingState> {
    return this.command(this.host.api.recording.setFolder(folder));
  }

  /** Chooses the format of the next recording. */
  setRecordingFormat(format: RecordingFormat): Promise<RecordingState> {
    return this.command(this.host.api.recording.setFormat(format));
  }

  /** Saves a PNG of the program at the output resolution into the screenshots folder. */
  async screenshot(): Promise<OutputFile> {
    const requestId = this.screenshotId++ & 0xffff;
    const payload = await (await this.engine.screenshot()).arrayBuffer();
    await this.host.media.ready;
    const frame: MediaFrame = { kind: MediaKind.image, flags: 0, track: requestId, timestampUs: 0, payload };
    this.host.media.send(frame);
    return this.command(this.host.api.recording.saveScreenshot(requestId));
  }

  dispose(): void {
    this.link.dispose();
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.listeners.clear();
  }

  // ---- internals --------------------------------------------------------------------------

  private readState(): void {
    this.host.api.outputs.getState().then(
      (state) => this.update({ state, stateError: null }),
      (failure: unknown) => this.update({ stateError: outputsErrorMessage(failure) }),
    );
  }

  private async withState(answer: Promise<OutputsState>): Promise<OutputsState> {
    const state = await this.command(answer);
    this.update({ state, stateError: null });
    return state;
  }

  private async command<T>(answer: Promise<T>): Promise<T> {
    try {
      return await answer;
    } catch (failure) {
      throw new Error(outputsErrorMessage(failure), { cause: failure });
    }
  }

  private update(change: Partial<StudioOutputsSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of [...this.listeners]) listener();
  }
}
