/**
 * The studio engine's public face. `createStudioEngine` wires the default worklet URL; the
 * rest of the renderer (and tests) use only what is exported here.
 */
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- tsconfig.test.json compiles this file without renderer/env.d.ts
/// <reference path="../env.d.ts" />
import workletUrl from './audio/worklet.ts?worker&url';
import { StudioEngine, type StudioEngineOptions } from './engine.ts';

export { StudioEngine, OUTPUT_PRESETS, checkOutput } from './engine.ts';
export type { EngineSnapshot, EngineStats, EncodingSettings, OutputSettings, SourceViewHandle, StudioEngineOptions } from './engine.ts';
export type { MeterSnapshot, PcmBlock } from './audio/mixer.ts';
export { toDb } from './audio/dsp.ts';
export { HostMediaSink, MemorySink } from './output/sink.ts';
export { CollectionAutosave } from './autosave.ts';
export type { SceneStorage } from './autosave.ts';
export type { EncodedVideo, HostMediaPort, MediaSink, SinkStats, VideoTrackConfig } from './output/sink.ts';
export { HostOutputLink } from './output/host-output-link.ts';
export type { EncodingTarget, OutputsStateSource } from './output/host-output-link.ts';
export type { EncoderInfo } from './output/video-encoder.ts';
export type { CaptureDevices, SourceStatus } from './sources/source.ts';

/** Options of `createStudioEngine`: audio is on unless `audio: false`, at `audioSampleRate` (48 kHz by default). */
export type CreateEngineOptions = Omit<StudioEngineOptions, 'audio'> & { audio?: boolean; audioSampleRate?: number };

/** Creates an engine with the bundled audio worklet. */
export function createStudioEngine(options: CreateEngineOptions): Promise<StudioEngine> {
  const { audioSampleRate, ...rest } = options;
  return StudioEngine.create({
    ...rest,
    audio: options.audio === false ? false : { workletUrl, ...(audioSampleRate ? { sampleRate: audioSampleRate } : {}) },
  });
}
