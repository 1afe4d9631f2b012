/**
 * The page the engine tests and the compositor benchmark drive: it loads the engine modules
 * (served by Vite from source, no UI) and hands them to `page.evaluate` as `window.tallyHarness`.
 */
import { BufferTarget, EncodedPacket, EncodedVideoPacketSource, Mp4OutputFormat, Output } from 'mediabunny';
import * as engine from '../../../renderer/engine/index.ts';
import { benchCompositor, type CompositorBenchOptions } from './compositor-bench.ts';
import { applySceneCommand, type SceneCommand } from '../../../common/scene/commands.ts';
import { emptyCollection, type SceneCollection } from '../../../common/scene/schema.ts';

type SceneCommandSource = Extract<SceneCommand, { type: 'addSource' }>['source'];
type SceneCommandItem = Extract<SceneCommand, { type: 'addItem' }>['item'];

/** Draws a test picture on a canvas and returns it as a PNG blob URL. */
export async function pictureUrl(
  width: number,
  height: number,
  paint: (context: OffscreenCanvasRenderingContext2D) => void,
): Promise<string> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D context');
  paint(context);
  return URL.createObjectURL(await canvas.convertToBlob({ type: 'image/png' }));
}

/** A PNG blob URL of raw RGBA pixels. */
async function pixelsUrl(width: number, height: number, rgba: Uint8ClampedArray): Promise<string> {
  return pictureUrl(width, height, (context) => context.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0));
}

/** The RGBA of one pixel of a `readProgram()` result. */
function pixelAt(picture: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const offset = (y * picture.width + x) * 4;
  return Array.from(picture.data.subarray(offset, offset + 4));
}

/** A one-scene collection on a canvas of `width`x`height` holding `sources` and `items` (bottom first). */
export function collectionOf(width: number, height: number, sources: SceneCommandSource[], items: SceneCommandItem[]): SceneCollection {
  let collection = emptyCollection('test', 'Test', { width, height });
  for (const source of sources) collection = applySceneCommand(collection, { type: 'addSource', source });
  for (const item of items) collection = applySceneCommand(collection, { type: 'addItem', sceneId: 'scene-1', item });
  return collection;
}

/** Resolves on the canvas's next `webglcontextrestored`. */
function nextRestore(canvas: EventTarget): Promise<void> {
  return new Promise((resolve) => canvas.addEventListener('webglcontextrestored', () => resolve(), { once: true }));
}

/** Muxes what a MemorySink caught into an MP4 (mediabunny), for ffprobe on the Node side. */
async function muxMp4(sink: engine.MemorySink, fps: number): Promise<Uint8Array> {
  const config = sink.configs[0];
  if (!config?.description) throw new Error('the encoder gave no avcC');
  const target = new BufferTarget();
  const output = new Output({ format: new Mp4OutputFormat(), target });
  const video = new EncodedVideoPacketSource('avc');
  output.addVideoTrack(video, { frameRate: fps });
  await output.start();
  for (const [index, chunk] of sink.chunks.entries()) {
    const packet = new EncodedPacket(
      new Uint8Array(chunk.data),
      chunk.keyframe ? 'key' : 'delta',
      chunk.timestampUs / 1e6,
      chunk.durationUs / 1e6,
    );
    await video.add(
      packet,
      index === 0
        ? { decoderConfig: { codec: config.codec, codedWidth: config.width, codedHeight: config.height, description: config.description } }
        : undefined,
    );
  }
  video.close();
  await output.finalize();
  return new Uint8Array(target.buffer!);
}

const base = { ...engine, collectionOf, pictureUrl };
const harness = {
  ...engine,
  applySceneCommand,
  emptyCollection,
  pictureUrl,
  pixelsUrl,
  pixelAt,
  collectionOf,
  nextRestore,
  muxMp4,
  benchCompositor: (options: CompositorBenchOptions) => benchCompositor(base, options),
};

/** What `window.tallyHarness` holds. */
export type TallyHarness = typeof harness;

(window as unknown as { tallyHarness: TallyHarness }).tallyHarness = harness;
document.title = 'ready';
