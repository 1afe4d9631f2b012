/**
 * Imports an OBS Studio scene collection (the JSON in `obs-studio/basic/scenes/*.json`) as a
 * Tally collection, with a report of everything that could not be mapped or was mapped only
 * approximately. Pure: it reads JSON, never files.
 *
 * What maps: scenes (in `scene_order`), their items (position, scale, rotation, crop,
 * visibility, lock, alignment and bounding boxes), groups whose own transform is a plain
 * move (flattened into the scene), the global audio devices, and these source types:
 * image, text (GDI+ and FreeType), colour, media (ffmpeg), camera (dshow, v4l2, AVFoundation),
 * screen and window capture, audio input and output capture; the filters chroma key and
 * colour correction; each source's volume, mute, sync offset and monitoring; and the
 * current transition (cut, fade, slide) with its duration.
 *
 * OBS places an item by an alignment point (`align`, flags left 1, right 2, top 4, bottom 8)
 * and turns it about that point; Tally places the unturned top-left and turns about the
 * centre, so the conversion needs the source's size. Colour sources and sized cameras carry
 * it; for other sources it is unknown until they run, and the canvas size stands in (noted
 * in the report when it mattered). Colours in OBS are 0xAABBGGRR integers.
 */
import { z } from 'zod';
import {
  SCENE_COLLECTION_VERSION,
  SceneCollection,
  TextStyle,
  type Canvas,
  type Filter,
  type SceneItem,
  type Source,
  type SourceSettings,
  type Transition,
} from './schema.ts';
import type { Size } from './transforms.ts';

/** One line of the import report. */
export interface ObsImportNote {
  /** `skipped`: not imported; `changed`: imported, but not exactly as it was in OBS. */
  severity: 'skipped' | 'changed';
  /** What it is about: a scene, source, item or filter name as OBS showed it. */
  subject: string;
  /** Why, in words for the user. */
  message: string;
}

/** What an import produced. */
export interface ObsImportResult {
  collection: SceneCollection;
  notes: ObsImportNote[];
  counts: { scenes: number; sources: number; items: number; filters: number };
}

/** Options of `importObsCollection`. */
export interface ObsImportOptions {
  /** The id of the new collection. */
  id: string;
  /**
   * The canvas (OBS's base resolution, which lives in the OBS profile, not the collection);
   * used when the file does not say. Default 1920x1080.
   */
  canvas?: Canvas;
}

/** A file that is not an OBS scene collection at all. */
export class ObsImportError extends Error {
  override readonly name = 'ObsImportError';
}

// ---- reading untrusted JSON ------------------------------------------------------------

type Json = Record<string, unknown>;

function object(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}
function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}
function number(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}
function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** An OBS 0xAABBGGRR colour as `#rrggbbaa` (or `#rrggbb` when `opaque`). */
export function obsColor(value: unknown, fallback: string, opaque = false): string {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) return fallback;
  const hex = (byte: number) => byte.toString(16).padStart(2, '0');
  const r = value & 0xff;
  const g = (value >>> 8) & 0xff;
  const b = (value >>> 16) & 0xff;
  const a = (value >>> 24) & 0xff;
  return opaque ? `#${hex(r)}${hex(g)}${hex(b)}` : `#${hex(r)}${hex(g)}${hex(b)}${hex(a)}`;
}

