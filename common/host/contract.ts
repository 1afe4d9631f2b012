/**
 * The host API contract: every call and event between the studio renderer and its host,
 * written once. Electron IPC (main/electron + preload), the WebSocket host (main/web) and
 * the renderer client (renderer/host) are all derived from this object.
 */
import { z } from 'zod';
import { Id, SceneCollection } from '../scene/schema.ts';
import { StudioSettings, StudioSettingsPatch } from '../settings/studio-settings.ts';
import { call, event } from './contract-kit.ts';
import { libraryService } from './library-contract.ts';
import { outputsService, recordingService } from './outputs-contract.ts';

/** Where the ffmpeg binary came from: `TALLY_FFMPEG`, a copy bundled with Tally, PATH, or a usual install folder (Homebrew...). */
export const FfmpegSource = z.enum(['configured', 'bundled', 'path', 'install-folder']);

/** The ffmpeg binary the host resolved, or why none was found. */
export const FfmpegInfo = z.discriminatedUnion('found', [
  z.object({
    found: z.literal(true),
    /** Absolute path of the binary. */
    path: z.string(),
    /** Version string as ffmpeg prints it, e.g. `5.1.6-0+deb12u1`. */
    version: z.string(),
    source: FfmpegSource,
  }),
  z.object({ found: z.literal(false), error: z.string() }),
]);
export type FfmpegInfo = z.infer<typeof FfmpegInfo>;

/** What `app.getInfo()` returns. */
export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** `electron` for the desktop app, `web` when the studio runs in a browser via the web host. */
  runtime: z.enum(['electron', 'web']),
  platform: z.object({
    os: z.string(),
    arch: z.string(),
    nodeVersion: z.string(),
    /** Present only in the Electron runtime. */
    electronVersion: z.string().nullable(),
  }),
  /** The directory holding the database, recordings index and settings. */
  dataDir: z.string(),
  database: z.object({ path: z.string(), schemaVersion: z.number().int().nonnegative() }),
  ffmpeg: FfmpegInfo,
});
export type AppInfo = z.infer<typeof AppInfo>;

/** Host process figures, sent once a second. */
export const HostStats = z.object({
  /** CPU used by the host process over the last interval, 100 = one full core. */
  cpuPercent: z.number().nonnegative(),
  rssBytes: z.number().int().nonnegative(),
  heapUsedBytes: z.number().int().nonnegative(),
  uptimeMs: z.number().nonnegative(),
});
export type HostStats = z.infer<typeof HostStats>;

/** A screen or window the host can capture (Electron's desktopCapturer). */
export const ScreenSource = z.object({
  /** Pass as a screen source's `captureSourceId`. */
  id: z.string().max(500),
  name: z.string().max(1000),
  kind: z.enum(['screen', 'window']),
  /** A small PNG preview as a data: URL, when the host has one. */
  thumbnailDataUrl: z.string().nullable(),
});
export type ScreenSource = z.infer<typeof ScreenSource>;

/** The studio asks its picker which screen or window a `getDisplayMedia()` call may capture. */
export const ScreenChoiceRequest = z.object({
  /** Pass back to `capture.answerScreenChoice`. */
  requestId: z.string().max(100),
  sources: z.array(ScreenSource),
});
export type ScreenChoiceRequest = z.infer<typeof ScreenChoiceRequest>;

/** An update channel: `latest` (stable releases), `beta`, or `alpha` (every build for testers). */
export const UpdateChannel = z.enum(['latest', 'beta', 'alpha']);
export type UpdateChannel = z.infer<typeof UpdateChannel>;

/** Where the updater is, for Settings. `refused` means the feed failed Tally's checks (signature, downgrade). */
export const UpdateState = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('idle') }),
  z.object({ kind: z.literal('checking') }),
  z.object({ kind: z.literal('up-to-date'), version: z.string() }),
  z.object({ kind: z.literal('available'), version: z.string() }),
  z.object({
    kind: z.literal('downloading'),
    version: z.string(),
    /** 0..100. */
    percent: z.number().min(0).max(100),
    bytesPerSecond: z.number().nonnegative(),
  }),
  z.object({ kind: z.literal('downloaded'), version: z.string() }),
  z.object({ kind: z.literal('refused'), message: z.string() }),
  z.object({ kind: z.literal('error'), message: z.string() }),
  /** No updater here (the web studio, a checkout): the message says why. */
  z.object({ kind: z.literal('unsupported'), message: z.string() }),
]);
export type UpdateState = z.infer<typeof UpdateState>;

