/**
 * The page side of `bench/compositor.bench.ts`: a 720p30 scene with the fake camera (1280x720)
 * and two overlays (a lower-third text and a logo image), rendered with the beauty filter off
 * and on in alternating rounds. Each frame waits for the GPU (CPU-rendered GL runs in another
 * process), so the times are whole frames.
 */
import type { BeautySettings } from '../../../common/scene/schema.ts';
import type * as engineModule from '../../../renderer/engine/index.ts';
import type { collectionOf as CollectionOf, pictureUrl as PictureUrl } from './engine-harness.ts';

/** What the benchmark asks for. */
export interface CompositorBenchOptions {
  rounds: number;
  framesPerRound: number;
  beautySettings: Partial<BeautySettings>;
}

/** What it measured: ms per frame of each mode, and what ran. */
export interface CompositorBenchResult {
  renderer: string;
  camera: { width: number | null; height: number | null };
  off: number[];
  on: number[];
}

/** Renders the benchmark scene with beauty off and on, alternating rounds. */
export async function benchCompositor(
  t: typeof engineModule & { collectionOf: typeof CollectionOf; pictureUrl: typeof PictureUrl },
  { rounds, framesPerRound, beautySettings }: CompositorBenchOptions,
): Promise<CompositorBenchResult> {
  const logo = await t.pictureUrl(256, 256, (context) => {
    context.fillStyle = 'rgba(255, 200, 0, 0.85)';
    context.beginPath();
    context.arc(128, 128, 120, 0, Math.PI * 2);
    context.fill();
    context.fillStyle = '#102040';
    context.font = 'bold 96px sans-serif';
    context.fillText('T', 95, 160);
  });
  const engine = await t.createStudioEngine({ output: { width: 1280, height: 720, fps: 30 }, frameLoop: false, audio: false });
  const collection = (beauty: boolean) =>
    t.collectionOf(
      1280,
      720,
      [
        {
          id: 'cam',
          name: 'Camera',
          settings: { kind: 'camera', width: 1280, height: 720, fps: 30 },
          filters: beauty ? [{ id: 'beauty', settings: { kind: 'beauty', ...beautySettings } }] : [],
        },
        {
          id: 'title',
          name: 'Lower third',
          settings: {
            kind: 'text',
            text: 'Tally Studio — live',
            style: { fontSizePx: 48, background: { color: '#000000b0', paddingPx: 16 } },
          },
        },
        { id: 'logo', name: 'Logo', settings: { kind: 'image', url: logo } },
      ],
      [
        { id: 'c', sourceId: 'cam' },
        { id: 't', sourceId: 'title', position: { x: 60, y: 580 } },
        { id: 'l', sourceId: 'logo', position: { x: 1080, y: 40 }, scale: { x: 0.6, y: 0.6 } },
      ],
    );
  engine.load(collection(false));
  await engine.whenSourcesStarted();
  const gl = engine.gl;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  const measure = async (frames: number) => {
    const times: number[] = [];
    for (let i = 0; i < frames; i++) {
      // Let the camera deliver frames between renders, as the real loop does.
      await new Promise((resolve) => setTimeout(resolve, 1));
      const started = performance.now();
      engine.renderFrame();
      engine.finish();
      times.push(performance.now() - started);
    }
    return times;
  };
  const off: number[] = [];
  const on: number[] = [];
  for (const beauty of [false, true]) {
    engine.load(collection(beauty));
    await measure(8); // warm-up: shaders, textures, render targets
  }
  for (let round = 0; round < rounds; round++) {
    for (const beauty of round % 2 ? [true, false] : [false, true]) {
      // Only the filter list changes: the camera keeps running.
      engine.load(collection(beauty));
      (beauty ? on : off).push(...(await measure(framesPerRound)));
    }
  }
  const camera = engine.getSnapshot().sources.cam!;
  engine.dispose();
  return { renderer, camera: { width: camera.width, height: camera.height }, off, on };
}
