/**
 * The compositor in real Chromium (WebGL2 on SwiftShader here): what lands on the program's
 * pixels for known pictures, placements, filters and transitions. Small outputs keep it fast.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TallyHarness } from './harness/engine-harness.ts';
import { useEnginePage } from './support/engine-harness.ts';

declare const tallyHarness: TallyHarness;

const harness = useEnginePage();

const near = (actual: number[], expected: number[], tolerance = 2) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, index) =>
    expect(
      Math.abs(value - expected[index]!),
      `channel ${index} of [${actual.join(', ')}] vs [${expected.join(', ')}]`,
    ).toBeLessThanOrEqual(tolerance),
  );
};

describe('the compositor places sources on the program', () => {
  it('puts a cropped, scaled image exactly where its item says, and nothing of what was cropped', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      // Four 10-pixel columns: red, green, blue, white.
      const url = await t.pictureUrl(40, 20, (context) => {
        ['#ff0000', '#00ff00', '#0000ff', '#ffffff'].forEach((color, index) => {
          context.fillStyle = color;
          context.fillRect(index * 10, 0, 10, 20);
        });
      });
      const engine = await t.createStudioEngine({ output: { width: 64, height: 48, fps: 30 }, frameLoop: false, audio: false });
      engine.load(
        t.collectionOf(
          64,
          48,
          [{ id: 'img', name: 'Image', settings: { kind: 'image', url } }],
          [
            // Crop the red and white columns away, then double: a 40x40 box at (8, 4).
            { id: 'i', sourceId: 'img', position: { x: 8, y: 4 }, scale: { x: 2, y: 2 }, crop: { left: 10, top: 0, right: 10, bottom: 0 } },
          ],
        ),
      );
      await engine.whenSourcesStarted();
      const picture = engine.readProgram();
      let red = 0;
      let white = 0;
      for (let offset = 0; offset < picture.data.length; offset += 4) {
        const [r, g, b] = [picture.data[offset]!, picture.data[offset + 1]!, picture.data[offset + 2]!];
        if (r > 128 && g < 64 && b < 64) red++;
        if (r > 200 && g > 200 && b > 200) white++;
      }
      const samples = {
        green: t.pixelAt(picture, 10, 6),
        greenEdge: t.pixelAt(picture, 26, 40),
        blue: t.pixelAt(picture, 30, 6),
        blueCorner: t.pixelAt(picture, 47, 43),
        leftOf: t.pixelAt(picture, 7, 20),
        rightOf: t.pixelAt(picture, 48, 20),
        above: t.pixelAt(picture, 20, 3),
        below: t.pixelAt(picture, 20, 44),
      };
      engine.dispose();
      return { samples, red, white };
    });
    near(result.samples.green, [0, 255, 0, 255]);
    near(result.samples.greenEdge, [0, 255, 0, 255]);
    near(result.samples.blue, [0, 0, 255, 255]);
    near(result.samples.blueCorner, [0, 0, 255, 255]);
    for (const outside of [result.samples.leftOf, result.samples.rightOf, result.samples.above, result.samples.below])
      near(outside, [0, 0, 0, 255]);
    expect(result.red).toBe(0);
    expect(result.white).toBe(0);
  });

  it('blends by opacity, respects z-order, and follows a reorder', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      const engine = await t.createStudioEngine({ output: { width: 32, height: 32, fps: 30 }, frameLoop: false, audio: false });
      engine.load(
        t.collectionOf(
          32,
          32,
          [
            { id: 'red', name: 'Red', settings: { kind: 'color', color: '#ff0000', width: 20, height: 20 } },
            { id: 'blue', name: 'Blue', settings: { kind: 'color', color: '#0000ff', width: 20, height: 20 } },
            { id: 'white', name: 'White', settings: { kind: 'color', color: '#ffffff', width: 32, height: 4 } },
          ],
          [
            { id: 'r', sourceId: 'red', position: { x: 0, y: 0 } },
            { id: 'b', sourceId: 'blue', position: { x: 12, y: 12 } },
            { id: 'w', sourceId: 'white', position: { x: 0, y: 28 }, opacity: 0.5 },
          ],
        ),
      );
      await engine.whenSourcesStarted();
      const before = engine.readProgram();
      const overlapBlueOnTop = t.pixelAt(before, 15, 15);
      const halfWhiteOverBlack = t.pixelAt(before, 2, 30);
      engine.dispatch({ type: 'moveItem', itemId: 'b', toIndex: 0 });
      engine.dispatch({ type: 'updateItem', itemId: 'r', patch: { opacity: 0.25 } });
      const after = engine.readProgram();
      const overlapRedQuarterOverBlue = t.pixelAt(after, 15, 15);
      engine.dispatch({ type: 'updateItem', itemId: 'r', patch: { visible: false } });
      const hidden = t.pixelAt(engine.readProgram(), 5, 5);
      engine.dispose();
      return { overlapBlueOnTop, halfWhiteOverBlack, overlapRedQuarterOverBlue, hidden };
    });
    near(result.overlapBlueOnTop, [0, 0, 255, 255]);
    near(result.halfWhiteOverBlack, [128, 128, 128, 255]);
    // 25 % red over blue: r = 0.25·255, b = 0.75·255.
    near(result.overlapRedQuarterOverBlue, [64, 0, 191, 255]);
    near(result.hidden, [0, 0, 0, 255]);
  });

  it('rotates about the item centre and scales the canvas to the output size', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      // Canvas 32x32, output 64x64: every canvas pixel is 2x2 output pixels.
      const engine = await t.createStudioEngine({ output: { width: 64, height: 64, fps: 30 }, frameLoop: false, audio: false });
      engine.load(
        t.collectionOf(
          32,
          32,
          [{ id: 'bar', name: 'Bar', settings: { kind: 'color', color: '#ffff00', width: 20, height: 4 } }],
          [
            // A 20x4 bar centred at (16, 16), turned upright.
            { id: 'i', sourceId: 'bar', position: { x: 6, y: 14 }, rotationDeg: 90 },
          ],
        ),
      );
      await engine.whenSourcesStarted();
      const picture = engine.readProgram();
      const result = {
        top: t.pixelAt(picture, 32, 16),
        bottom: t.pixelAt(picture, 32, 50),
        leftWing: t.pixelAt(picture, 16, 32),
        rightWing: t.pixelAt(picture, 48, 32),
      };
      engine.dispose();
      return result;
    });
    near(result.top, [255, 255, 0, 255]);
    near(result.bottom, [255, 255, 0, 255]);
    near(result.leftWing, [0, 0, 0, 255]);
    near(result.rightWing, [0, 0, 0, 255]);
  });
});

describe('filters on a source', () => {
  it('chroma key makes a green background transparent and keeps the subject', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      const url = await t.pictureUrl(32, 32, (context) => {
        context.fillStyle = '#00ff00';
        context.fillRect(0, 0, 32, 32);
        context.fillStyle = '#d04030';
        context.fillRect(10, 10, 12, 12);
      });
      const engine = await t.createStudioEngine({ output: { width: 32, height: 32, fps: 30 }, frameLoop: false, audio: false });
      engine.load(
        t.collectionOf(
          32,
          32,
          [
            { id: 'backdrop', name: 'Backdrop', settings: { kind: 'color', color: '#2040ff', width: 32, height: 32 } },
            { id: 'cam', name: 'Keyed', settings: { kind: 'image', url }, filters: [{ id: 'k', settings: { kind: 'chromaKey' } }] },
          ],
          [
            { id: 'b', sourceId: 'backdrop' },
            { id: 'c', sourceId: 'cam' },
          ],
        ),
      );
      await engine.whenSourcesStarted();
      const picture = engine.readProgram();
      const result = { background: t.pixelAt(picture, 3, 3), subject: t.pixelAt(picture, 16, 16) };
      engine.dispose();
      return result;
    });
    near(result.background, [0x20, 0x40, 0xff, 255], 3);
    near(result.subject, [0xd0, 0x40, 0x30, 255], 6);
  });

  it('colour correction desaturates, pixelate makes uniform blocks, blur flattens detail', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      // Deterministic noise.
      let seed = 12345;
      const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 255;
      const rgba = new Uint8ClampedArray(64 * 64 * 4).map((_, index) => (index % 4 === 3 ? 255 : random()));
      const url = await t.pixelsUrl(64, 64, rgba);
      const engine = await t.createStudioEngine({ output: { width: 64, height: 64, fps: 30 }, frameLoop: false, audio: false });
      const withFilter = (filters: Array<{ id: string; settings: never }>) => {
        engine.load(
          t.collectionOf(64, 64, [{ id: 'n', name: 'Noise', settings: { kind: 'image', url }, filters }], [{ id: 'i', sourceId: 'n' }]),
        );
        return engine.whenSourcesStarted().then(() => engine.readProgram());
      };
      const variance = (picture: { data: Uint8Array }) => {
        let sum = 0;
        let squares = 0;
        const n = picture.data.length / 4;
        for (let offset = 0; offset < picture.data.length; offset += 4) {
          sum += picture.data[offset]!;
          squares += picture.data[offset]! ** 2;
        }
        return squares / n - (sum / n) ** 2;
      };
      const plain = await withFilter([]);
      const grey = await withFilter([{ id: 'c', settings: { kind: 'colorCorrection', saturation: -1 } as never }]);
      const pixelated = await withFilter([{ id: 'p', settings: { kind: 'privacy', mode: 'pixelate', sizePx: 8 } as never }]);
      const blurred = await withFilter([{ id: 'p', settings: { kind: 'privacy', mode: 'blur', sizePx: 12 } as never }]);
      let greyMaxSpread = 0;
      for (let offset = 0; offset < grey.data.length; offset += 4) {
        const channels = [grey.data[offset]!, grey.data[offset + 1]!, grey.data[offset + 2]!];
        greyMaxSpread = Math.max(greyMaxSpread, Math.max(...channels) - Math.min(...channels));
      }
      let blocksUniform = true;
      for (let by = 0; by < 8; by++)
        for (let bx = 0; bx < 8; bx++) {
          const first = t.pixelAt(pixelated, bx * 8, by * 8).join();
          for (let y = 0; y < 8; y++)
            for (let x = 0; x < 8; x++) if (t.pixelAt(pixelated, bx * 8 + x, by * 8 + y).join() !== first) blocksUniform = false;
        }
      engine.dispose();
      return {
        greyMaxSpread,
        blocksUniform,
        plainVariance: variance(plain),
        pixelVariance: variance(pixelated),
        blurVariance: variance(blurred),
      };
    });
    expect(result.greyMaxSpread).toBeLessThanOrEqual(2);
    expect(result.blocksUniform).toBe(true);
    expect(result.plainVariance).toBeGreaterThan(4000); // uniform noise: about 255²/12
    expect(result.blurVariance).toBeLessThan(result.plainVariance * 0.05);
  });
});

describe('sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-gif-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('plays an animated GIF (made by ffmpeg) frame by frame on the engine clock', async () => {
    const gif = join(dir, 'red-blue.gif');
    execFileSync('ffmpeg', [
      '-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=16x16:d=0.5:r=10', '-f', 'lavfi', '-i', 'color=c=blue:s=16x16:d=0.5:r=10',
      '-filter_complex', '[0][1]concat=n=2:v=1', '-loop', '0', '-y', gif,
    ]); // prettier-ignore
    const base64 = readFileSync(gif).toString('base64');
    const result = await harness.page().evaluate(async (data) => {
      const t = tallyHarness;
      const clock = { ms: 0 };
      const engine = await t.createStudioEngine({
        output: { width: 16, height: 16, fps: 30 },
        frameLoop: false,
        audio: false,
        now: () => clock.ms,
      });
      engine.load(
        t.collectionOf(
          16,
          16,
          [{ id: 'gif', name: 'GIF', settings: { kind: 'image', url: `data:image/gif;base64,${data}` } }],
          [{ id: 'i', sourceId: 'gif' }],
        ),
      );
      await engine.whenSourcesStarted();
      const frames = [0, 250, 700, 1100].map((ms) => {
        clock.ms = ms;
        return t.pixelAt(engine.readProgram(), 8, 8);
      });
      const status = engine.getSnapshot().sources.gif;
      engine.dispose();
      return { frames, status };
    }, base64);
    expect(result.status).toMatchObject({ state: 'ready', width: 16, height: 16 });
    const [first, second, third, looped] = result.frames;
    expect(first![0]).toBeGreaterThan(200); // red
    expect(second![0]).toBeGreaterThan(200);
    expect(third![2]).toBeGreaterThan(150); // blue (ffmpeg's default GIF palette has 170 for it)
    expect(third![0]).toBeLessThan(50);
    expect(looped![0]).toBeGreaterThan(200); // back to red after 1 s
  });

  it('reports a broken image and a broken media file as errors on their sources, and the rest of the scene still renders', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      const engine = await t.createStudioEngine({ output: { width: 16, height: 16, fps: 30 }, frameLoop: false, audio: false });
      engine.load(
        t.collectionOf(
          16,
          16,
          [
            { id: 'bg', name: 'Bg', settings: { kind: 'color', color: '#00ff00', width: 16, height: 16 } },
            { id: 'bad', name: 'Bad', settings: { kind: 'image', url: 'data:image/png;base64,bm90IGFuIGltYWdl' } },
            { id: 'badClip', name: 'Bad clip', settings: { kind: 'media', url: 'data:video/mp4;base64,bm90IGEgdmlkZW8=' } },
          ],
          [
            { id: 'a', sourceId: 'bg' },
            { id: 'b', sourceId: 'bad' },
            { id: 'c', sourceId: 'badClip' },
          ],
        ),
      );
      await engine.whenSourcesStarted();
      const sources = engine.getSnapshot().sources;
      const result = { status: sources.bad, clip: sources.badClip, pixel: t.pixelAt(engine.readProgram(), 8, 8) };
      engine.dispose();
      return result;
    });
    expect(result.status).toMatchObject({ state: 'error', message: expect.stringMatching(/decode|image/i) as unknown });
    expect(result.clip).toMatchObject({ state: 'error', message: expect.stringMatching(/cannot play media/) as unknown });
    near(result.pixel, [0, 255, 0, 255]);
  });

  it('draws text with its background and outline at the output resolution', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      const engine = await t.createStudioEngine({ output: { width: 256, height: 128, fps: 30 }, frameLoop: false, audio: false });
      const style = {
        fontSizePx: 20,
        color: '#ffffff',
        background: { color: '#0000ff', paddingPx: 4 },
        outline: { color: '#ff0000', widthPx: 2 },
      };
      // Canvas 128x64 → output 256x128: the text is rasterised at 2x, not stretched.
      engine.load(
        t.collectionOf(
          128,
          64,
          [{ id: 'txt', name: 'Title', settings: { kind: 'text', text: 'HI', style } }],
          [{ id: 'i', sourceId: 'txt', position: { x: 4, y: 4 } }],
        ),
      );
      await engine.whenSourcesStarted();
      const picture = engine.readProgram();
      const size = engine.getSnapshot().sources.txt!;
      const box = { right: Math.floor((4 + size.width!) * 2), bottom: Math.floor((4 + size.height!) * 2) };
      let white = 0;
      let red = 0;
      let blurred = 0;
      for (let y = 8; y < box.bottom - 1; y++)
        for (let x = 8; x < box.right - 1; x++) {
          const [r, g, b] = t.pixelAt(picture, x, y);
          if (r! > 240 && g! > 240 && b! > 240) white++;
          else if (r! > 200 && g! < 40 && b! < 40) red++;
          else if (!(r! < 20 && g! < 20 && b! > 235)) blurred++;
        }
      engine.dispose();
      return {
        size,
        white,
        red,
        blurred,
        background: t.pixelAt(picture, 10, box.bottom - 4),
        outside: t.pixelAt(picture, box.right + 4, 8),
      };
    });
    expect(result.size.width).toBeGreaterThan(30);
    expect(result.white).toBeGreaterThan(100);
    expect(result.red).toBeGreaterThan(50);
    near(result.background, [0, 0, 255, 255]);
    near(result.outside, [0, 0, 0, 255]);
    // Crisp: anti-aliased edge pixels are a small share of the glyph pixels, as at 1:1.
    expect(result.blurred).toBeLessThan((result.white + result.red) * 0.8);
  });
});

describe('program, preview and transitions', () => {
  it('fades, slides and cuts from program to preview in studio mode; the preview view shows the preview scene', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      const clock = { ms: 0 };
      const engine = await t.createStudioEngine({
        output: { width: 32, height: 16, fps: 30 },
        frameLoop: false,
        audio: false,
        now: () => clock.ms,
      });
      let collection = t.collectionOf(32, 16, [
        { id: 'red', name: 'Red', settings: { kind: 'color', color: '#ff0000', width: 32, height: 16 } },
        { id: 'blue', name: 'Blue', settings: { kind: 'color', color: '#0000ff', width: 32, height: 16 } },
      ], [{ id: 'r', sourceId: 'red' }]); // prettier-ignore
      collection = t.applySceneCommand(collection, {
        type: 'addScene',
        scene: { id: 'scene-2', name: 'Blue', items: [{ id: 'b', sourceId: 'blue' }] },
      });
      engine.load(collection);
      await engine.whenSourcesStarted();
      engine.setStudioMode(true);
      engine.dispatch({ type: 'setPreviewScene', sceneId: 'scene-2' });
      const view = document.createElement('canvas');
      engine.attachPreview(view);
      engine.renderFrame();
      const previewPixel = Array.from(view.getContext('2d')!.getImageData(16, 8, 1, 1).data);
      const programBefore = t.pixelAt(engine.readProgram(), 16, 8);

      engine.transition({ kind: 'fade', durationMs: 1000 });
      clock.ms = 500;
      const midFade = t.pixelAt(engine.readProgram(), 16, 8);
      const during = engine.getSnapshot().transition;
      clock.ms = 1000;
      const afterFade = t.pixelAt(engine.readProgram(), 16, 8);

      engine.dispatch({ type: 'setPreviewScene', sceneId: 'scene-1' });
      engine.transition({ kind: 'slide', durationMs: 1000 });
      clock.ms = 1500;
      const slid = engine.readProgram();
      const slide = { left: t.pixelAt(slid, 4, 8), right: t.pixelAt(slid, 28, 8) };

      engine.dispatch({ type: 'setPreviewScene', sceneId: 'scene-2' });
      clock.ms = 3000;
      engine.transition({ kind: 'cut' });
      const cut = t.pixelAt(engine.readProgram(), 16, 8);
      const programScene = engine.getSnapshot().collection.programSceneId;
      engine.dispose();
      return { previewPixel, programBefore, midFade, during, afterFade, slide, cut, programScene };
    });
    near(result.previewPixel, [0, 0, 255, 255]);
    near(result.programBefore, [255, 0, 0, 255]);
    near(result.midFade, [128, 0, 128, 255], 3);
    expect(result.during).toMatchObject({ kind: 'fade', toSceneId: 'scene-2' });
    near(result.afterFade, [0, 0, 255, 255]);
    // Halfway through a slide from blue to red: the old scene's right half is on the left.
    near(result.slide.left, [0, 0, 255, 255]);
    near(result.slide.right, [255, 0, 0, 255]);
    near(result.cut, [0, 0, 255, 255]);
    expect(result.programScene).toBe('scene-2');
  });

  it('takes a PNG screenshot of the program at full output resolution', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      const engine = await t.createStudioEngine({ output: { width: 320, height: 180, fps: 30 }, frameLoop: false, audio: false });
      engine.load(
        t.collectionOf(
          160,
          90,
          [{ id: 'c', name: 'C', settings: { kind: 'color', color: '#ff8000', width: 80, height: 90 } }],
          [{ id: 'i', sourceId: 'c' }],
        ),
      );
      await engine.whenSourcesStarted();
      const blob = await engine.screenshot();
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      const result = {
        type: blob.type,
        magic: Array.from(new Uint8Array(await blob.slice(0, 4).arrayBuffer())),
        width: bitmap.width,
        height: bitmap.height,
        left: Array.from(context.getImageData(10, 170, 1, 1).data),
        right: Array.from(context.getImageData(300, 10, 1, 1).data),
      };
      engine.dispose();
      return result;
    });
    expect(result).toMatchObject({ type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47], width: 320, height: 180 });
    near(result.left, [255, 128, 0, 255]);
    near(result.right, [0, 0, 0, 255]);
  });
});

describe('the frame loop', () => {
  it('keeps drawing when the GPU driver never signals its fences (a fault injected into clientWaitSync), one frame a second at worst', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      const proto = WebGL2RenderingContext.prototype;
      const real = Object.getOwnPropertyDescriptor(proto, 'clientWaitSync')!;
      // What a stuck driver answers: never signalled.
      Object.defineProperty(proto, 'clientWaitSync', { ...real, value: () => WebGL2RenderingContext.TIMEOUT_EXPIRED });
      try {
        const engine = await t.createStudioEngine({ output: { width: 32, height: 18, fps: 30 }, audio: false });
        engine.load(
          t.collectionOf(
            32,
            18,
            [{ id: 'c', name: 'C', settings: { kind: 'color', color: '#ffffff', width: 32, height: 18 } }],
            [{ id: 'i', sourceId: 'c' }],
          ),
        );
        await engine.whenSourcesStarted();
        const before = engine.getSnapshot().stats.framesRendered;
        await new Promise((resolve) => setTimeout(resolve, 3500));
        const after = engine.getSnapshot().stats;
        engine.dispose();
        return { drawn: after.framesRendered - before, skipped: after.framesSkippedRenderLag };
      } finally {
        Object.defineProperty(proto, 'clientWaitSync', real);
      }
    });
    // About 3 in 3.5 s, each after a second's wait; the frames between count as skipped for rendering lag.
    expect(result.drawn).toBeGreaterThanOrEqual(2);
    expect(result.skipped).toBeGreaterThan(30);
  });
});

describe('WebGL context loss', () => {
  it('survives losing and restoring the context: textures and programs are rebuilt and rendering continues', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      const url = await t.pictureUrl(16, 16, (context) => {
        context.fillStyle = '#00ff00';
        context.fillRect(0, 0, 16, 16);
      });
      const engine = await t.createStudioEngine({ output: { width: 16, height: 16, fps: 30 }, frameLoop: false, audio: false });
      engine.load(
        t.collectionOf(
          16,
          16,
          [
            {
              id: 'img',
              name: 'Image',
              settings: { kind: 'image', url },
              filters: [{ id: 'cc', settings: { kind: 'colorCorrection', brightness: 0.2 } }],
            },
          ],
          [{ id: 'i', sourceId: 'img' }],
        ),
      );
      await engine.whenSourcesStarted();
      const before = t.pixelAt(engine.readProgram(), 8, 8);
      const lose = engine.gl.getExtension('WEBGL_lose_context')!;
      const lost = new Promise((resolve) => engine.canvas.addEventListener('webglcontextlost', resolve, { once: true }));
      lose.loseContext();
      await lost;
      // Chromium allows the restore only once the lost event's dispatch has finished.
      await new Promise((resolve) => setTimeout(resolve, 0));
      engine.renderFrame(); // skipped quietly while lost
      const lostStats = engine.getStats();
      const restored = t.nextRestore(engine.canvas);
      lose.restoreContext();
      await restored;
      engine.renderFrame();
      const after = t.pixelAt(engine.readProgram(), 8, 8);
      const stats = engine.getStats();
      engine.dispose();
      return { before, after, lostStats, stats };
    });
    expect(result.before[1]).toBe(255);
    expect(result.before[0]).toBeGreaterThan(20); // brightened by 0.1: r and b lifted from 0 to about 26
    expect(result.lostStats.contextLosses).toBe(1);
    expect(result.after).toEqual(result.before);
    expect(result.stats).toMatchObject({ contextLosses: 1, contextRestores: 1 });
  });
});
