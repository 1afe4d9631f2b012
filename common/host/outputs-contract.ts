/**
 * The host API of going live and recording: destinations (RTMP(S) with their stream keys,
 * which the renderer only ever sees masked), the encoder settings and what the studio must
 * encode now, the embedded local origin, recordings and screenshots. `contract.ts` mounts
 * these as the `outputs` and `recording` services.
 */
import { z } from 'zod';
import { Id } from '../scene/schema.ts';
import { call, event } from './contract-kit.ts';
import { RecordingFormat } from './recording-format.ts';

/** Where a destination goes: the embedded origin, a platform preset, or any RTMP(S) server. */
export const DestinationService = z.enum(['local-origin', 'twitch', 'youtube', 'facebook', 'custom']);
export type DestinationService = z.infer<typeof DestinationService>;

/** A platform's ingest, as its help pages give it. */
export interface DestinationPreset {
  label: string;
  /** The default ingest server (the key goes in its own field). */
  serverUrl: string;
  /** The platform accepts only `rtmps://`. */
  requiresRtmps: boolean;
}

/** The platforms the studio knows, and "Custom" for any other RTMP(S) server. */
export const DESTINATION_PRESETS: Readonly<Record<Exclude<DestinationService, 'local-origin'>, DestinationPreset>> = {
  twitch: { label: 'Twitch', serverUrl: 'rtmp://live.twitch.tv/app', requiresRtmps: false },
  youtube: { label: 'YouTube', serverUrl: 'rtmps://a.rtmps.youtube.com:443/live2', requiresRtmps: false },
  facebook: { label: 'Facebook Live', serverUrl: 'rtmps://live-api-s.facebook.com:443/rtmp/', requiresRtmps: true },
  custom: { label: 'Custom RTMP(S)', serverUrl: '', requiresRtmps: false },
};

/** A destination's connection: idle (not streaming), connecting, live, reconnecting (backing off), failed (gave up, with the reason). */
export const DestinationState = z.enum(['idle', 'connecting', 'live', 'reconnecting', 'failed']);
export type DestinationState = z.infer<typeof DestinationState>;

/** A destination's live figures. */
export const DestinationStatus = z.object({
  state: DestinationState,
  /** Why it failed or is reconnecting: the server's refusal (`NetStream.Publish.BadName: Invalid stream key`) or the network's error. */
  reason: z.string().nullable(),
  /** Bits per second sent over the last two seconds, in kbps. */
  bitrateKbps: z.number().nonnegative(),
  /** Bytes waiting in its queue and socket. */
  queueBytes: z.number().int().nonnegative(),
  /** Media time waiting in its queue, ms. */
  queueMs: z.number().nonnegative(),
  /** Video frames dropped (whole GOPs) because the link could not keep up, since it started. */
  framesDropped: z.number().int().nonnegative(),
  /** Reconnections since it started. */
  reconnects: z.number().int().nonnegative(),
  /** While reconnecting: how long until the next attempt, ms. */
  nextRetryInMs: z.number().nonnegative().nullable(),
  /** With adaptive bitrate: the video bitrate this link can carry now, kbps; null when it has no limit. */
  requestedBitrateKbps: z.number().int().positive().nullable(),
  /** When it went live (epoch ms), or null. */
  liveSinceMs: z.number().nullable(),
});
export type DestinationStatus = z.infer<typeof DestinationStatus>;

/** A destination that is not streaming and has nothing to report. */
export const IDLE_DESTINATION_STATUS: DestinationStatus = {
  state: 'idle',
  reason: null,
  bitrateKbps: 0,
  queueBytes: 0,
  queueMs: 0,
  framesDropped: 0,
  reconnects: 0,
  nextRetryInMs: null,
  requestedBitrateKbps: null,
  liveSinceMs: null,
};

/** A destination as the renderer sees it: never its key, only a mask. */
export const Destination = z.object({
  id: Id,
  name: z.string(),
  service: DestinationService,
  /** `rtmp://` or `rtmps://` server (app) URL, without the key. */
  serverUrl: z.string(),
  /** `••••••••wxyz`, or empty when no key is set. */
  streamKeyMasked: z.string(),
  /** Included when the studio goes live. */
  enabled: z.boolean(),
  /** Lowers the encoder's bitrate when this link cannot carry it (OBS's dynamic bitrate). */
  adaptiveBitrate: z.boolean(),
  /** A venue's own certificate authority is trusted for this RTMPS server. */
  hasCustomCa: z.boolean(),
  status: DestinationStatus,
});
export type Destination = z.infer<typeof Destination>;

