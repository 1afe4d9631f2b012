/**
 * The scene model: a collection holds sources and scenes; a scene holds items that show a
 * source. A source is shared by every scene that shows it (as in OBS), so its settings,
 * filters and audio live once, on the source. Pure data, validated with zod, serialisable
 * as JSON and versioned (`SCENE_COLLECTION_VERSION`, see `migrations.ts`).
 */
import { z } from 'zod';

/** The version of the collection format this build writes. */
export const SCENE_COLLECTION_VERSION = 1;

/** An sRGB colour with alpha, `#rrggbb` or `#rrggbbaa`. */
export const Color = z.string().regex(/^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/, 'a colour is #rrggbb or #rrggbbaa');
export type Color = z.infer<typeof Color>;

/** An id: short, URL-safe, unique within its collection. */
export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'ids are 1-64 characters of A-Z a-z 0-9 _ -');

const unit = z.number().min(0).max(1);
const signedUnit = z.number().min(-1).max(1);
/** A URL a source loads from: http(s) on the studio's origin, data:, blob: or the app's own scheme. */
const MediaUrl = z
  .string()
  .max(64 * 1024 * 1024)
  .regex(/^(https?:|data:|blob:|tally:|\/)/, 'a media URL is http(s):, data:, blob:, tally: or a path');

/** Text style shared by the text, clock and countdown sources. */
export const TextStyle = z.object({
  fontFamily: z.string().min(1).max(200).default('sans-serif'),
  fontSizePx: z.number().min(4).max(1000).default(48),
  fontWeight: z.number().int().min(100).max(900).default(600),
  italic: z.boolean().default(false),
  color: Color.default('#ffffff'),
  /** Outline drawn around the glyphs; `widthPx` 0 means none. */
  outline: z.object({ color: Color, widthPx: z.number().min(0).max(100) }).default({ color: '#000000', widthPx: 0 }),
  /** Box behind the text; transparent means none. */
  background: z.object({ color: Color, paddingPx: z.number().min(0).max(500) }).default({ color: '#00000000', paddingPx: 8 }),
  align: z.enum(['left', 'center', 'right']).default('left'),
});
export type TextStyle = z.infer<typeof TextStyle>;

/** What a source shows or plays, by kind. */
export const SourceSettings = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('camera'),
    /** `null` picks the default camera. */
    deviceId: z.string().max(500).nullable().default(null),
    width: z.number().int().min(16).max(7680).default(1280),
    height: z.number().int().min(16).max(4320).default(720),
    fps: z.number().min(1).max(120).default(30),
  }),
  z.object({
    kind: z.literal('screen'),
    /** An Electron desktopCapturer id from `capture.listScreenSources()`; `null` asks with getDisplayMedia. */
    captureSourceId: z.string().max(500).nullable().default(null),
    fps: z.number().min(1).max(120).default(30),
    /** Capture the shared tab's or screen's audio too, where the platform offers it. */
    withAudio: z.boolean().default(false),
  }),
  z.object({
    kind: z.literal('microphone'),
    deviceId: z.string().max(500).nullable().default(null),
  }),
  z.object({ kind: z.literal('desktopAudio') }),
  z.object({ kind: z.literal('image'), url: MediaUrl }),
  z.object({ kind: z.literal('text'), text: z.string().max(10_000), style: TextStyle.default(TextStyle.parse({})) }),
  z.object({
    kind: z.literal('color'),
    color: Color,
    width: z.number().int().min(1).max(16384).default(1920),
    height: z.number().int().min(1).max(16384).default(1080),
  }),
  z.object({
    kind: z.literal('media'),
    url: MediaUrl,
    loop: z.boolean().default(true),
    /** Play from the start whenever a scene showing it goes to program (OBS's "restart playback when source becomes active"). */
    restartOnActivate: z.boolean().default(false),
  }),
  z.object({
    kind: z.literal('clock'),
    /** `clock` shows the time of day; `countdown` counts down to `targetEpochMs`. */
    mode: z.enum(['clock', 'countdown']).default('clock'),
    targetEpochMs: z.number().nullable().default(null),
    /** Shown when a countdown reaches zero. */
    endText: z.string().max(200).default('00:00'),
    showSeconds: z.boolean().default(true),
    style: TextStyle.default(TextStyle.parse({})),
  }),
]);
export type SourceSettings = z.infer<typeof SourceSettings>;
/** A source kind name. */
export type SourceKind = SourceSettings['kind'];