const CAMERA_IDS = new Set([
  'dshow_input',
  'v4l2_input',
  'av_capture_input',
  'av_capture_input_v2',
  'macos-avcapture',
  'macos-avcapture-fast',
]);
const SCREEN_IDS = new Set([
  'monitor_capture',
  'display_capture',
  'screen_capture',
  'xshm_input',
  'xshm_input_v2',
  'pipewire-desktop-capture-source',
  'pipewire-screen-capture-source',
]);
const WINDOW_IDS = new Set(['window_capture', 'xcomposite_input', 'pipewire-window-capture-source', 'game_capture']);
const MIC_IDS = new Set([
  'wasapi_input_capture',
  'pulse_input_capture',
  'alsa_input_capture',
  'coreaudio_input_capture',
  'jack_input_client',
]);
const DESKTOP_AUDIO_IDS = new Set([
  'wasapi_output_capture',
  'pulse_output_capture',
  'coreaudio_output_capture',
  'sck_audio_capture',
  'wasapi_process_output_capture',
]);
const TEXT_IDS = new Set(['text_gdiplus', 'text_gdiplus_v2', 'text_gdiplus_v3', 'text_ft2_source', 'text_ft2_source_v2']);
const COLOR_IDS = new Set(['color_source', 'color_source_v2', 'color_source_v3']);
/** Global audio devices live at the top level of the file under these keys. */
const GLOBAL_AUDIO_KEYS = [
  'DesktopAudioDevice1',
  'DesktopAudioDevice2',
  'AuxAudioDevice1',
  'AuxAudioDevice2',
  'AuxAudioDevice3',
  'AuxAudioDevice4',
];
/** Names OBS gives the source types Tally does not have, for the report. */
const UNSUPPORTED_NAMES: Record<string, string> = {
  browser_source: 'browser sources',
  slideshow: 'image slide shows',
  vlc_source: 'VLC playlists',
  ndi_source: 'NDI sources',
  decklink_input: 'Decklink capture',
  scene: 'scenes nested in other scenes',
};

/** Where an OBS source ends up: a Tally source, or a reason it does not. */
type Mapped = { source: Source; size: Size | null } | { skipped: string };