/** What `outputs.saveDestination` takes: a new destination (no id) or changes to one. */
/** The most a destination's certificate authority PEM may hold, in characters. */
export const MAX_CA_PEM_CHARS = 64 * 1024;

export const DestinationInput = z.object({
  /** The destination to change; absent to add one. */
  id: Id.optional(),
  name: z.string().trim().min(1).max(100),
  service: DestinationService.exclude(['local-origin']),
  /** For presets, empty means the preset's server. */
  serverUrl: z.string().trim().max(2000),
  /** The stream key; absent keeps the stored one. */
  streamKey: z.string().max(1000).optional(),
  enabled: z.boolean().default(true),
  adaptiveBitrate: z.boolean().default(true),
  /** PEM of extra certificate authorities for rtmps://; null removes them, absent keeps them. */
  caPem: z.string().max(MAX_CA_PEM_CHARS).nullable().optional(),
});
export type DestinationInput = z.input<typeof DestinationInput>;

/**
 * Hardware or software H.264, as WebCodecs' `VideoEncoderConfig.hardwareAcceleration` names it
 * (W3C WebCodecs §7.8): the studio tries the preference first and falls back to any encoder the
 * browser accepts (`no-preference`) when the system has none of that kind.
 */
export const EncoderAcceleration = z.enum(['prefer-hardware', 'prefer-software', 'no-preference']);
export type EncoderAcceleration = z.infer<typeof EncoderAcceleration>;

/** Encoder settings; the picture size and rate are the studio's output. */
export const EncoderSettings = z.object({
  videoBitrateKbps: z.number().int().min(200).max(50_000),
  keyframeIntervalSec: z.number().int().min(1).max(10),
  /** AAC-LC, 48 kHz stereo. */
  audioBitrateKbps: z.number().int().min(64).max(320),
  /** Hardware or software video encoder; default hardware where the system has one. */
  hardwareAcceleration: EncoderAcceleration.default('prefer-hardware'),
});
export type EncoderSettings = z.infer<typeof EncoderSettings>;

/** The defaults: what Twitch and YouTube recommend for 720p30, AAC at 160 kbps, a hardware encoder where there is one. */
export const DEFAULT_ENCODER_SETTINGS: EncoderSettings = {
  videoBitrateKbps: 4500,
  keyframeIntervalSec: 2,
  audioBitrateKbps: 160,
  hardwareAcceleration: 'prefer-hardware',
};

/** The embedded Tally Origin. */
export const LocalOriginState = z.object({
  state: z.enum(['stopped', 'starting', 'running', 'failed']),
  /** Listening beyond this machine (its API then requires its token). */
  lan: z.boolean(),
  /** The player page viewers open: `http://HOST:PORT/live/NAME`. */
  viewerUrl: z.string().nullable(),
  playback: z.object({ hls: z.string(), flv: z.string(), rtmp: z.string() }).nullable(),
  error: z.string().nullable(),
});
export type LocalOriginState = z.infer<typeof LocalOriginState>;

/** The recorder. */
export const RecordingState = z.object({
  active: z.boolean(),
  /** The file being written. */
  path: z.string().nullable(),
  startedAtMs: z.number().nullable(),
  durationMs: z.number().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** While recording: free space on the recordings disk at the last check (every 2 s), bytes; null otherwise. */
  diskFreeBytes: z.number().nonnegative().nullable(),
  /** Why the last recording stopped on its own (a full disk, the host stopping mid-recording: said once at the next start), or failed to start. */
  error: z.string().nullable(),
  /** Where recordings go; screenshots go to `Screenshots` inside it. */
  folder: z.string(),
  /** File name pattern: `{date}`, `{time}` and `{scene}` are replaced. */
  filenamePattern: z.string(),
  /** The format the next recording is written in (`recording-format.ts`). */
  format: RecordingFormat,
});
export type RecordingState = z.infer<typeof RecordingState>;

