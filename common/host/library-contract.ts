/**
 * The content library's part of the host contract (`hostContract.library`): items with their
 * media facts, paged listing with filters, full-text search, import, edits, trims and remuxes
 * as jobs with progress events, trash, relink, watched folders. Also the HTTP paths the host
 * serves library files on, shared by the host and the renderer so they are written once.
 */
import { z } from 'zod';
import { call, event } from './contract-kit.ts';

/** What an item is. Recordings and screenshots are made by the studio; the rest are imported. */
export const LibraryItemKind = z.enum(['recording', 'screenshot', 'video', 'image', 'audio']);
export type LibraryItemKind = z.infer<typeof LibraryItemKind>;

/** `missing`: the file is not where it was (relink it); `corrupt`: it could not be read (see `error`). */
export const LibraryItemStatus = z.enum(['ok', 'missing', 'corrupt']);
export type LibraryItemStatus = z.infer<typeof LibraryItemStatus>;

export const LibraryItemId = z.number().int().positive();

const Tag = z.string().trim().min(1).max(64);
/** At most 50 tags per item; compared without case. */
export const LibraryTags = z.array(Tag).max(50);

/** One file of the library, as the renderer sees it. */
export const LibraryItem = z.object({
  id: LibraryItemId,
  /** Absolute path on the host where the file was last seen. */
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  /** SHA-256 of the file's bytes, hex. */
  contentHash: z.string(),
  kind: LibraryItemKind,
  status: LibraryItemStatus,
  /** Why the file is corrupt or missing, in words. */
  error: z.string().nullable(),
  /** ffprobe's format name, e.g. `mov,mp4,m4a,3gp,3g2,mj2`, `flv`, `matroska,webm`. */
  container: z.string().nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  videoCodec: z.string().nullable(),
  audioCodec: z.string().nullable(),
  width: z.number().int().positive().nullable(),
  height: z.number().int().positive().nullable(),
  fps: z.number().positive().nullable(),
  audioChannels: z.number().int().positive().nullable(),
  audioSampleRate: z.number().int().positive().nullable(),
  /** When the file was made (its birth time, else its modification time), epoch ms. */
  createdAtMs: z.number().int(),
  importedAtMs: z.number().int(),
  title: z.string(),
  tags: z.array(z.string()),
  notes: z.string(),
  /** The scene collection a recording was made with. */
  sceneCollectionId: z.string().nullable(),
  /** The destinations a recording went live to. */
  destinationIds: z.array(z.string()),
  /** The item a clip or a remux was made from. */
  derivedFromId: LibraryItemId.nullable(),
  /** Set while the item is in the trash. */
  trashedAtMs: z.number().int().nullable(),
  /** Same-origin URL of the file (ranges supported); sources and the player load it. */
  mediaUrl: z.string(),
  /** A poster frame (JPEG, 320 px wide), made on first request and cached; null when the file cannot give one. */
  posterUrl: z.string().nullable(),
  /** A strip of `spriteFrames` frames side by side (each 160x90) for hover-scrubbing; null for stills and sound. */
  spriteUrl: z.string().nullable(),
  spriteFrames: z.number().int().nonnegative(),
});
export type LibraryItem = z.infer<typeof LibraryItem>;

export const LibrarySortKey = z.enum(['created', 'imported', 'title', 'duration', 'size']);
export type LibrarySortKey = z.infer<typeof LibrarySortKey>;

/** Filters shared by listing and search. */
export const LibraryFilters = z.object({
  kinds: z.array(LibraryItemKind).max(5).optional(),
  /** Items carrying every one of these tags. */
  tags: z.array(Tag).max(20).optional(),
  /** Created at or after, epoch ms. */
  fromMs: z.number().int().optional(),
  /** Created before, epoch ms. */
  toMs: z.number().int().optional(),
  /** Only items with this status. */
  status: LibraryItemStatus.optional(),
  /** The trash instead of the library. Default false. */
  trashed: z.boolean().optional(),
});
export type LibraryFilters = z.infer<typeof LibraryFilters>;

const Paging = { offset: z.number().int().min(0).max(10_000_000).default(0), limit: z.number().int().min(1).max(500).default(60) };