/** Kinds that have a picture. */
export const VISUAL_SOURCE_KINDS: ReadonlySet<SourceKind> = new Set(['camera', 'screen', 'image', 'text', 'color', 'media', 'clock']);
/** Kinds that may have sound. */
export const AUDIO_SOURCE_KINDS: ReadonlySet<SourceKind> = new Set(['microphone', 'desktopAudio', 'media', 'screen']);

/** The beauty filter's strengths; each 0 turns its part off exactly. */
export const BeautySettings = z.object({
  /** Edge-preserving skin smoothing. */
  smoothing: unit.default(0.5),
  /** Brightening of skin tones. */
  whitening: unit.default(0.2),
  /** Sharpening of features outside the skin (eyes, hair, lips). */
  sharpening: unit.default(0.3),
});
export type BeautySettings = z.infer<typeof BeautySettings>;

/** A filter, by kind, with its settings. Filters run in list order. */
export const FilterSettings = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('beauty'), ...BeautySettings.shape }),
  z.object({
    kind: z.literal('chromaKey'),
    keyColor: Color.default('#00ff00'),
    /** How close to the key a colour must be to vanish (OBS's similarity, 0..1). */
    similarity: unit.default(0.4),
    /** Width of the soft edge past `similarity`. */
    smoothness: unit.default(0.08),
    /** How much of the key colour's spill to remove from what remains. */
    spillReduction: unit.default(0.1),
  }),
  z.object({
    kind: z.literal('colorCorrection'),
    brightness: signedUnit.default(0),
    contrast: signedUnit.default(0),
    saturation: signedUnit.default(0),
    /** Gamma as an exponent shift: -1 brightens mid-tones, +1 darkens. */
    gamma: signedUnit.default(0),
    hueShiftDeg: z.number().min(-180).max(180).default(0),
  }),
  z.object({
    kind: z.literal('privacy'),
    mode: z.enum(['blur', 'pixelate']).default('blur'),
    /** Blur radius or pixel block size, in source pixels. */
    sizePx: z.number().min(1).max(256).default(24),
  }),
]);
export type FilterSettings = z.infer<typeof FilterSettings>;
/** A filter kind name. */
export type FilterKind = FilterSettings['kind'];

/** One entry of a source's filter list. */
export const Filter = z.object({
  id: Id,
  name: z.string().max(200).default(''),
  enabled: z.boolean().default(true),
  settings: FilterSettings,
});
export type Filter = z.infer<typeof Filter>;

/** Per-source audio, for the kinds with sound. */
export const AudioSettings = z.object({
  gainDb: z.number().min(-60).max(24).default(0),
  muted: z.boolean().default(false),
  /** Delay applied to this source's sound, to line it up with a later picture. */
  syncOffsetMs: z.number().min(0).max(5000).default(0),
  /**
   * Who hears it: `off` only the output; `monitorOnly` only the studio's speakers (the output
   * gets none of it); `monitorAndOutput` both.
   */
  monitoring: z.enum(['off', 'monitorOnly', 'monitorAndOutput']).default('off'),
});
export type AudioSettings = z.infer<typeof AudioSettings>;

/** A source: shared by every scene item that shows it. */
export const Source = z.object({
  id: Id,
  name: z.string().min(1).max(200),
  settings: SourceSettings,
  filters: z.array(Filter).max(32).default([]),
  audio: AudioSettings.default(AudioSettings.parse({})),
});
export type Source = z.infer<typeof Source>;

/** Pixels cut from each edge of the source before it is scaled. */
export const Crop = z.object({
  left: z.number().min(0).default(0),
  top: z.number().min(0).default(0),
  right: z.number().min(0).default(0),
  bottom: z.number().min(0).default(0),
});
export type Crop = z.infer<typeof Crop>;

