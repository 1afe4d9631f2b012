/**
 * The beauty filter, measured rather than eyeballed, on a synthetic portrait: a skin-toned
 * face with sensor-like noise, dark textured hair, eyes, lips and a noisy blue background.
 * Smoothing must flatten the skin's noise, keep the face's outline as sharp, leave what is
 * not skin alone, and every strength at 0 must be exactly the unfiltered picture.
 */
import { describe, expect, it } from 'vitest';
import type { TallyHarness } from './harness/engine-harness.ts';
import { useEnginePage } from './support/engine-harness.ts';

declare const tallyHarness: TallyHarness;

const harness = useEnginePage();

interface Measures {
  skinVariance: number;
  skinMeanLuma: number;
  edgeGradient: number;
  backgroundMeanAbsDiff: number;
  hairVariance: number;
  hairMeanAbsDiff: number;
  backgroundMeanLuma: number;
  identical: boolean;
}

/** Renders the portrait through a beauty filter with `settings` (or none) and measures regions. */
function measure(
  settings: { smoothing: number; whitening: number; sharpening: number } | null,
): Promise<{ plain: Measures; filtered: Measures }> {
  return harness.page().evaluate(async (settings) => {
    const t = tallyHarness;
    const size = 256;
    let seed = 987654321;
    const uniform = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const gaussian = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
    const rgba = new Uint8ClampedArray(size * size * 4);
    const inEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) =>
      ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        let color = [64, 96, 160]; // background
        let noise = 8;
        if (inEllipse(x, y, 128, 140, 70, 90)) color = [224, 172, 140]; // face
        if (y < 70 && inEllipse(x, y, 128, 110, 85, 75)) {
          color = [60, 40, 30]; // hair, with strands
          color = color.map((c) => c + (x % 6 < 3 ? 18 : -10));
          noise = 6;
        }
        if (inEllipse(x, y, 100, 125, 12, 6) || inEllipse(x, y, 156, 125, 12, 6)) color = [245, 245, 245];
        if (inEllipse(x, y, 100, 125, 5, 5) || inEllipse(x, y, 156, 125, 5, 5)) color = [30, 20, 15];
        if (inEllipse(x, y, 128, 195, 22, 8)) color = [200, 70, 80]; // lips
        const n = gaussian() * noise;
        const offset = (y * size + x) * 4;
        rgba[offset] = color[0]! + n;
        rgba[offset + 1] = color[1]! + n;
        rgba[offset + 2] = color[2]! + n;
        rgba[offset + 3] = 255;
      }
    const url = await t.pixelsUrl(size, size, rgba);
    const engine = await t.createStudioEngine({ output: { width: size, height: size, fps: 30 }, frameLoop: false, audio: false });
    const render = async (
      filters: Array<{ id: string; settings: { kind: 'beauty'; smoothing: number; whitening: number; sharpening: number } }>,
    ) => {
      engine.load(
        t.collectionOf(
          size,
          size,
          [{ id: 'cam', name: 'Portrait', settings: { kind: 'image', url }, filters }],
          [{ id: 'i', sourceId: 'cam' }],
        ),
      );
      await engine.whenSourcesStarted();
      return engine.readProgram().data;
    };
    const plain = await render([]);
    const filtered = await render(settings ? [{ id: 'b', settings: { kind: 'beauty', ...settings } }] : []);
    engine.dispose();

    const luma = (data: Uint8Array, x: number, y: number) => {
      const o = (y * size + x) * 4;
      return 0.299 * data[o]! + 0.587 * data[o + 1]! + 0.114 * data[o + 2]!;
    };
    const region = (data: Uint8Array, x0: number, y0: number, x1: number, y1: number) => {
      const values: number[] = [];
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) values.push(luma(data, x, y));
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      return { mean, variance: values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length };
    };
    const meanAbsDiff = (a: Uint8Array, b: Uint8Array, x0: number, y0: number, x1: number, y1: number) => {
      let sum = 0;
      let n = 0;
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++)
          for (let c = 0; c < 3; c++) {
            sum += Math.abs(a[(y * size + x) * 4 + c]! - b[(y * size + x) * 4 + c]!);
            n++;
          }
      return sum / n;
    };
    // The face's left outline crosses x = 58 at y = 140: the strongest step between x = 50 and 66.
    const edgeGradient = (data: Uint8Array) => {
      let total = 0;
      for (let y = 130; y < 150; y++) {
        let best = 0;
        for (let x = 50; x < 66; x++) best = Math.max(best, Math.abs(luma(data, x + 1, y) - luma(data, x - 1, y)));
        total += best;
      }
      return total / 20;
    };
    const measures = (data: Uint8Array) => {
      const skin = region(data, 110, 145, 146, 180); // cheeks and nose, away from eyes and lips
      const hair = region(data, 100, 45, 156, 62);
      return {
        skinVariance: skin.variance,
        skinMeanLuma: skin.mean,
        edgeGradient: edgeGradient(data),
        backgroundMeanAbsDiff: meanAbsDiff(data, plain, 4, 4, 40, 250),
        backgroundMeanLuma: region(data, 4, 150, 40, 250).mean,
        hairVariance: hair.variance,
        hairMeanAbsDiff: meanAbsDiff(data, plain, 100, 45, 156, 62),
        identical: data.every((value, index) => value === plain[index]),
      };
    };
    return { plain: measures(plain), filtered: measures(filtered) };
  }, settings);
}

