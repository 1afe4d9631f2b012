import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importObsCollection, ObsImportError, obsColor } from './obs-import.ts';
import { SceneCollection } from './schema.ts';
import { itemGeometry } from './transforms.ts';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../test/fixtures/obs/scene-collection.json'), 'utf8')) as Record<
  string,
  unknown
>;

describe('importing an OBS scene collection', () => {
  const { collection, notes, counts } = importObsCollection(fixture, { id: 'imported' });
  const source = (name: string) => collection.sources.find((candidate) => candidate.name === name);
  const scene = (name: string) => collection.scenes.find((candidate) => candidate.name === name)!;
  const itemOf = (sceneName: string, sourceName: string) => scene(sceneName).items.find((item) => item.sourceId === source(sourceName)?.id);

  it('keeps the scenes in OBS’s order, with program and preview', () => {
    expect(collection.name).toBe('Evening Show');
    expect(collection.scenes.map((candidate) => candidate.name)).toEqual(['Live', 'Be Right Back', 'Picture in picture']);
    expect(collection.programSceneId).toBe(scene('Live').id);
    expect(collection.previewSceneId).toBe(scene('Be Right Back').id);
    expect(collection.transition).toEqual({ kind: 'fade', durationMs: 500 });
    expect(counts).toMatchObject({ scenes: 3 });
  });

  it('maps each supported source type with its settings', () => {
    expect(source('Webcam')?.settings).toEqual({ kind: 'camera', deviceId: null, width: 1920, height: 1080, fps: 30 });
    expect(source('Logo')?.settings).toEqual({ kind: 'image', url: '/C:/Users/host/Pictures/logo.png' });
    expect(source('Loop video')?.settings).toEqual({
      kind: 'media',
      url: '/home/host/Videos/brb-loop.mp4',
      loop: true,
      restartOnActivate: true,
    });
    expect(source('Backdrop')?.settings).toEqual({ kind: 'color', color: '#1d2440ff', width: 1920, height: 1080 });
    expect(source('Display Capture')?.settings).toMatchObject({ kind: 'screen', captureSourceId: null });
    expect(source('Mic/Aux')?.settings.kind).toBe('microphone');
    expect(source('Desktop Audio')?.settings.kind).toBe('desktopAudio');
    const title = source('Title')?.settings;
    expect(title).toMatchObject({
      kind: 'text',
      text: 'Evening Show — live',
      style: {
        fontFamily: 'Arial',
        fontSizePx: 64,
        fontWeight: 700,
        italic: false,
        color: '#ffffffff',
        outline: { color: '#000000ff', widthPx: 4 },
        background: { color: '#33333399' },
      },
    });
    expect(source('Clock')?.settings).toMatchObject({ kind: 'text', style: { italic: true, color: '#ffff00ff' } });
  });

  it('keeps volume, mute, sync offset and monitoring', () => {
    expect(source('Mic/Aux')?.audio).toEqual({ gainDb: -6, muted: false, syncOffsetMs: 120, monitoring: 'off' });
    expect(source('Desktop Audio')?.audio.muted).toBe(true);
    expect(source('Loop video')?.audio).toMatchObject({ gainDb: -12, monitoring: 'monitorAndOutput' });
  });

  it('maps chroma key and colour correction filters, in order, enabled or not', () => {
    expect(source('Webcam')?.filters.map((filter) => [filter.name, filter.enabled, filter.settings])).toEqual([
      ['Green screen', true, { kind: 'chromaKey', keyColor: '#00ff00', similarity: 0.42, smoothness: 0.06, spillReduction: 0.15 }],
      [
        'Color Correction',
        false,
        { kind: 'colorCorrection', brightness: 0.05, contrast: 0.2, saturation: 0.3, gamma: -0.1, hueShiftDeg: 4 },
      ],
    ]);
  });

  it('shares one source between the scenes that show it, as OBS does', () => {
    const webcamItems = collection.scenes.flatMap((candidate) => candidate.items).filter((item) => item.sourceId === source('Webcam')!.id);
    expect(webcamItems).toHaveLength(2);
    expect(collection.sources.filter((candidate) => candidate.name === 'Webcam')).toHaveLength(1);
  });

  it('converts OBS placement (alignment point, bounds, rotation about that point) into the same picture on the canvas', () => {
    // A 1920x1080 camera in a 1920x1080 inner bounding box fills the canvas; the lock is kept.
    expect(itemOf('Live', 'Webcam')).toMatchObject({ position: { x: 0, y: 0 }, scale: { x: 1, y: 1 }, locked: true });
    // A centred item (align 0) at (960, 540), half size: the same centre.
    const loop = itemOf('Be Right Back', 'Loop video')!;
    const geometry = itemGeometry(loop, { width: 1920, height: 1080 })!;
    const centre = { x: (geometry.corners[0].x + geometry.corners[2].x) / 2, y: (geometry.corners[0].y + geometry.corners[2].y) / 2 };
    expect(centre.x).toBeCloseTo(960);
    expect(centre.y).toBeCloseTo(540);
    // Top-right aligned (align 6) and turned 15° about its top-right corner, which therefore stays at (1800, 40).
    const logo = itemOf('Live', 'Logo')!;
    const logoGeometry = itemGeometry(logo, { width: 1920, height: 1080 })!;
    expect(logoGeometry.corners[1].x).toBeCloseTo(1800);
    expect(logoGeometry.corners[1].y).toBeCloseTo(40);
    expect(logo.rotationDeg).toBe(15);
    // Crop and visibility come across.
    expect(itemOf('Picture in picture', 'Display Capture')?.crop).toEqual({ left: 0, top: 0, right: 0, bottom: 40 });
    expect(itemOf('Live', 'Clock')?.visible).toBe(false);
  });

  it('takes a plainly moved group apart into items at the same place', () => {
    expect(itemOf('Live', 'Lower third bar')?.position).toEqual({ x: 60, y: 880 });
    expect(itemOf('Live', 'Host name')?.position).toEqual({ x: 84, y: 910 });
  });

  it('reports what it could not map, and what it changed', () => {
    const skipped = notes.filter((note) => note.severity === 'skipped').map((note) => `${note.subject}: ${note.message}`);
    expect(skipped).toEqual(
      expect.arrayContaining([
        'Chat overlay: Tally has no browser sources',
        'Live: Tally has no scenes nested in other scenes',
        'Slides: Tally has no image slide shows',
        'Webcam › LUT: Tally has no “clut_filter” filter',
        'Mic/Aux › Noise Suppression: Tally has no “noise_suppress_filter_v2” filter',
      ]),
    );
    expect(skipped).toHaveLength(5);
    const changed = notes.filter((note) => note.severity === 'changed');
    expect(changed.map((note) => note.subject)).toEqual(
      expect.arrayContaining(['Canvas', 'Logo', 'Loop video', 'Lower third', 'Back soon text']),
    );
    expect(collection.canvas).toEqual({ width: 1920, height: 1080 });
    expect(changed.find((note) => note.subject === 'Logo' && /check its position/.test(note.message))).toBeTruthy();
  });

  it('turns OBS colours (0xAABBGGRR) into CSS hex', () => {
    expect(obsColor(0xff0000ff, '#000')).toBe('#ff0000ff');
    expect(obsColor(0x80ff0000, '#000')).toBe('#0000ff80');
    expect(obsColor(0x00ffffff, '#000', true)).toBe('#ffffff');
    expect(obsColor(-1, '#123456')).toBe('#123456');
  });

  it('refuses what is not an OBS collection, with a clear error', () => {
    expect(() => importObsCollection([], { id: 'x' })).toThrow(ObsImportError);
    expect(() => importObsCollection({ sources: [{ id: 'image_source' }] }, { id: 'x' })).toThrow(/no OBS scenes/);
    expect(() => importObsCollection(SceneCollection.parse(collection), { id: 'x' })).toThrow(/no OBS scenes/);
  });
});

