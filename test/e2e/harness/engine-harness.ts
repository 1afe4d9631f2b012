/**
 * The page the engine tests and the compositor benchmark drive: it loads the engine modules
 * (served by Vite from source, no UI) and hands them to `page.evaluate` as `window.tallyHarness`.
 */
import * as engine from '../../../renderer/engine/index.ts';
import { applySceneCommand } from '../../../common/scene/commands.ts';
import { emptyCollection } from '../../../common/scene/schema.ts';

/** Draws a test picture on a canvas and returns it as a PNG blob URL. */
async function pictureUrl(width: number, height: number, paint: (context: OffscreenCanvasRenderingContext2D) => void): Promise<string> {
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

const harness = { ...engine, applySceneCommand, emptyCollection, pictureUrl, pixelsUrl };

/** What `window.tallyHarness` holds. */
export type TallyHarness = typeof harness;

(window as unknown as { tallyHarness: TallyHarness }).tallyHarness = harness;
document.title = 'ready';