describe('the beauty filter, measured on a synthetic portrait with noise', () => {
  it('at its default strengths: skin noise drops substantially, the outline stays sharp, non-skin barely changes', async () => {
    const { plain, filtered } = await measure({ smoothing: 0.5, whitening: 0.2, sharpening: 0.3 });
    expect(plain.skinVariance).toBeGreaterThan(40); // the noise is there to remove
    expect(filtered.skinVariance).toBeLessThan(plain.skinVariance * 0.3);
    expect(filtered.edgeGradient).toBeGreaterThan(plain.edgeGradient * 0.85);
    // Only the sharpening (with its noise threshold) touches non-skin: under 1 % of the range on average.
    expect(filtered.backgroundMeanAbsDiff).toBeLessThan(2.5);
    expect(filtered.hairMeanAbsDiff).toBeLessThan(4);
    expect(filtered.hairVariance).toBeGreaterThan(plain.hairVariance * 0.9);
    // Whitening brightens skin and only skin.
    expect(filtered.skinMeanLuma).toBeGreaterThan(plain.skinMeanLuma + 3);
    expect(Math.abs(filtered.backgroundMeanLuma - plain.backgroundMeanLuma)).toBeLessThan(0.5);
  });

  it('at full smoothing the skin is smoother still and the outline still holds', async () => {
    const { plain, filtered } = await measure({ smoothing: 1, whitening: 0, sharpening: 0 });
    expect(filtered.skinVariance).toBeLessThan(plain.skinVariance * 0.15);
    expect(filtered.edgeGradient).toBeGreaterThan(plain.edgeGradient * 0.8);
    expect(filtered.backgroundMeanAbsDiff).toBeLessThan(1);
  });

  it('every strength at 0 gives exactly the unfiltered picture; each strength alone changes only its part', async () => {
    expect((await measure({ smoothing: 0, whitening: 0, sharpening: 0 })).filtered.identical).toBe(true);
    const whitenOnly = await measure({ smoothing: 0, whitening: 0.6, sharpening: 0 });
    expect(whitenOnly.filtered.skinMeanLuma).toBeGreaterThan(whitenOnly.plain.skinMeanLuma + 5);
    // No smoothing: what variance goes is the log curve's gentler slope in the highlights.
    expect(whitenOnly.filtered.skinVariance).toBeGreaterThan(whitenOnly.plain.skinVariance * 0.4);
    expect(whitenOnly.filtered.backgroundMeanAbsDiff).toBeLessThan(0.5);
    const sharpenOnly = await measure({ smoothing: 0, whitening: 0, sharpening: 1 });
    expect(sharpenOnly.filtered.edgeGradient).toBeGreaterThan(sharpenOnly.plain.edgeGradient);
    expect(Math.abs(sharpenOnly.filtered.skinMeanLuma - sharpenOnly.plain.skinMeanLuma)).toBeLessThan(1);
  });
});
