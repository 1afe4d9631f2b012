/**
 * Ties the engine's encoder to the host's outputs: the host says (in `outputs` state) when
 * the studio must encode (something is live or recording) and at what video bitrate (the
 * slowest adaptive destination's); this link starts, retunes and stops the encoder to match,
 * each session on its own media track so the host keeps one clock across sessions. A page
 * that reloads mid-stream picks the encode up again from the state it reads.
 */
import type { Disposable } from '../../../common/host/contract-kit.ts';
import type { OutputsState } from '../../../common/host/outputs-contract.ts';
import { HostMediaSink, type HostMediaPort } from './sink.ts';
import type { EncodingSettings } from './encoder-session.ts';

/** What the link drives (the engine). */
export interface EncodingTarget {
  startEncoding(settings: EncodingSettings, sink: HostMediaSink): Promise<unknown>;
  stopEncoding(): Promise<void>;
  setEncodingBitrate(bitrateKbps: number): void;
}

/** What the link reads from the host (the `outputs` service of the contract client). */
export interface OutputsStateSource {
  getState(): Promise<OutputsState>;
  onDidChangeState(listener: (state: OutputsState) => void): Disposable;
}

export class HostOutputLink implements Disposable {
  private readonly target: EncodingTarget;
  private readonly media: HostMediaPort;
  private readonly subscription: Disposable;
  private readonly outputs: OutputsStateSource;
  private readonly apply: (state: OutputsState) => void;
  private wanted: OutputsState['encoder'] | null = null;
  private running: { keyframeIntervalSec: number; hardwareAcceleration: HardwareAcceleration; bitrateKbps: number } | null = null;
  private work: Promise<void> = Promise.resolve();
  private nextTrack: number;
  private disposed = false;
  /** The last failure to start the encoder (for the UI), or null. */
  error: string | null = null;

  constructor(
    target: EncodingTarget,
    outputs: OutputsStateSource,
    media: HostMediaPort,
    onError: (message: string | null) => void = () => {},
  ) {
    this.target = target;
    this.media = media;
    // Tracks start at a random point so a reloaded page never reuses the last page's session.
    this.nextTrack = Math.floor(Math.random() * 0xffff);
    this.outputs = outputs;
    this.apply = (state: OutputsState) => {
      this.wanted = state.encoder;
      this.work = this.work
        .then(() => this.reconcile())
        .then(
          () => {
            if (this.error !== null) onError((this.error = null));
          },
          (error: unknown) => onError((this.error = error instanceof Error ? error.message : String(error))),
        );
    };
    this.subscription = outputs.onDidChangeState(this.apply);
    this.refresh();
  }

  /** Reads the host's state again (after a lost connection: a restarted host wants no encoder). */
  refresh(): void {
    void this.outputs.getState().then(this.apply, () => undefined);
  }

  /** Resolves when the encoder matches the latest state the link has seen. */
  settled(): Promise<void> {
    return this.work.catch(() => undefined);
  }

  private async reconcile(): Promise<void> {
    const wanted = this.wanted;
    if (this.disposed || !wanted) return;
    if (!wanted.active) {
      if (this.running) {
        this.running = null;
        await this.target.stopEncoding();
      }
      return;
    }
    const { keyframeIntervalSec, hardwareAcceleration } = wanted.settings;
    const bitrateKbps = wanted.targetVideoBitrateKbps;
    // The bitrate changes in place; another keyframe interval or kind of encoder needs a new encoder.
    if (
      this.running &&
      this.running.keyframeIntervalSec === keyframeIntervalSec &&
      this.running.hardwareAcceleration === hardwareAcceleration
    ) {
      if (this.running.bitrateKbps !== bitrateKbps) {
        this.target.setEncodingBitrate(bitrateKbps);
        this.running.bitrateKbps = bitrateKbps;
      }
      return;
    }
    this.nextTrack = (this.nextTrack + 1) & 0xffff;
    this.running = { keyframeIntervalSec, hardwareAcceleration, bitrateKbps };
    try {
      await this.target.startEncoding(
        { bitrateKbps, keyframeIntervalSec, hardwareAcceleration },
        new HostMediaSink(this.media, this.nextTrack),
      );
    } catch (error) {
      this.running = null;
      throw error;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
  }
}