/** Imports an OBS scene collection; see the file comment. Throws `ObsImportError` only when the JSON is not one at all. */
export function importObsCollection(json: unknown, options: ObsImportOptions): ObsImportResult {
  const root = object(json);
  if (!root) throw new ObsImportError('an OBS scene collection is a JSON object');
  const allSources = array(root.sources)
    .map(object)
    .filter((entry): entry is Json => entry !== null);
  const sceneEntries = allSources.filter((entry) => entry.id === 'scene');
  if (sceneEntries.length === 0) throw new ObsImportError('this file has no OBS scenes (is it an OBS scene collection?)');
  const resolution = object(root.resolution);
  const canvas: Canvas = {
    width: Math.round(clamp(number(resolution?.x, options.canvas?.width ?? 1920), 16, 7680)),
    height: Math.round(clamp(number(resolution?.y, options.canvas?.height ?? 1080), 16, 4320)),
  };

  const notes: ObsImportNote[] = [];
  const note = (severity: ObsImportNote['severity'], subject: string, message: string) => notes.push({ severity, subject, message });
  if (!resolution)
    note(
      'changed',
      'Canvas',
      `OBS keeps its base resolution in its profile, not in the scene collection: the canvas is ${canvas.width}x${canvas.height}. If OBS used another, set it in Settings → Video`,
    );
  const counts = { scenes: 0, sources: 0, items: 0, filters: 0 };

  // Every source OBS knows by uuid (newer files) and by name (older files), groups included.
  const groups = array(root.groups)
    .map(object)
    .filter((entry): entry is Json => entry !== null);
  const byKey = new Map<string, Json>();
  for (const entry of [...allSources, ...groups]) {
    if (typeof entry.uuid === 'string') byKey.set(`uuid:${entry.uuid}`, entry);
    if (typeof entry.name === 'string') byKey.set(`name:${entry.name}`, entry);
  }
  const lookup = (item: Json): Json | undefined =>
    (typeof item.source_uuid === 'string' ? byKey.get(`uuid:${item.source_uuid}`) : undefined) ?? byKey.get(`name:${text(item.name)}`);

  const sources: Source[] = [];
  const mapped = new Map<Json, Mapped>();
  let sourceCounter = 0;
  const mapOnce = (entry: Json): Mapped => {
    const known = mapped.get(entry);
    if (known) return known;
    const result = mapSource(entry, `source-${++sourceCounter}`, canvas, note);
    mapped.set(entry, result);
    if ('source' in result) {
      sources.push(result.source);
      counts.sources++;
      counts.filters += result.source.filters.length;
    } else {
      note('skipped', text(entry.name, 'a source'), result.skipped);
    }
    return result;
  };

  // Scenes in the order OBS lists them, then any it forgot to list.
  const order = array(root.scene_order).map((entry) => text(object(entry)?.name));
  const ordered = [
    ...order.map((name) => sceneEntries.find((entry) => entry.name === name)).filter((entry): entry is Json => entry !== undefined),
    ...sceneEntries.filter((entry) => !order.includes(text(entry.name))),
  ].filter((entry, index, list) => list.indexOf(entry) === index);

  let itemCounter = 0;
  const usedSceneNames = new Set<string>();
  const scenes = ordered.slice(0, 200).map((entry, index) => {
    const name = sceneName(text(entry.name), index, usedSceneNames);
    const items: SceneItem[] = [];
    const addItem = (raw: Json, offset: { x: number; y: number }, where: string) => {
      const target = lookup(raw);
      const label = text(raw.name, 'an item');
      if (!target) return note('skipped', label, `in “${where}” it shows a source that is not in the file`);
      if (target.id === 'group') return addGroup(raw, target, where);
      const result = mapOnce(target);
      if (!('source' in result)) return;
      if (items.length >= 500) return note('skipped', label, `“${where}” already has 500 items, Tally's most`);
      const placed = placeItem(raw, result.size ?? canvas, offset);
      if (!result.size && placed.sizeMattered)
        note(
          'changed',
          label,
          `in “${where}” it was placed as if its picture were ${canvas.width}x${canvas.height} (its size is known only once it runs): check its position`,
        );
      if (placed.approximated) note('changed', label, `in “${where}”: ${placed.approximated}`);
      items.push({ id: `item-${++itemCounter}`, sourceId: result.source.id, ...placed.transform });
      counts.items++;
    };
    const addGroup = (raw: Json, group: Json, where: string) => {
      const label = text(group.name, 'a group');
      const scale = object(raw.scale);
      const plainMove =
        number(raw.rot, 0) === 0 &&
        number(scale?.x, 1) === 1 &&
        number(scale?.y, 1) === 1 &&
        number(raw.bounds_type, 0) === 0 &&
        number(raw.align, 5) === 5 &&
        ['crop_left', 'crop_top', 'crop_right', 'crop_bottom'].every((key) => number(raw[key], 0) === 0);
      const children = array(object(group.settings)?.items)
        .map(object)
        .filter((child): child is Json => child !== null);
      if (!plainMove) {
        note('skipped', label, `a group that is scaled, turned or cropped is not supported: its ${children.length} items were left out`);
        return;
      }
      const position = object(raw.pos);
      note('changed', label, `the group was taken apart: its ${children.length} items are now separate items of “${where}”`);
      const offset = { x: number(position?.x, 0), y: number(position?.y, 0) };
      for (const child of children) {
        const hidden = !flag(raw.visible, true);
        addItem(hidden ? { ...child, visible: false } : child, offset, where);
      }
    };
    for (const raw of array(object(entry.settings)?.items)) {
      const item = object(raw);
      if (item) addItem(item, { x: 0, y: 0 }, name);
    }
    counts.scenes++;
    return { id: `scene-${index + 1}`, name, items };
  });
  if (ordered.length > 200) note('skipped', `${ordered.length - 200} scenes`, 'Tally keeps at most 200 scenes in a collection');

  // Global audio devices: sources that belong to no scene, heard in every one.
  for (const key of GLOBAL_AUDIO_KEYS) {
    const entry = object(root[key]);
    if (entry) mapOnce(entry);
  }
  // Sources in no scene at all (OBS keeps them): import the ones Tally can run, so nothing set up is lost.
  for (const entry of allSources) if (entry.id !== 'scene' && !mapped.has(entry)) mapOnce(entry);

  const sceneIdByName = new Map(scenes.map((scene, index) => [text(ordered[index]!.name), scene.id]));
  const programSceneId =
    sceneIdByName.get(text(root.current_program_scene)) ?? sceneIdByName.get(text(root.current_scene)) ?? scenes[0]!.id;
  const previewSceneId = sceneIdByName.get(text(root.current_scene)) ?? programSceneId;

  const parsed = SceneCollection.safeParse({
    version: SCENE_COLLECTION_VERSION,
    id: options.id,
    name: text(root.name).trim().slice(0, 200) || 'Imported from OBS',
    canvas,
    sources: sources.slice(0, 1000),
    scenes,
    programSceneId,
    previewSceneId,
    transition: mapTransition(root, note),
  });
  if (!parsed.success) throw new ObsImportError(`the imported collection is not valid: ${z.prettifyError(parsed.error)}`);
  return { collection: parsed.data, notes, counts };
}

