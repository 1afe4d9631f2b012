/**
 * Engine features the studio UI relies on, in Chromium without the UI: a live view of one
 * source with and without its filters (the source and filter dialogs), monitoring that keeps
 * a source out of the output while it is heard, and a 44.1 kHz mix.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TallyHarness } from './harness/engine-harness.ts';
import { useEnginePage } from './support/engine-harness.ts';

declare const tallyHarness: TallyHarness;

const dir = mkdtempSync(join(tmpdir(), 'tally-engine-studio-'));
const harness = useEnginePage();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the engine for the studio UI', () => {
  it('shows one source in a dialog view through its filters, or without them, and program keeps its filters', async () => {
    const result = await harness.page().evaluate(async () => {
      const t = tallyHarness;
      const engine = await t.createStudioEngine({ output: { width: 64, height: 36, fps: 30 }, audio: false, frameLoop: false });
      engine.load(
        t.collectionOf(
          64,
          36,
          [
            {
              id: 'red',
              name: 'Red',
              settings: { kind: 'color', color: '#ff0000', width: 40, height: 20 },
              filters: [{ id: 'grey', settings: { kind: 'colorCorrection', saturation: -1 } }],
            },
          ],
          [{ id: 'i', sourceId: 'red', scale: { x: 1.6, y: 1.8 } }],
        ),
      );
      await engine.whenSourcesStarted();
      const view = document.createElement('canvas');
      view.width = 40;
      view.height = 40;
      const handle = engine.attachSourceView(view, 'red');
      const centre = () => Array.from(view.getContext('2d')!.getImageData(20, 20, 1, 1).data);
      const corner = () => Array.from(view.getContext('2d')!.getImageData(1, 1, 1, 1).data);
      engine.renderFrame();
      const filtered = { centre: centre(), corner: corner() };
      handle.setBypassFilters(true);
      engine.renderFrame();
      const bypassed = centre();
      const program = t.pixelAt(engine.readProgram(), 32, 18);
      handle.dispose();
      engine.dispose();
      return { filtered, bypassed, program };
    });
    // Saturation -1 turns red grey; without the filter it is red; the 40x20 source is letterboxed in the 40x40 view.
    const [r, g, b] = result.filtered.centre;
    expect(Math.abs(r! - g!)).toBeLessThan(8);
    expect(Math.abs(g! - b!)).toBeLessThan(8);
    expect(result.filtered.corner.slice(0, 3)).toEqual([0, 0, 0]);
    expect(result.bypassed[0]).toBeGreaterThan(240);
    expect(result.bypassed[1]).toBeLessThan(10);
    const [pr, pg] = result.program;
    expect(Math.abs(pr! - pg!)).toBeLessThan(8);
  });

  it('a source monitored only is heard on its strip and left out of the output; monitor and output puts it back', async () => {
    const file = join(dir, 'tone.mp4');
    execFileSync('ffmpeg', [
      '-v', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=32x18:r=10:d=3', '-f', 'lavfi', '-i', 'sine=f=440:d=3',
      '-c:v', 'libx264', '-g', '10', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-y', file,
    ]); // prettier-ignore
    const result = await harness.page().evaluate(async (data) => {
      const t = tallyHarness;
      const url = URL.createObjectURL(await (await fetch(`data:video/mp4;base64,${data}`)).blob());
      const engine = await t.createStudioEngine({ output: { width: 32, height: 18, fps: 10 }, audioSampleRate: 44_100 });
      engine.load(
        t.collectionOf(
          32,
          18,
          [{ id: 'tone', name: 'Tone', settings: { kind: 'media', url, loop: true }, audio: { monitoring: 'monitorOnly' } }],
          [{ id: 'i', sourceId: 'tone' }],
        ),
      );
      await engine.whenSourcesStarted();
      await engine.resumeAudio();
      const sink = new t.MemorySink();
      await engine.startEncoding({ bitrateKbps: 100, keyframeIntervalSec: 1 }, sink);
      const levelsOver = async (ms: number) => {
        let strip = 0;
        let master = 0;
        const startedAt = performance.now();
        while (performance.now() - startedAt < ms) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          const meters = engine.meters();
          strip = Math.max(strip, meters?.sources.tone?.peak[0] ?? 0);
          master = Math.max(master, meters?.master.peak[0] ?? 0);
        }
        return { strip, master };
      };
      await levelsOver(300);
      const monitoredOnly = await levelsOver(700);
      engine.dispatch({ type: 'setAudio', sourceId: 'tone', audio: { monitoring: 'monitorAndOutput' } });
      await levelsOver(200);
      const both = await levelsOver(700);
      await engine.stopEncoding();
      const pcm = sink.pcm.map((block) => ({ sampleRate: block.sampleRate, frames: block.frames }));
      engine.dispose();
      URL.revokeObjectURL(url);
      return { monitoredOnly, both, pcm: pcm.slice(0, 3) };
    }, readFileSync(file).toString('base64'));
    expect(result.monitoredOnly.strip).toBeGreaterThan(0.1);
    expect(result.monitoredOnly.master).toBeLessThan(0.001);
    expect(result.both.master).toBeGreaterThan(0.1);
    // The mix runs at the chosen 44.1 kHz: 20 ms blocks of 882 frames, each saying its rate.
    expect(result.pcm.length).toBeGreaterThan(0);
    for (const block of result.pcm) expect(block).toEqual({ sampleRate: 44_100, frames: 882 });
  });
});
