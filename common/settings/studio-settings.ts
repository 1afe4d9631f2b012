/**
 * The studio's own settings, kept by the host in the store's `settings` table (one row per
 * section, key `studio.<section>`) and edited in Settings. Each section is validated on its
 * own, so a bad or older value of one never costs the others; a section that fails to read
 * falls back to its defaults. Later sections (stream, output) add a key here.
 */
import { z } from 'zod';

const evenSize = (min: number, max: number) =>
  z
    .number()
    .int()
    .min(min)
    .max(max)
    .refine((value) => value % 2 === 0, 'sizes are even (the H.264 encoder needs it)');

/** Output (the encoded picture): size and frame rate. The canvas the scenes are laid out on is the collection's. */
export const VideoSettings = z.object({
  output: z
    .object({ width: evenSize(16, 7680), height: evenSize(16, 4320), fps: z.number().min(1).max(120) })
    .default({ width: 1280, height: 720, fps: 30 }),
});
export type VideoSettings = z.infer<typeof VideoSettings>;

/** The mixer's sample rates. */
export const SAMPLE_RATES = [44_100, 48_000] as const;

/** Audio: the mixer's rate and the devices the studio uses by default. */
export const AudioDeviceSettings = z.object({
  sampleRate: z.union([z.literal(44_100), z.literal(48_000)]).default(48_000),
  /** Where monitored sources play (`AudioContext.setSinkId`); null is the system's default output. */
  monitoringDeviceId: z.string().max(500).nullable().default(null),
  /** The camera and microphone new sources start with; null is the system's default. */
  defaultCameraId: z.string().max(500).nullable().default(null),
  defaultMicrophoneId: z.string().max(500).nullable().default(null),
});
export type AudioDeviceSettings = z.infer<typeof AudioDeviceSettings>;

/** A key combination as `Ctrl+Shift+KeyS`: modifiers in this order, then a `KeyboardEvent.code`. */
export const KeyCombo = z
  .string()
  .regex(/^(Ctrl\+)?(Alt\+)?(Shift\+)?(Meta\+)?[A-Za-z0-9]{1,24}$/, 'a key combination like Ctrl+Shift+KeyS');

/** Hotkeys: action id → up to four combinations. Action ids are the UI's (`scene.switch:<sceneId>`, `outputs.goLive`, …). */
export const HotkeySettings = z.record(z.string().regex(/^[a-zA-Z0-9_.:-]{1,120}$/), z.array(KeyCombo).max(4)).default({});
export type HotkeySettings = z.infer<typeof HotkeySettings>;

/** A dock's id; unknown ids (a dock from a newer build) are kept and ignored. */
export const DockId = z.string().regex(/^[a-z][a-zA-Z0-9-]{0,40}$/);

/** One dock in an area, with its share of the area's length. */
export const DockSlot = z.object({ dock: DockId, weight: z.number().min(0.05).max(20).default(1) });

/** The main window's layout: which docks sit where, their sizes, and the studio mode. */
export const LayoutSettings = z.object({
  studioMode: z.boolean().default(false),
  /** Height of the dock row under the preview, CSS pixels. */
  bottomHeightPx: z.number().min(120).max(2000).default(250),
  /** Width of the dock column beside the preview, CSS pixels (320: Stats' values and the Library's toolbar fit at 1280x720). */
  sideWidthPx: z.number().min(160).max(1200).default(320),
  bottom: z
    .array(DockSlot)
    .max(20)
    .default([
      { dock: 'scenes', weight: 1 },
      { dock: 'sources', weight: 1.2 },
      { dock: 'mixer', weight: 1.3 },
      { dock: 'transitions', weight: 1.1 },
      { dock: 'controls', weight: 1.1 },
    ]),
  side: z
    .array(DockSlot)
    .max(20)
    .default([
      { dock: 'stats', weight: 1 },
      { dock: 'library', weight: 1.4 },
    ]),
  hidden: z.array(DockId).max(40).default([]),
});
export type LayoutSettings = z.infer<typeof LayoutSettings>;

/** The first-run wizard. */
export const FirstRunSettings = z.object({
  /** When the wizard was finished or skipped; null until then. */
  completedAtMs: z.number().int().nonnegative().nullable().default(null),
});

/** Every section, each with its defaults. */
export const StudioSettings = z.object({
  video: VideoSettings.default(VideoSettings.parse({})),
  audio: AudioDeviceSettings.default(AudioDeviceSettings.parse({})),
  hotkeys: HotkeySettings,
  layout: LayoutSettings.default(LayoutSettings.parse({})),
  firstRun: FirstRunSettings.default(FirstRunSettings.parse({})),
});
export type StudioSettings = z.infer<typeof StudioSettings>;
/** A section name. */
export type StudioSettingsSection = keyof StudioSettings;
export const STUDIO_SETTINGS_SECTIONS = Object.keys(StudioSettings.shape) as StudioSettingsSection[];

/** An update: whole sections, each replaced (sections left out stay as they are). */
export const StudioSettingsPatch = z.object({
  video: VideoSettings.optional(),
  audio: AudioDeviceSettings.optional(),
  hotkeys: HotkeySettings.optional(),
  layout: LayoutSettings.optional(),
  firstRun: FirstRunSettings.optional(),
});
export type StudioSettingsPatch = z.input<typeof StudioSettingsPatch>;

/** The defaults of every section. */
export function defaultStudioSettings(): StudioSettings {
  return StudioSettings.parse({});
}