describe('importing OBS collections (fuzz)', () => {
  const outcome = (value: unknown) => {
    try {
      const { collection } = importObsCollection(value, { id: 'fuzz' });
      return SceneCollection.safeParse(collection).success;
    } catch (error) {
      return error instanceof ObsImportError;
    }
  };

  it('any JSON either imports as a valid collection or fails with an ObsImportError', () => {
    fc.assert(fc.property(fc.jsonValue(), outcome), { numRuns: 300 });
  });

  it('a real collection with any field of any source, item or the root replaced still imports or fails cleanly', () => {
    const sources = fixture.sources as Array<Record<string, unknown>>;
    fc.assert(
      fc.property(
        fc.nat({ max: sources.length - 1 }),
        fc.constantFrom('settings', 'id', 'name', 'uuid', 'filters', 'volume', 'sync', 'monitoring_type', 'items', 'pos', 'scale'),
        fc.jsonValue(),
        fc.constantFrom('source', 'item', 'root'),
        (index, key, replacement, where) => {
          const copy = structuredClone<Record<string, unknown>>(fixture);
          const copySources = copy.sources as Array<Record<string, unknown>>;
          if (where === 'root') copy[Object.keys(copy)[index % Object.keys(copy).length]!] = replacement;
          else if (where === 'source') copySources[index]![key] = replacement;
          else {
            const items = (copySources[0]!.settings as { items: Array<Record<string, unknown>> }).items;
            items[index % items.length]![key] = replacement;
          }
          return outcome(copy);
        },
      ),
      { numRuns: 400 },
    );
  });
});
