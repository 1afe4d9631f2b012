/**
 * The mixer's AudioWorklet processors (loaded with `addModule`, bundled by Vite):
 * - `tally-meter` passes a strip's sound through and posts its peak and RMS 30 times a second;
 * - `tally-pcm` is the end of the master bus: it limits, meters, and posts interleaved
 *   48 kHz stereo PCM in 20 ms blocks with the sample position of their first frame.
 */
import { interleave, Limiter, MeterAccumulator } from './dsp.ts';

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

const PCM_BLOCK_FRAMES = 960;

class PcmProcessor extends AudioWorkletProcessor implements AudioWorkletProcessorLike {
  private readonly limiter = new Limiter({ sampleRate });
  private readonly meter = new MeterAccumulator(2, PCM_BLOCK_FRAMES);
  private block = new Float32Array(PCM_BLOCK_FRAMES * 2);
  private filled = 0;
  private blockStart = 0;
  private readonly left = new Float32Array(128);
  private readonly right = new Float32Array(128);

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
    if (this.filled === 0) this.blockStart = currentFrame;
    interleave(left, right, this.block, this.filled);
    this.filled += frames;
    const reading = this.meter.push([left, right]);
    if (this.filled >= PCM_BLOCK_FRAMES) {
      const data = this.block;
      this.port.postMessage(
        {
          type: 'pcm',
          sampleFrame: this.blockStart,
          frames: this.filled,
          data,
          peak: reading?.peak ?? [0, 0],
          rms: reading?.rms ?? [0, 0],
        } satisfies WorkletMessage,
        [data.buffer],
      );
      this.block = new Float32Array(PCM_BLOCK_FRAMES * 2);
      this.filled = 0;
    }
    return true;
  }
}

registerProcessor('tally-meter', MeterProcessor);
registerProcessor('tally-pcm', PcmProcessor);