/** Everything the outputs panel shows, and what the studio must encode. */
export const OutputsState = z.object({
  streaming: z.object({ active: z.boolean(), sinceMs: z.number().nullable() }),
  destinations: z.array(Destination),
  encoder: z.object({
    settings: EncoderSettings,
    /** The studio must encode now (streaming or recording). */
    active: z.boolean(),
    /** The video bitrate to encode at now: the settings', lowered to what the slowest adaptive destination carries. */
    targetVideoBitrateKbps: z.number().int().positive(),
  }),
  /** The AAC encoder (an ffmpeg child). */
  audio: z.object({ state: z.enum(['idle', 'running', 'restarting', 'unavailable']), error: z.string().nullable() }),
  localOrigin: LocalOriginState,
  recording: RecordingState,
});
export type OutputsState = z.infer<typeof OutputsState>;

/** A file an output finished: a recording or a screenshot. What the content library indexes. */
export const OutputFile = z.object({
  id: Id,
  kind: z.enum(['recording', 'screenshot']),
  path: z.string(),
  startedAtMs: z.number(),
  endedAtMs: z.number(),
  durationMs: z.number().nonnegative().nullable(),
  sizeBytes: z.number().int().nonnegative(),
  videoCodec: z.string().nullable(),
  audioCodec: z.string().nullable(),
  width: z.number().int().positive().nullable(),
  height: z.number().int().positive().nullable(),
  /** The scene collection on program when it was made. */
  sceneCollectionId: z.string().nullable(),
  /** The destinations that were live meanwhile. */
  destinationIds: z.array(z.string()),
  /**
   * complete: finalised; interrupted: the host stopped mid-recording (the file plays to its last second); truncated: the disk
   * filled; empty: the host stopped before any media was written (no file, or one without a sample; never in the library).
   */
  status: z.enum(['complete', 'interrupted', 'truncated', 'empty']),
});
export type OutputFile = z.infer<typeof OutputFile>;

/** `outputs.*`: destinations, going live, the encoder, the local origin. */
export const outputsService = {
  /** Everything the outputs panel shows. */
  getState: call(z.tuple([]), OutputsState),
  /** The state changed (at most a few times a second while live). */
  onDidChangeState: event(OutputsState),
  /** Adds or changes a destination; the key is stored encrypted and returned masked. */
  saveDestination: call(z.tuple([DestinationInput]), Destination),
  removeDestination: call(z.tuple([Id]), z.null()),
  /** Starts every enabled destination (the local origin when there is none). */
  goLive: call(z.tuple([]), OutputsState),
  /** Stops every destination. */
  endStream: call(z.tuple([]), OutputsState),
  /** Starts one destination while the others carry on. */
  startDestination: call(z.tuple([Id]), z.null()),
  /** Stops one destination while the others carry on. */
  stopDestination: call(z.tuple([Id]), z.null()),
  /** Includes a destination in Go Live or leaves it out (the local origin's too, which `saveDestination` does not change). */
  setDestinationEnabled: call(z.tuple([Id, z.boolean()]), Destination),
  setEncoderSettings: call(z.tuple([EncoderSettings]), EncoderSettings),
  /** Starts the embedded origin (loopback unless `lan`), which adds itself as a destination. */
  startLocalOrigin: call(z.tuple([z.object({ lan: z.boolean() }).optional()]), LocalOriginState),
  stopLocalOrigin: call(z.tuple([]), z.null()),
} as const;

/** `recording.*`: recordings and screenshots. */
export const recordingService = {
  /** Starts recording the program (with or without going live). */
  start: call(z.tuple([]), RecordingState),
  /** Stops and finalises the recording; the file it wrote, or null when none was running. */
  stop: call(z.tuple([]), OutputFile.nullable()),
  /** Chooses the recordings folder (absolute; created if missing). */
  setFolder: call(z.tuple([z.string().min(1).max(4096)]), RecordingState),
  /** Chooses the format of the next recording (hybrid MP4, fragmented MP4, FLV); stored, so it survives a restart. */
  setFormat: call(z.tuple([RecordingFormat]), RecordingState),
  /**
   * Saves the screenshot the renderer sent as a `MediaKind.image` frame whose track is
   * `requestId`, as a PNG in the screenshots folder.
   */
  saveScreenshot: call(z.tuple([z.number().int().min(0).max(0xffff)]), OutputFile),
  /** The newest recordings and screenshots. */
  listFiles: call(z.tuple([z.number().int().min(1).max(1000).optional()]), z.array(OutputFile)),
  /** A recording or screenshot was finished (what the content library indexes). */
  onDidSaveFile: event(OutputFile),
} as const;
