/**
 * The encoder session in Chromium: the host's dynamic bitrate changes the running WebCodecs
 * encoder in place (a configured VideoEncoder configured again), frames keep coming out at
 * the new rate, and the stream decodes across the change.
 */
import { describe, expect, it } from 'vitest';
import type { TallyHarness } from './harness/engine-harness.ts';
import { useEnginePage } from './support/engine-harness.ts';

declare const tallyHarness: TallyHarness;
const harness = useEnginePage();

describe('changing the bitrate of a running encoder', () => {
  it('lowers the bitrate in place: chunks keep coming, get smaller, and decode across the change', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      const clock = { ms: 0 };
      const engine = await t.createStudioEngine({
        output: { width: 320, height: 180, fps: 30 },
        frameLoop: false,
        audio: false,
        now: () => clock.ms,
      });
      // Noise is hard to compress, so the bitrate shows in the chunk sizes.
      const noise = new Uint8ClampedArray(320 * 180 * 4).map((_, i) => (i % 4 === 3 ? 255 : Math.random() * 255));
      const url = await t.pictureUrl(320, 180, (context) => context.putImageData(new ImageData(noise, 320, 180), 0, 0));
      engine.load(t.collectionOf(320, 180, [{ id: 'n', name: 'Noise', settings: { kind: 'image', url } }], [{ id: 'a', sourceId: 'n' }]));
      await engine.whenSourcesStarted();
      const sink = new t.MemorySink();
      await engine.startEncoding({ bitrateKbps: 3000, keyframeIntervalSec: 10 }, sink);
      const encode = async (from: number, to: number) => {
        for (let frame = from; frame < to; frame++) {
          clock.ms = (frame * 1000) / 30;
          engine.dispatch({ type: 'updateItem', itemId: 'a', patch: { position: { x: frame % 7, y: frame % 5 } } });
          while (engine.getStats().encodeQueue >= 3) await new Promise((resolve) => setTimeout(resolve, 2));
          engine.renderFrame(frame);
        }
      };
      await encode(0, 60);
      while (engine.getStats().encodeQueue > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const before = sink.chunks.length;
      engine.setEncodingBitrate(300);
      await encode(60, 150);
      const stats = engine.getStats();
      await engine.stopEncoding();
      const sizes = sink.chunks.map((chunk) => chunk.data.byteLength);
      const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
      let decoded = 0;
      let decodeError: string | null = null;
      const decoder = new VideoDecoder({ output: (frame) => (decoded++, frame.close()), error: (error) => (decodeError = error.message) });
      const config = sink.configs[0]!;
      decoder.configure({ codec: config.codec, codedWidth: 320, codedHeight: 180, description: config.description! });
      for (const chunk of sink.chunks)
        decoder.decode(new EncodedVideoChunk({ type: chunk.keyframe ? 'key' : 'delta', timestamp: chunk.timestampUs, data: chunk.data }));
      await decoder.flush();
      engine.dispose();
      return {
        before,
        total: sink.chunks.length,
        highMean: mean(sizes.slice(10, before)),
        lowMean: mean(sizes.slice(before + 30)),
        bitrateKbps: stats.encoder?.bitrateKbps,
        encoderError: stats.encoderError,
        decoded,
        decodeError,
      };
    });
    expect(result.encoderError).toBeNull();
    expect(result.bitrateKbps).toBe(300);
    expect(result.total).toBeGreaterThan(result.before + 60);
    expect(result.lowMean).toBeLessThan(result.highMean / 2);
    expect(result.decodeError).toBeNull();
    expect(result.decoded).toBe(result.total);
  });
});
