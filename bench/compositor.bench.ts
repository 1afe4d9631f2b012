/**
 * `npm run bench:compositor`: the compositor at 720p30 with one camera (Chromium's fake
 * device at 1280x720) and two overlays (a lower-third text and a logo image), with the
 * beauty filter off and on, in the same page, alternating rounds so both see the same
 * machine. Prints ms per frame (GPU work included: each frame waits for the GPU), fps, and
 * the ratio. Target: beauty costs at most 1.5x the plain composite.
 */
import { startEngineHarness } from '../test/e2e/support/engine-harness.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 4);
const FRAMES_PER_ROUND = Number(process.env.FRAMES ?? 40);
/** Beauty settings to measure, as JSON (default: the filter's defaults). */
const BEAUTY = JSON.parse(process.env.BEAUTY ?? '{}') as Record<string, number>;

interface PageResult {
  renderer: string;
  camera: { width: number | null; height: number | null };
  off: number[];
  on: number[];
}

const harness = await startEngineHarness();
try {
  const page = await harness.openPage();
  const result = (await page.evaluate(
    async ({ rounds, framesPerRound, beautySettings }) => {
      // Runs in the page: plain JavaScript over window.tallyHarness.
      const t = (globalThis as unknown as { tallyHarness: import('../test/e2e/harness/engine-harness.ts').TallyHarness }).tallyHarness;
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
              settings: { kind: 'text', text: 'Tally Studio — live', style: { fontSizePx: 48, background: { color: '#000000b0', paddingPx: 16 } } },
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
    },
    { rounds: ROUNDS, framesPerRound: FRAMES_PER_ROUND, beautySettings: BEAUTY },
  )) as PageResult;

  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  // The fastest quarter: least disturbed by whatever else the machine runs.
  const p25 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 4)]!;
  const rows = [
    { mode: 'plain composite (beauty off)', values: result.off },
    { mode: `beauty on (${Object.keys(BEAUTY).length ? JSON.stringify(BEAUTY) : 'defaults'})`, values: result.on },
  ].map(({ mode, values }) => ({
    mode,
    'median ms/frame': median(values).toFixed(2),
    'mean ms/frame': mean(values).toFixed(2),
    'p25 ms/frame': p25(values).toFixed(2),
    fps: (1000 / median(values)).toFixed(1),
    frames: values.length,
  }));
  console.log(`renderer: ${result.renderer}`);
  console.log(`scene: 1280x720 output, camera ${result.camera.width}x${result.camera.height} (fake device) + text lower third + logo image`);
  console.table(rows);
  const ratio = median(result.on) / median(result.off);
  console.log(`beauty / plain (median ms per frame): ${ratio.toFixed(2)}x (target ≤ 1.50x) ${ratio <= 1.5 ? 'OK' : 'OVER TARGET'}`);
  console.log(`beauty / plain (p25 ms per frame): ${(p25(result.on) / p25(result.off)).toFixed(2)}x`);
} finally {
  await harness.close();
}