export const LibraryListQuery = LibraryFilters.extend({
  ...Paging,
  sort: LibrarySortKey.default('created'),
  direction: z.enum(['asc', 'desc']).default('desc'),
});
export type LibraryListQuery = z.input<typeof LibraryListQuery>;

export const LibrarySearchQuery = LibraryFilters.extend({
  ...Paging,
  /** Words to find in titles, tags and notes; each word also matches as a prefix ("conc" finds "concert"). */
  text: z.string().max(500),
});
export type LibrarySearchQuery = z.input<typeof LibrarySearchQuery>;

/** One page of items and how many match in all. */
export const LibraryPage = z.object({ items: z.array(LibraryItem), total: z.number().int().nonnegative() });
export type LibraryPage = z.infer<typeof LibraryPage>;

export const LibraryItemPatch = z.object({
  title: z.string().trim().min(1).max(500).optional(),
  tags: LibraryTags.optional(),
  notes: z.string().max(20_000).optional(),
});
export type LibraryItemPatch = z.infer<typeof LibraryItemPatch>;

/** A host path: absolute, no NUL. */
export const HostPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => !path.includes('\0'), 'a path has no NUL byte');

/** Long work the library does: imports, trims, remuxes, relinks. */
export const LibraryJob = z.object({
  id: z.string(),
  kind: z.enum(['import', 'trim', 'remux']),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** Files (import) done so far, of `total`; for trims and remuxes 0..1 in `fraction` only. */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** 0..1. */
  fraction: z.number().min(0).max(1),
  /** Files skipped (already in the library, duplicates by hash, not media) and failed. */
  skipped: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** What it is doing now, or how it ended, in words. */
  message: z.string(),
  /** Items this job created (the clip, the remux, imported files: the first 100). */
  itemIds: z.array(LibraryItemId),
});
export type LibraryJob = z.infer<typeof LibraryJob>;

export const TrimRequest = z
  .object({
    inMs: z.number().int().min(0),
    outMs: z.number().int().positive(),
    /** Title of the clip; default the source's with the range. */
    title: z.string().trim().min(1).max(500).optional(),
  })
  .refine((trim) => trim.outMs > trim.inMs, 'the out point comes after the in point');
export type TrimRequest = z.infer<typeof TrimRequest>;

/** How a trim would be cut: `copy` keeps the bytes (the in point is on a keyframe), `reencode` makes new frames. */
export const TrimPlan = z.object({
  mode: z.enum(['copy', 'reencode']),
  /** The keyframe at or before the in point, and the next one after it, ms; null for sound only. */
  keyframeBeforeMs: z.number().int().nonnegative().nullable(),
  keyframeAfterMs: z.number().int().nonnegative().nullable(),
  reason: z.string(),
});
export type TrimPlan = z.infer<typeof TrimPlan>;

/** Why a file was skipped or failed during an import. */
export const ImportIssue = z.object({ path: z.string(), reason: z.string(), duplicateOfId: LibraryItemId.nullable() });
export type ImportIssue = z.infer<typeof ImportIssue>;

export const LibraryTagCount = z.object({ tag: z.string(), count: z.number().int().positive() });

/** What changed in the library, so open views refresh. */
export const LibraryChange = z.object({
  reason: z.enum(['added', 'updated', 'removed']),
  ids: z.array(LibraryItemId),
});
export type LibraryChange = z.infer<typeof LibraryChange>;

const JobRef = z.object({ jobId: z.string() });