function sceneName(name: string, index: number, used: Set<string>): string {
  let candidate = name.trim().slice(0, 200) || `Scene ${index + 1}`;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${name.trim().slice(0, 190) || 'Scene'} ${n}`;
  used.add(candidate.toLowerCase());
  return candidate;
}

// ---- sources ---------------------------------------------------------------------------

function mapSource(
  entry: Json,
  id: string,
  canvas: Canvas,
  note: (severity: ObsImportNote['severity'], subject: string, message: string) => void,
): Mapped {
  const kind = text(entry.id);
  const name = text(entry.name).trim().slice(0, 200) || 'Untitled';
  const settings = object(entry.settings) ?? {};
  const changed = (message: string) => note('changed', name, message);
  let mappedSettings: SourceSettings;
  let size: Size | null = null;

  if (CAMERA_IDS.has(kind)) {
    const resolution = /^(\d{2,5})x(\d{2,5})$/.exec(text(settings.resolution));
    const width = resolution ? clamp(Number(resolution[1]), 16, 7680) : 1280;
    const height = resolution ? clamp(Number(resolution[2]), 16, 4320) : 720;
    // dshow stores the frame interval in 100 ns units.
    const interval = number(settings.frame_interval, 0);
    const fps = interval > 0 ? clamp(Math.round(10_000_000 / interval), 1, 120) : 30;
    mappedSettings = { kind: 'camera', deviceId: null, width, height, fps };
    if (resolution) size = { width, height };
    changed('uses this computer’s default camera: choose the camera in its properties');
  } else if (SCREEN_IDS.has(kind) || WINDOW_IDS.has(kind)) {
    mappedSettings = { kind: 'screen', captureSourceId: null, fps: 30, withAudio: false };
    size = { width: canvas.width, height: canvas.height };
    changed(
      kind === 'game_capture'
        ? 'game capture became screen capture: choose the window or screen in its properties'
        : 'asks which screen or window to capture: choose it in its properties',
    );
  } else if (MIC_IDS.has(kind)) {
    mappedSettings = { kind: 'microphone', deviceId: null };
    if (text(settings.device_id, 'default') !== 'default')
      changed('uses this computer’s default microphone: choose the device in its properties');
  } else if (DESKTOP_AUDIO_IDS.has(kind)) {
    mappedSettings = { kind: 'desktopAudio' };
    if (kind === 'wasapi_process_output_capture') changed('application audio became desktop audio');
  } else if (kind === 'image_source') {
    const file = text(settings.file);
    if (!file) return { skipped: 'an image source with no file' };
    mappedSettings = { kind: 'image', url: mediaUrl(file) };
    if (!/^https?:/i.test(file)) changed(`shows ${file} from the computer OBS ran on: choose the file again in its properties`);
  } else if (kind === 'ffmpeg_source') {
    const local = flag(settings.is_local_file, true);
    const file = local ? text(settings.local_file) : text(settings.input);
    if (!file) return { skipped: 'a media source with no file' };
    if (!local && !/^https?:/i.test(file)) return { skipped: `plays ${file.split(':')[0]} input, which Tally's media source cannot open` };
    mappedSettings = {
      kind: 'media',
      url: mediaUrl(file),
      loop: flag(settings.looping, false),
      restartOnActivate: flag(settings.restart_on_activate, true),
    };
    if (local) changed(`plays ${file} from the computer OBS ran on: choose the file again in its properties`);
  } else if (COLOR_IDS.has(kind)) {
    const width = Math.round(clamp(number(settings.width, canvas.width), 1, 16384));
    const height = Math.round(clamp(number(settings.height, canvas.height), 1, 16384));
    mappedSettings = { kind: 'color', color: obsColor(settings.color, '#ffffffff'), width, height };
    size = { width, height };
  } else if (TEXT_IDS.has(kind)) {
    mappedSettings = { kind: 'text', text: text(settings.text).slice(0, 10_000), style: textStyle(kind, settings, changed) };
    if (flag(settings.read_from_file, false) || flag(settings.from_file, false))
      changed('read its text from a file, which Tally does not: the text it had is kept');
  } else {
    return {
      skipped: UNSUPPORTED_NAMES[kind] ? `Tally has no ${UNSUPPORTED_NAMES[kind]}` : `Tally has no source of type “${kind || 'unknown'}”`,
    };
  }

  const source: Source = {
    id,
    name,
    settings: mappedSettings,
    filters: mapFilters(entry, id, note, name),
    audio: mapAudio(entry, changed),
  };
  return { source, size };
}