/**
 * One source placed in a scene. `position` is the top-left corner of the (cropped, scaled,
 * unrotated) box in canvas pixels; rotation turns the box about its centre.
 */
export const SceneItem = z.object({
  id: Id,
  sourceId: Id,
  position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
  scale: z.object({ x: z.number().min(-100).max(100), y: z.number().min(-100).max(100) }).default({ x: 1, y: 1 }),
  rotationDeg: z.number().min(-360).max(360).default(0),
  crop: Crop.default(Crop.parse({})),
  opacity: unit.default(1),
  visible: z.boolean().default(true),
  /** A locked item cannot be moved or resized in the editor; the engine still draws it. */
  locked: z.boolean().default(false),
});
export type SceneItem = z.infer<typeof SceneItem>;

/** A scene. Its items are in z-order: the first is drawn first, at the bottom. */
export const Scene = z.object({
  id: Id,
  name: z.string().min(1).max(200),
  items: z.array(SceneItem).max(500).default([]),
});
export type Scene = z.infer<typeof Scene>;

/** How program changes to the next scene. */
export const Transition = z.object({
  kind: z.enum(['cut', 'fade', 'slide']).default('fade'),
  durationMs: z.number().int().min(0).max(10_000).default(300),
});
export type Transition = z.infer<typeof Transition>;

/** The canvas scenes are laid out on (OBS's base resolution); the engine scales it to the output. */
export const Canvas = z.object({
  width: z.number().int().min(16).max(7680).default(1280),
  height: z.number().int().min(16).max(4320).default(720),
});
export type Canvas = z.infer<typeof Canvas>;

/** A whole scene collection, as stored and as the engine runs it. */
export const SceneCollection = z
  .object({
    version: z.literal(SCENE_COLLECTION_VERSION),
    id: Id,
    name: z.string().min(1).max(200),
    canvas: Canvas.default(Canvas.parse({})),
    sources: z.array(Source).max(1000),
    scenes: z.array(Scene).min(1).max(200),
    /** The scene on program (what viewers see). */
    programSceneId: Id,
    /** The scene on preview in studio mode. */
    previewSceneId: Id,
    transition: Transition.default(Transition.parse({})),
  })
  .superRefine((collection, context) => {
    const sourceIds = new Set<string>();
    for (const source of collection.sources) {
      if (sourceIds.has(source.id)) context.addIssue({ code: 'custom', message: `source id ${source.id} is used twice` });
      sourceIds.add(source.id);
      const filterIds = new Set(source.filters.map((filter) => filter.id));
      if (filterIds.size !== source.filters.length)
        context.addIssue({ code: 'custom', message: `source ${source.id} repeats a filter id` });
    }
    const sceneIds = new Set<string>();
    const itemIds = new Set<string>();
    for (const scene of collection.scenes) {
      if (sceneIds.has(scene.id)) context.addIssue({ code: 'custom', message: `scene id ${scene.id} is used twice` });
      sceneIds.add(scene.id);
      for (const item of scene.items) {
        if (itemIds.has(item.id)) context.addIssue({ code: 'custom', message: `item id ${item.id} is used twice` });
        itemIds.add(item.id);
        if (!sourceIds.has(item.sourceId))
          context.addIssue({ code: 'custom', message: `item ${item.id} shows source ${item.sourceId}, which is not in the collection` });
      }
    }
    for (const key of ['programSceneId', 'previewSceneId'] as const) {
      if (!sceneIds.has(collection[key])) context.addIssue({ code: 'custom', message: `${key} ${collection[key]} is not a scene` });
    }
  });
export type SceneCollection = z.infer<typeof SceneCollection>;
/** A collection as written by hand or by older code: defaults not yet filled in. */
export type SceneCollectionInput = z.input<typeof SceneCollection>;

/** A new collection with one empty scene. */
export function emptyCollection(id: string, name: string, canvas: Partial<Canvas> = {}): SceneCollection {
  return SceneCollection.parse({
    version: SCENE_COLLECTION_VERSION,
    id,
    name,
    canvas,
    sources: [],
    scenes: [{ id: 'scene-1', name: 'Scene 1', items: [] }],
    programSceneId: 'scene-1',
    previewSceneId: 'scene-1',
  });
}
