/**
 * The mixer's AudioWorklet processors (loaded with `addModule`, bundled by Vite):
 * - `tally-meter` passes a strip's sound through and posts its peak and RMS 30 times a second;
 * - `tally-pcm` is the end of the master bus: it limits, meters, and posts interleaved
 *   stereo PCM at the context's rate (48 kHz by default) in 20 ms blocks with the sample position of their first frame.
 */
import { interleave, Limiter, MeterAccumulator, type LevelReading } from './dsp.ts';

// The AudioWorkletGlobalScope, which TypeScript's DOM library does not describe.
declare const sampleRate: number;
declare const currentFrame: number;
declare function registerProcessor(
  name: string,
  processor: new (options: { processorOptions?: unknown }) => AudioWorkletProcessorLike,
): void;
interface AudioWorkletProcessorLike {
  readonly port: MessagePort;
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean;
}
declare const AudioWorkletProcessor: new () => { readonly port: MessagePort };

/** Messages the processors post. */
export type WorkletMessage =
  | { type: 'levels'; peak: number[]; rms: number[] }
  | { type: 'pcm'; sampleFrame: number; frames: number; data: Float32Array; peak: number[]; rms: number[] };

const METER_HZ = 30;

class MeterProcessor extends AudioWorkletProcessor implements AudioWorkletProcessorLike {
  private readonly meter = new MeterAccumulator(2, Math.round(sampleRate / METER_HZ));

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const input = inputs[0] ?? [];
    const output = outputs[0] ?? [];
    for (let c = 0; c < output.length; c++) {
      const source = input[c] ?? input[0];
      if (source) output[c]!.set(source);
    }
    if (input.length > 0) {
      const reading = this.meter.push(input);
      if (reading) this.port.postMessage({ type: 'levels', ...reading } satisfies WorkletMessage);
    }
    return true;
  }
}

/** 20 ms of frames: 960 at 48 kHz, 882 at 44.1 kHz. */
const PCM_BLOCK_FRAMES = Math.round(sampleRate / 50);

class PcmProcessor extends AudioWorkletProcessor implements AudioWorkletProcessorLike {
  private readonly limiter = new Limiter({ sampleRate });
  private readonly meter = new MeterAccumulator(2, PCM_BLOCK_FRAMES);
  private block = new Float32Array(PCM_BLOCK_FRAMES * 2);
  private filled = 0;
  private blockStart = 0;
  private readonly left = new Float32Array(128);
  private readonly right = new Float32Array(128);
  private lastReading: LevelReading = { peak: [0, 0], rms: [0, 0] };

  private post(): void {
    const data = this.block;
    this.port.postMessage(
      {
        type: 'pcm',
        sampleFrame: this.blockStart,
        frames: this.filled,
        data,
        peak: this.lastReading.peak,
        rms: this.lastReading.rms,
      } satisfies WorkletMessage,
      [data.buffer],
    );
    this.block = new Float32Array(PCM_BLOCK_FRAMES * 2);
    this.filled = 0;
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const input = inputs[0] ?? [];
    const frames = outputs[0]?.[0]?.length ?? 128;
    const left = this.left.subarray(0, frames);
    const right = this.right.subarray(0, frames);
    // No input connected is silence, not a gap: the timeline keeps running.
    if (input[0]) left.set(input[0]);
    else left.fill(0);
    if (input[1] ?? input[0]) right.set((input[1] ?? input[0])!);
    else right.fill(0);
    this.limiter.process(left, right);
    outputs[0]?.[0]?.set(left);
    outputs[0]?.[1]?.set(right);
    // A block is not a multiple of the 128-frame render quantum: a quantum may end one block and start the next.
    let done = 0;
    while (done < frames) {
      if (this.filled === 0) this.blockStart = currentFrame + done;
      const take = Math.min(frames - done, PCM_BLOCK_FRAMES - this.filled);
      const l = left.subarray(done, done + take);
      const r = right.subarray(done, done + take);
      interleave(l, r, this.block, this.filled);
      this.filled += take;
      done += take;
      const reading = this.meter.push([l, r]);
      if (reading) this.lastReading = reading;
      if (this.filled === PCM_BLOCK_FRAMES) this.post();
    }
    return true;
  }
}

registerProcessor('tally-meter', MeterProcessor);
registerProcessor('tally-pcm', PcmProcessor);