/** A file path from another computer, as a media URL: it will fail to load until the file is chosen again. */
function mediaUrl(file: string): string {
  if (/^(https?:|data:|blob:)/i.test(file)) return file;
  const path = file.replace(/\\/g, '/');
  return path.startsWith('/') ? path : `/${path}`;
}

function textStyle(kind: string, settings: Json, changed: (message: string) => void): TextStyle {
  const font = object(settings.font) ?? {};
  const flags = number(font.flags, 0);
  const gdi = kind.startsWith('text_gdiplus');
  const opacity = (key: string) => Math.round(clamp(number(settings[key], 100), 0, 100) * 2.55);
  const withAlpha = (color: string, alpha: number) => `${color}${alpha.toString(16).padStart(2, '0')}`;
  const color = gdi ? withAlpha(obsColor(settings.color, '#ffffff', true), opacity('opacity')) : obsColor(settings.color1, '#ffffffff');
  if (!gdi && settings.color2 !== undefined && settings.color2 !== settings.color1) changed('its colour gradient became one colour');
  if (flag(settings.drop_shadow, false)) changed('its drop shadow was left out');
  const outlined = flag(settings.outline, false);
  const align = text(settings.align);
  return TextStyle.parse({
    fontFamily: text(font.face).slice(0, 200) || 'sans-serif',
    fontSizePx: clamp(number(font.size, 48), 4, 1000),
    fontWeight: flags & 1 ? 700 : 400,
    italic: (flags & 2) !== 0,
    color,
    outline: outlined
      ? {
          color: gdi ? withAlpha(obsColor(settings.outline_color, '#000000', true), opacity('outline_opacity')) : '#000000',
          widthPx: clamp(gdi ? number(settings.outline_size, 2) : 2, 0, 100),
        }
      : { color: '#000000', widthPx: 0 },
    background: {
      color: gdi
        ? withAlpha(obsColor(settings.bk_color, '#000000', true), Math.round(clamp(number(settings.bk_opacity, 0), 0, 100) * 2.55))
        : '#00000000',
      paddingPx: 8,
    },
    align: align === 'center' || align === 'right' ? align : 'left',
  });
}

function mapAudio(entry: Json, changed: (message: string) => void): Source['audio'] {
  const volume = number(entry.volume, 1);
  const gainDb = volume <= 0 ? -60 : clamp(20 * Math.log10(volume), -60, 24);
  // OBS keeps the sync offset in nanoseconds, and allows it negative.
  const syncMs = number(entry.sync, 0) / 1e6;
  if (syncMs < 0) changed(`its sync offset of ${Math.round(syncMs)} ms became 0: Tally delays sound, it cannot advance it`);
  if (syncMs > 5000) changed(`its sync offset of ${Math.round(syncMs)} ms became 5000 ms, Tally's most`);
  const monitoring = number(entry.monitoring_type, 0);
  return {
    gainDb: Math.round(gainDb * 100) / 100,
    muted: flag(entry.muted, false),
    syncOffsetMs: Math.round(clamp(syncMs, 0, 5000)),
    monitoring: monitoring === 1 ? 'monitorOnly' : monitoring === 2 ? 'monitorAndOutput' : 'off',
  };
}

