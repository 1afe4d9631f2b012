/**
 * The audio mixer: one WebAudio strip per audio source (sync delay → gain/mute → meter),
 * summed into a master bus that ends in the limiter and PCM tap. Meters arrive from the
 * worklets and are published at most 30 times a second; PCM blocks are stamped on the
 * engine's clock and handed to whoever listens (the encoder's sink).
 */
import type { Disposable } from '../../../common/host/contract-kit.ts';
import type { AudioSettings } from '../../../common/scene/schema.ts';
import { AudioTimestamper } from '../timing.ts';
import { fromDb, type LevelReading } from './dsp.ts';
import type { WorkletMessage } from './worklet.ts';

/** The mixer's sample rate unless told otherwise. */
export const MIXER_SAMPLE_RATE = 48_000;

/** Levels of every strip and the master, linear. */
export interface MeterSnapshot {
  sources: Record<string, LevelReading>;
  master: LevelReading;
}

/** One block of mixed sound for the host. */
export interface PcmBlock {
  /** Interleaved stereo float32 at 48 kHz. */
  data: Float32Array;
  frames: number;
  /** Samples per second of `data`: the mixer's rate, 48 kHz (`MIXER_SAMPLE_RATE`) when absent, 44.1 kHz if the studio chose it. */
  sampleRate?: number;
  /** The first sample's time on the shared clock, µs. */
  timestampUs: number;
}

interface Strip {
  input: AudioNode;
  delay: DelayNode;
  gain: GainNode;
  meter: AudioWorkletNode;
  /** To the master bus (the output); silent for a source monitored only. */
  send: GainNode;
  /** To the studio's speakers; silent unless the source is monitored. */
  monitor: GainNode;
}

const SILENT: LevelReading = { peak: [0, 0], rms: [0, 0] };
const METER_INTERVAL_MS = 1000 / 30;

/** How the mixer loads its worklet and reads the shared clock. */
export interface AudioMixerOptions {
  /** URL of the worklet module (`worklet.ts?worker&url`). */
  workletUrl: string;
  /** The engine's clock, µs. */
  clockUs: () => number;
  /** The same clock, in ms as `performance.now()` counts, for pairing with the audio clock. */
  performanceNow?: () => number;
  /** Samples per second of the mix (`MIXER_SAMPLE_RATE` by default). */
  sampleRate?: number;
}

/** The WebAudio graph: strips per source, master bus, limiter and PCM tap. */
export class AudioMixer implements Disposable {
  readonly context: AudioContext;
  private readonly strips = new Map<string, Strip>();
  private readonly master: GainNode;
  private readonly tap: AudioWorkletNode;
  private readonly silent: GainNode;
  private readonly levels = new Map<string, LevelReading>();
  private masterLevels: LevelReading = SILENT;
  private readonly meterListeners = new Set<(meters: MeterSnapshot) => void>();
  private readonly pcmListeners = new Set<(block: PcmBlock) => void>();
  private readonly timestamper: AudioTimestamper;
  /** Samples per second of the mix. */
  readonly sampleRate: number;
  private readonly clockUs: () => number;
  private readonly performanceNow: () => number;
  private lastMeterAt = 0;