export const libraryService = {
  /** One page of items, sorted, with filters. Items on the page are checked on disk and shown missing when gone. */
  list: call(z.tuple([LibraryListQuery]), LibraryPage),
  /** Full-text search over titles, tags and notes (prefix matching); items whose title matches come first. */
  search: call(z.tuple([LibrarySearchQuery]), LibraryPage),
  /** One item, or null. */
  get: call(z.tuple([LibraryItemId]), LibraryItem.nullable()),
  /** Every tag with how many items carry it, most used first. */
  listTags: call(z.tuple([]), z.array(LibraryTagCount)),
  /** Imports files and folders (recursively) on the host. Resolves once every file is queued; progress comes as job events. */
  import: call(z.tuple([z.array(HostPath).min(1).max(10_000)]), JobRef),
  /** Asks with the desktop's file dialog, then imports (Electron). The web host answers `null`: the page uploads instead. */
  importWithDialog: call(z.tuple([z.object({ folders: z.boolean() })]), JobRef.nullable()),
  /** What an import job skipped or failed on, and why. */
  listImportIssues: call(z.tuple([z.string()]), z.array(ImportIssue)),
  /** Renames, tags, annotates. */
  update: call(z.tuple([LibraryItemId, LibraryItemPatch]), LibraryItem),
  /** How `trim` would cut these points: stream copy on a keyframe, re-encode otherwise. */
  planTrim: call(z.tuple([LibraryItemId, TrimRequest]), TrimPlan),
  /** Exports [in, out) as a new item. Progress and the result come as job events. */
  trim: call(z.tuple([LibraryItemId, TrimRequest]), JobRef),
  /** Rewrites an FLV or MKV as MP4 without re-encoding; the MP4 is a new item. */
  remux: call(z.tuple([LibraryItemId]), JobRef),
  /** Stops a running job; what it finished stays. */
  cancelJob: call(z.tuple([z.string()]), z.boolean()),
  /** Jobs running now and those finished in the last minutes. */
  listJobs: call(z.tuple([]), z.array(LibraryJob)),
  /** Moves items to the trash (the OS trash in Electron, the library's trash folder in the web host). */
  delete: call(z.tuple([z.array(LibraryItemId).min(1).max(1000)]), z.array(LibraryItem)),
  /** Takes items out of the trash, with their files. */
  restore: call(z.tuple([z.array(LibraryItemId).min(1).max(1000)]), z.array(LibraryItem)),
  /** Forgets every item in the trash; the library's own trash folder is emptied too. */
  emptyTrash: call(z.tuple([]), z.number().int().nonnegative()),
  /** Finds missing items again by content hash in a host folder (recursively); no ids: every missing item. */
  relink: call(
    z.tuple([z.object({ folder: HostPath, itemIds: z.array(LibraryItemId).max(1000).optional() })]),
    z.object({ relinked: z.array(LibraryItem), notFound: z.array(LibraryItemId) }),
  ),
  /** Shows the file in the desktop's file manager (Electron); the web host answers the path to show instead. */
  reveal: call(z.tuple([LibraryItemId]), z.object({ revealed: z.boolean(), path: z.string() })),
  listWatchedFolders: call(z.tuple([]), z.array(z.string())),
  /** Watches a host folder: what appears there (once written completely) joins the library. */
  addWatchedFolder: call(z.tuple([HostPath]), z.array(z.string())),
  removeWatchedFolder: call(z.tuple([HostPath]), z.array(z.string())),
  /** Items were added, edited, moved to or from the trash, or forgotten. Coalesced, at most 4 a second. */
  onDidChangeItems: event(LibraryChange),
  /** A job progressed or ended. At most 10 a second per job, and always its end. */
  onDidUpdateJob: event(LibraryJob),
} as const;

/** Where the host serves library files; `:id` is the item id. */
export const LIBRARY_HTTP_PREFIX = '/library/';
/** `GET` (with ranges) the item's file. */
export function libraryMediaPath(id: number): string {
  return `${LIBRARY_HTTP_PREFIX}media/${id}`;
}
/** `GET` the poster (`poster`) or hover strip (`sprite`), a JPEG; `version` busts caches when the file changes. */
export function libraryThumbPath(id: number, which: 'poster' | 'sprite', version: string): string {
  return `${LIBRARY_HTTP_PREFIX}${which}/${id}?v=${encodeURIComponent(version)}`;
}
/** `POST` a file's bytes here (`?name=`, and `&folder=` for a folder upload) to put it on the host; answers `{ path }`. */
export const LIBRARY_UPLOAD_PATH = `${LIBRARY_HTTP_PREFIX}upload`;

/** Drag data type of a library item dragged onto the preview; the value is the item id. */
export const LIBRARY_ITEM_DRAG_TYPE = 'application/x-tally-library-item';