function mapFilters(
  entry: Json,
  sourceId: string,
  note: (severity: ObsImportNote['severity'], subject: string, message: string) => void,
  sourceName: string,
): Filter[] {
  const filters: Filter[] = [];
  for (const raw of array(entry.filters)) {
    const filter = object(raw);
    if (!filter) continue;
    const kind = text(filter.id);
    const name = text(filter.name, kind).slice(0, 200);
    const settings = object(filter.settings) ?? {};
    const subject = `${sourceName} › ${name}`;
    let mapped: Filter['settings'] | null = null;
    if (kind === 'chroma_key_filter' || kind === 'chroma_key_filter_v2') {
      const type = text(settings.key_color_type, 'green');
      const keyColor =
        type === 'custom'
          ? obsColor(settings.key_color, '#00ff00', true)
          : type === 'blue'
            ? '#0000ff'
            : type === 'magenta'
              ? '#ff00ff'
              : '#00ff00';
      mapped = {
        kind: 'chromaKey',
        keyColor,
        similarity: clamp(number(settings.similarity, 400) / 1000, 0, 1),
        smoothness: clamp(number(settings.smoothness, 80) / 1000, 0, 1),
        spillReduction: clamp(number(settings.spill, 100) / 1000, 0, 1),
      };
    } else if (kind === 'color_filter' || kind === 'color_filter_v2') {
      const read = (key: string, min: number, max: number) => {
        const value = number(settings[key], 0);
        if (value < min || value > max) note('changed', subject, `its ${key} of ${value} was limited to ${min}..${max}`);
        return clamp(value, min, max);
      };
      mapped = {
        kind: 'colorCorrection',
        brightness: read('brightness', -1, 1),
        contrast: read('contrast', -1, 1),
        saturation: read('saturation', -1, 1),
        gamma: read('gamma', -1, 1),
        hueShiftDeg: read('hue_shift', -180, 180),
      };
      if (number(settings.opacity, 1) < 1 || settings.color_add !== undefined || settings.color_multiply !== undefined)
        note('changed', subject, 'its opacity and colour add/multiply were left out');
    }
    if (!mapped) {
      note('skipped', subject, `Tally has no “${kind || 'unknown'}” filter`);
      continue;
    }
    if (filters.length >= 32) {
      note('skipped', subject, 'a source keeps at most 32 filters');
      continue;
    }
    filters.push({ id: `${sourceId}-filter-${filters.length + 1}`, name, enabled: flag(filter.enabled, true), settings: mapped });
  }
  return filters;
}

// ---- items -----------------------------------------------------------------------------

const ALIGN_LEFT = 1;
const ALIGN_RIGHT = 2;
const ALIGN_TOP = 4;
const ALIGN_BOTTOM = 8;

/** Where, in a box of `width`x`height`, an OBS alignment puts its point (from the top-left). */
function alignmentPoint(align: number, width: number, height: number): { x: number; y: number } {
  return {
    x: align & ALIGN_LEFT ? 0 : align & ALIGN_RIGHT ? width : width / 2,
    y: align & ALIGN_TOP ? 0 : align & ALIGN_BOTTOM ? height : height / 2,
  };
}

const PlacedTransform = z.object({
  position: z.object({ x: z.number(), y: z.number() }),
  scale: z.object({ x: z.number(), y: z.number() }),
  rotationDeg: z.number(),
});