  private constructor(context: AudioContext, options: AudioMixerOptions) {
    this.context = context;
    this.sampleRate = context.sampleRate;
    this.timestamper = new AudioTimestamper({ sampleRate: this.sampleRate });
    this.clockUs = options.clockUs;
    this.performanceNow = options.performanceNow ?? (() => performance.now());
    this.master = new GainNode(context, { gain: 1 });
    this.tap = new AudioWorkletNode(context, 'tally-pcm', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [2],
      channelCount: 2,
      channelCountMode: 'explicit',
    });
    // The tap must be pulled by the destination to run; it is heard only if monitoring is turned up.
    this.silent = new GainNode(context, { gain: 0 });
    this.master.connect(this.tap).connect(this.silent).connect(context.destination);
    this.tap.port.onmessage = (event: MessageEvent<WorkletMessage>) => this.handlePcm(event.data);
  }

  /** Creates the context at the mix's rate (48 kHz by default) and loads the worklets. */
  static async create(options: AudioMixerOptions): Promise<AudioMixer> {
    const context = new AudioContext({ sampleRate: options.sampleRate ?? MIXER_SAMPLE_RATE, latencyHint: 'interactive' });
    await context.audioWorklet.addModule(options.workletUrl);
    return new AudioMixer(context, options);
  }

  /** Whether the context runs (browsers start it suspended until a user gesture). */
  get running(): boolean {
    return this.context.state === 'running';
  }

  /** Starts the context; call from a user gesture in a browser. */
  async resume(): Promise<void> {
    if (this.context.state !== 'running') await this.context.resume();
  }

  /** Adds or updates the strip of a source. */
  setSource(id: string, input: AudioNode, settings: AudioSettings): void {
    let strip = this.strips.get(id);
    if (strip && strip.input !== input) {
      this.removeSource(id);
      strip = undefined;
    }
    if (!strip) {
      const delay = new DelayNode(this.context, { maxDelayTime: 5.1 });
      const gain = new GainNode(this.context);
      // Explicit stereo: a mono microphone is up-mixed to both sides before the meter.
      const meter = new AudioWorkletNode(this.context, 'tally-meter', {
        outputChannelCount: [2],
        channelCount: 2,
        channelCountMode: 'explicit',
      });
      meter.port.onmessage = (event: MessageEvent<WorkletMessage>) => {
        if (event.data.type === 'levels') this.levels.set(id, { peak: event.data.peak, rms: event.data.rms });
      };
      const send = new GainNode(this.context);
      const monitor = new GainNode(this.context, { gain: 0 });
      input.connect(delay).connect(gain).connect(meter);
      meter.connect(send).connect(this.master);
      meter.connect(monitor).connect(this.context.destination);
      strip = { input, delay, gain, meter, send, monitor };
      this.strips.set(id, strip);
    }
    const now = this.context.currentTime;
    strip.delay.delayTime.setValueAtTime(settings.syncOffsetMs / 1000, now);
    // A short ramp: a gain jump is a click.
    strip.gain.gain.setTargetAtTime(settings.muted ? 0 : fromDb(settings.gainDb), now, 0.01);
    strip.send.gain.setTargetAtTime(settings.monitoring === 'monitorOnly' ? 0 : 1, now, 0.01);
    strip.monitor.gain.setTargetAtTime(settings.monitoring === 'off' ? 0 : 1, now, 0.01);
  }

  /**
   * Where monitored sources play: an output device id from `enumerateDevices()`, or null for
   * the system's default. Throws where the browser cannot choose (no `AudioContext.setSinkId`).
   */
  async setMonitoringDevice(deviceId: string | null): Promise<void> {
    const context = this.context as AudioContext & { setSinkId?: (id: string) => Promise<void> };
    if (!context.setSinkId) throw new Error('this browser cannot choose the monitoring device');
    await context.setSinkId(deviceId ?? '');
  }

  /** Removes a source's strip. */
  removeSource(id: string): void {
    const strip = this.strips.get(id);
    if (!strip) return;
    strip.input.disconnect();
    strip.delay.disconnect();
    strip.gain.disconnect();
    strip.meter.disconnect();
    strip.send.disconnect();
    strip.monitor.disconnect();
    strip.meter.port.onmessage = null;
    this.strips.delete(id);
    this.levels.delete(id);
  }

  /** Hears meter snapshots, at most 30 a second. */
  onMeters(listener: (meters: MeterSnapshot) => void): Disposable {
    this.meterListeners.add(listener);
    return { dispose: () => this.meterListeners.delete(listener) };
  }

  /** Hears every PCM block of the master bus. */
  onPcm(listener: (block: PcmBlock) => void): Disposable {
    this.pcmListeners.add(listener);
    return { dispose: () => this.pcmListeners.delete(listener) };
  }

  private handlePcm(message: WorkletMessage): void {
    if (message.type !== 'pcm') return;
    this.observeClock();
    const timestampUs = this.timestamper.stamp(message.sampleFrame, message.frames);
    this.masterLevels = { peak: message.peak, rms: message.rms };
    for (const listener of this.pcmListeners)
      listener({ data: message.data, frames: message.frames, sampleRate: this.sampleRate, timestampUs });
    this.publishMeters();
  }

  /** Jumps in the audio device's sample positions so far (each a restart of the PCM timeline). */
  get gapCount(): number {
    return this.timestamper.gapCount;
  }

  /** The current levels, for snapshots. */
  meters(): MeterSnapshot {
    return { sources: Object.fromEntries(this.levels), master: this.masterLevels };
  }

  private observeClock(): void {
    // getOutputTimestamp pairs the context's sample clock with performance.now(): the observation the timestamper fits.
    const stamp = this.context.getOutputTimestamp();
    if (stamp.contextTime === undefined || stamp.performanceTime === undefined || stamp.performanceTime === 0) return;
    // That pair says when a sample is heard; it was processed the output latency earlier.
    const latencyUs = ((this.context.outputLatency || 0) + (this.context.baseLatency || 0)) * 1_000_000;
    const clockAtPerformanceTime = this.clockUs() - (this.performanceNow() - stamp.performanceTime) * 1000 - latencyUs;
    this.timestamper.observe({ sampleFrame: stamp.contextTime * this.sampleRate, clockUs: clockAtPerformanceTime });
  }

  private publishMeters(): void {
    const now = this.performanceNow();
    if (now - this.lastMeterAt < METER_INTERVAL_MS - 1 || this.meterListeners.size === 0) return;
    this.lastMeterAt = now;
    const snapshot = this.meters();
    for (const listener of this.meterListeners) listener(snapshot);
  }

  dispose(): void {
    for (const id of [...this.strips.keys()]) this.removeSource(id);
    this.tap.port.onmessage = null;
    this.master.disconnect();
    this.tap.disconnect();
    this.silent.disconnect();
    this.meterListeners.clear();
    this.pcmListeners.clear();
    void this.context.close();
  }
}