/** A stored scene collection, listed without its body. */
export const SceneCollectionSummary = z.object({ id: Id, name: z.string(), updatedAtMs: z.number().int().nonnegative() });
export type SceneCollectionSummary = z.infer<typeof SceneCollectionSummary>;

export const hostContract = {
  app: {
    /** Version, platform, data directory and the ffmpeg the host found. */
    getInfo: call(z.tuple([]), AppInfo),
    /**
     * Sets the ffmpeg binary the host runs (AAC, the library), or null to find one again
     * (`TALLY_FFMPEG`, bundled, PATH, install folders). The host runs `<path> -version` first
     * and rejects a path that does not run with the reason; a running AAC encoder restarts on
     * the new binary.
     */
    setFfmpegPath: call(z.tuple([z.string().trim().min(1).max(4096).nullable()]), FfmpegInfo),
    /** Host process figures, once a second, for the status bar. */
    onDidUpdateStats: event(HostStats),
  },
  scenes: {
    /** Every stored collection, most recently saved first. */
    listCollections: call(z.tuple([]), z.array(SceneCollectionSummary)),
    /** The active collection (the last one saved), migrated to the current format; null before the first save. */
    loadCollection: call(z.tuple([]), SceneCollection.nullable()),
    /** Stores a collection and makes it the active one. */
    saveCollection: call(z.tuple([SceneCollection]), SceneCollectionSummary),
    /** One stored collection by id (to switch to it or export it); null when there is none. */
    getCollection: call(z.tuple([Id]), SceneCollection.nullable()),
    /** Deletes a stored collection; the active one cannot be deleted (switch first). */
    removeCollection: call(z.tuple([Id]), z.null()),
    /** A collection was saved (by this window or another). */
    onDidChangeCollection: event(SceneCollectionSummary),
  },
  settings: {
    /** Every section of the studio's settings (video, audio, hotkeys, layout, first run), defaults filled in. */
    get: call(z.tuple([]), StudioSettings),
    /** Replaces the sections given; resolves to all settings after the change. */
    update: call(z.tuple([StudioSettingsPatch]), StudioSettings),
    /** Settings changed (from this window or another). */
    onDidChange: event(StudioSettings),
  },
  capture: {
    /** Screens and windows to capture; empty where the host has none to offer (the web host: use getDisplayMedia). */
    listScreenSources: call(z.tuple([]), z.array(ScreenSource)),
    /** A `getDisplayMedia()` call waits for the user's pick (Electron). */
    onDidRequestScreenChoice: event(ScreenChoiceRequest),
    /** The picker's answer: a source id that was offered, or null to share nothing. False when the request is gone. */
    answerScreenChoice: call(z.tuple([z.string().max(100), z.string().max(500).nullable()]), z.boolean()),
  },
  updates: {
    /** The channel this install follows. */
    getChannel: call(z.tuple([]), UpdateChannel),
    /** Follows another channel from the next check on; stored in settings. */
    setChannel: call(z.tuple([UpdateChannel]), UpdateChannel),
    /** Checks the feed now; resolves with the state the check ended in. */
    check: call(z.tuple([]), UpdateState),
    getState: call(z.tuple([]), UpdateState),
    /** Quits and installs a downloaded update. */
    installAndRestart: call(z.tuple([]), z.boolean()),
    /** Checking, progress of the download, refusals and errors. */
    onDidChangeState: event(UpdateState),
  },
  outputs: outputsService,
  recording: recordingService,
  /** The content library (see library-contract.ts). */
  library: libraryService,
} as const;

export type HostContract = typeof hostContract;