/** Converts one OBS scene item's transform, given its source's size; `offset` moves it (flattened groups). */
function placeItem(
  raw: Json,
  sourceSize: Size,
  offset: { x: number; y: number },
): {
  transform: Omit<SceneItem, 'id' | 'sourceId'>;
  sizeMattered: boolean;
  approximated: string | null;
} {
  const crop = {
    left: Math.max(0, number(raw.crop_left, 0)),
    top: Math.max(0, number(raw.crop_top, 0)),
    right: Math.max(0, number(raw.crop_right, 0)),
    bottom: Math.max(0, number(raw.crop_bottom, 0)),
  };
  const croppedWidth = Math.max(1, sourceSize.width - crop.left - crop.right);
  const croppedHeight = Math.max(1, sourceSize.height - crop.top - crop.bottom);
  const pos = object(raw.pos);
  const scaleRaw = object(raw.scale);
  let scaleX = clamp(number(scaleRaw?.x, 1), -100, 100) || 1;
  let scaleY = clamp(number(scaleRaw?.y, 1), -100, 100) || 1;
  const rotation = number(raw.rot, 0);
  const align = number(raw.align, ALIGN_LEFT | ALIGN_TOP);
  const boundsType = number(raw.bounds_type, 0);
  const bounds = object(raw.bounds);
  let approximated: string | null = null;

  // The content's size, and the box the alignment and rotation refer to (the bounds when there are some).
  let width = croppedWidth * Math.abs(scaleX);
  let height = croppedHeight * Math.abs(scaleY);
  let boxWidth = width;
  let boxHeight = height;
  let inBox = { x: 0, y: 0 };
  const boundsWidth = number(bounds?.x, 0);
  const boundsHeight = number(bounds?.y, 0);
  if (boundsType !== 0 && boundsWidth > 0 && boundsHeight > 0) {
    const fitX = boundsWidth / croppedWidth;
    const fitY = boundsHeight / croppedHeight;
    let sx = fitX;
    let sy = fitY;
    if (boundsType === 2)
      sx = sy = Math.min(fitX, fitY); // scale to inner bounds
    else if (boundsType === 3)
      sx = sy = Math.max(fitX, fitY); // scale to outer bounds
    else if (boundsType === 4)
      sx = sy = fitX; // scale to width
    else if (boundsType === 5)
      sx = sy = fitY; // scale to height
    else if (boundsType === 6) sx = sy = Math.min(1, fitX, fitY); // maximum size only
    if (boundsType === 3 && flag(raw.bounds_crop, false)) approximated = 'what spilled over its bounding box is no longer cropped';
    scaleX = Math.sign(scaleX) * clamp(sx, 0.0001, 100);
    scaleY = Math.sign(scaleY) * clamp(sy, 0.0001, 100);
    width = croppedWidth * Math.abs(scaleX);
    height = croppedHeight * Math.abs(scaleY);
    boxWidth = boundsWidth;
    boxHeight = boundsHeight;
    const inner = alignmentPoint(number(raw.bounds_align, 0), boundsWidth - width, boundsHeight - height);
    inBox = inner;
  }
  const anchor = alignmentPoint(align, boxWidth, boxHeight);
  // The content's centre relative to the alignment point, turned about that point as OBS does.
  const local = { x: inBox.x + width / 2 - anchor.x, y: inBox.y + height / 2 - anchor.y };
  const radians = (rotation * Math.PI) / 180;
  const at = (value: unknown) => clamp(number(value, 0), -1e6, 1e6);
  const centre = {
    x: at(pos?.x) + offset.x + local.x * Math.cos(radians) - local.y * Math.sin(radians),
    y: at(pos?.y) + offset.y + local.x * Math.sin(radians) + local.y * Math.cos(radians),
  };
  const sizeMattered = boundsType !== 0 || rotation !== 0 || align !== (ALIGN_LEFT | ALIGN_TOP);
  const placed = PlacedTransform.parse({
    position: { x: centre.x - width / 2, y: centre.y - height / 2 },
    scale: { x: scaleX, y: scaleY },
    rotationDeg: clamp(((((rotation + 180) % 360) + 360) % 360) - 180, -360, 360),
  });
  return {
    transform: { ...placed, crop, opacity: 1, visible: flag(raw.visible, true), locked: flag(raw.locked, false) },
    sizeMattered,
    approximated,
  };
}

function mapTransition(root: Json, note: (severity: ObsImportNote['severity'], subject: string, message: string) => void): Transition {
  const name = text(root.current_transition, 'Fade');
  const listed = array(root.transitions)
    .map(object)
    .find((entry) => entry?.name === name);
  const id = text(listed?.id, name.toLowerCase());
  const durationMs = Math.round(clamp(number(root.transition_duration, 300), 0, 10_000));
  if (id.includes('cut')) return { kind: 'cut', durationMs };
  if (id.includes('fade') && !id.includes('color')) return { kind: 'fade', durationMs };
  if (id.includes('slide') || id.includes('swipe')) {
    if (id.includes('swipe')) note('changed', name, 'the swipe transition became a slide');
    return { kind: 'slide', durationMs };
  }
  note('changed', name, 'Tally has cut, fade and slide transitions: this one became a fade');
  return { kind: 'fade', durationMs };
}
