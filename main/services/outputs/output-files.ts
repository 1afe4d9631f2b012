/**
 * The index of files the outputs finished (`output_files`): recordings and screenshots,
 * with what the content library needs to show them. A recording gets its row when it
 * starts (status `recording`), so one cut short by a crash is found at the next start, read
 * back for its figures and marked `interrupted` (its fragmented MP4 or FLV still plays), or
 * `empty` when nothing was written. Each finished file is announced
 * through the narrow `OutputFileListener`, which the host turns into the contract event
 * `recording.onDidSaveFile` and the content library may subscribe to.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { OutputFile } from '../../../common/host/outputs-contract.ts';
import type { MadeMedia } from '../library/library.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store.ts';
import { readRecordingFacts, type RecordingFacts } from './recording-facts.ts';

/** Hears every finished recording and screenshot. */
export interface OutputFileListener {
  fileFinished(file: OutputFile): void;
}

/**
 * Adds every finished recording and screenshot to the content library (`library.addMade`),
 * linked to the scene collection it was made with and the destinations that were live. A file
 * the library cannot add (gone, unreadable) is logged; the recording itself stays indexed in
 * `output_files`. `settled(ms)` resolves once the additions under way are done, or after `ms`
 * (shutdown waits for them, but not forever: the importer runs ffprobe).
 */
export function addMadeFilesTo(
  library: { addMade(made: MadeMedia): Promise<unknown> },
  log: Logger,
): OutputFileListener & { settled(timeoutMs?: number): Promise<void> } {
  const pending = new Set<Promise<void>>();
  return {
    fileFinished(file) {
      const adding = library
        .addMade({ path: file.path, kind: file.kind, sceneCollectionId: file.sceneCollectionId, destinationIds: file.destinationIds })
        .then(
          () => undefined,
          (error: unknown) => log.warn({ err: error, path: file.path }, 'the library could not add a file the studio made'),
        )
        .finally(() => pending.delete(adding));
      pending.add(adding);
    },
    async settled(timeoutMs = 15_000) {
      if (pending.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, timeoutMs, 'late')));
      const outcome = await Promise.race([Promise.all(pending), late]);
      clearTimeout(timer);
      if (outcome === 'late') log.warn({ files: pending.size }, 'shutting down before the library added every file the studio made');
    },
  };
}

interface Row {
  id: string;
  kind: OutputFile['kind'];
  path: string;
  status: OutputFile['status'] | 'recording';
  started_at: number;
  ended_at: number | null;
  duration_ms: number | null;
  size_bytes: number;
  video_codec: string | null;
  audio_codec: string | null;
  width: number | null;
  height: number | null;
  scene_collection_id: string | null;
  destination_ids: string;
}

/** What a finished file row holds. */
export type FinishedFile = Omit<OutputFile, 'id'>;

export class OutputFiles {
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  /** Registers a recording that is starting; returns its id. */
  begin(kind: OutputFile['kind'], path: string, startedAtMs: number, sceneCollectionId: string | null): string {
    const id = `file-${randomBytes(6).toString('base64url')}`;
    this.store.db
      .prepare(`INSERT INTO output_files (id, kind, path, status, started_at, scene_collection_id) VALUES (?, ?, ?, 'recording', ?, ?)`)
      .run(id, kind, path, startedAtMs, sceneCollectionId);
    return id;
  }

  /** Completes a row begun with `begin` (or adds one, for a screenshot) and returns the finished file. */
  finish(id: string | null, file: FinishedFile): OutputFile {
    const fileId = id ?? `file-${randomBytes(6).toString('base64url')}`;
    this.store.db
      .prepare(
        `INSERT INTO output_files (id, kind, path, status, started_at, ended_at, duration_ms, size_bytes, video_codec, audio_codec, width, height, scene_collection_id, destination_ids)
         VALUES (@id, @kind, @path, @status, @startedAtMs, @endedAtMs, @durationMs, @sizeBytes, @videoCodec, @audioCodec, @width, @height, @sceneCollectionId, @destinationIds)
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, ended_at = excluded.ended_at, duration_ms = excluded.duration_ms,
           size_bytes = excluded.size_bytes, video_codec = excluded.video_codec, audio_codec = excluded.audio_codec,
           width = excluded.width, height = excluded.height, destination_ids = excluded.destination_ids`,
      )
      .run({
        id: fileId,
        ...file,
        durationMs: file.durationMs === null ? null : Math.round(file.durationMs),
        destinationIds: JSON.stringify(file.destinationIds),
      });
    return this.get(fileId)!;
  }

  /** Drops the row of a recording that never wrote a file. */
  discard(id: string): void {
    this.store.db.prepare(`DELETE FROM output_files WHERE id = ? AND status = 'recording'`).run(id);
  }

  get(id: string): OutputFile | undefined {
    const row = this.store.db.prepare<[string], Row>('SELECT * FROM output_files WHERE id = ?').get(id);
    return row ? fromRow(row) : undefined;
  }

  /** The newest files first. */
  list(limit = 100): OutputFile[] {
    return this.store.db.prepare<[number], Row>('SELECT * FROM output_files ORDER BY started_at DESC LIMIT ?').all(limit).map(fromRow);
  }

  /**
   * Recovers the recordings the last run left unfinished (rows still `recording`: a crash, a
   * kill -9). Each file is read back (`readFacts`: duration, codecs, picture size; its size and
   * time on disk give size and end). One with media becomes `interrupted`; one with no file, an
   * empty file or not one sample becomes `empty`, with why in `problem`. The rows are taken
   * before the first `await`, so a recording started meanwhile is never one of them. Never
   * throws: a file that cannot be read stays `interrupted` without figures, `problem` says why.
   */
  async recoverInterrupted(readFacts: (path: string) => Promise<RecordingFacts> = readRecordingFacts): Promise<RecoveredRecording[]> {
    const rows = this.store.db.prepare<[], Row>(`SELECT * FROM output_files WHERE status = 'recording' ORDER BY started_at`).all();
    const recovered: RecoveredRecording[] = [];
    for (const row of rows) {
      const found = await inspectRecording(row.path, readFacts);
      const facts = found.empty ? null : found.facts;
      this.store.db
        .prepare(
          `UPDATE output_files SET status = @status, size_bytes = @sizeBytes, ended_at = @endedAt, duration_ms = @durationMs,
             video_codec = @videoCodec, audio_codec = @audioCodec, width = @width, height = @height
           WHERE id = @id AND status = 'recording'`,
        )
        .run({
          id: row.id,
          status: found.empty ? 'empty' : 'interrupted',
          sizeBytes: found.sizeBytes,
          endedAt: found.modifiedAtMs ?? row.started_at,
          durationMs: facts?.durationMs ?? null,
          videoCodec: facts?.videoCodec ?? null,
          audioCodec: facts?.audioCodec ?? null,
          width: facts?.width ?? null,
          height: facts?.height ?? null,
        });
      const file = this.get(row.id);
      if (file) recovered.push({ file, problem: found.problem });
    }
    return recovered;
  }
}

/** A file a crash left: on disk at all, with media, and its figures. Never throws. */
async function inspectRecording(
  path: string,
  readFacts: (path: string) => Promise<RecordingFacts>,
): Promise<{ empty: boolean; sizeBytes: number; modifiedAtMs: number | null; facts: RecordingFacts | null; problem: string | null }> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return { empty: true, sizeBytes: 0, modifiedAtMs: null, facts: null, problem: 'there is no file' };
  const onDisk = { sizeBytes: info.size, modifiedAtMs: Math.round(info.mtimeMs) };
  if (info.size === 0) return { ...onDisk, empty: true, facts: null, problem: 'the file is empty' };
  try {
    const facts = await readFacts(path);
    if (facts.durationMs === 0) return { ...onDisk, empty: true, facts, problem: 'the file holds no audio or video' };
    return { ...onDisk, empty: false, facts, problem: null };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ...onDisk, empty: false, facts: null, problem: `its length and codecs could not be read: ${why}` };
  }
}

/** A recording the last run left unfinished, as `recoverInterrupted` found it. */
export interface RecoveredRecording {
  /** Its row: `interrupted` (plays up to its last whole sample) or `empty`. */
  file: OutputFile;
  /** Why it is `empty`, or why an `interrupted` one has no figures; null when all is known. */
  problem: string | null;
}

/**
 * What the user is told at start about the recordings a crash cut short, in one sentence
 * (the renderer shows it as the recording's error: "Recording: …"); null when there are none.
 */
export function recoveryNotice(recovered: readonly RecoveredRecording[]): string | null {
  const kept = recovered.filter(({ file }) => file.status === 'interrupted');
  const empty = recovered.length - kept.length;
  if (recovered.length === 0) return null;
  if (recovered.length === 1) {
    const { file } = recovered[0]!;
    if (empty) return 'The last recording was cut short when Tally stopped, before anything was recorded: nothing was saved.';
    const length = file.durationMs === null ? 'what was recorded' : `its first ${spokenDuration(file.durationMs)}`;
    return `The last recording was cut short when Tally stopped: ${basename(file.path)} keeps ${length} and was added to the library.`;
  }
  const parts = [];
  if (kept.length)
    parts.push(
      `${kept.length === 1 ? `${basename(kept[0]!.file.path)} keeps` : `${kept.length} keep`} what was recorded and ${kept.length === 1 ? 'was' : 'were'} added to the library`,
    );
  if (empty) parts.push(`${empty} had recorded nothing, so nothing was saved`);
  return `${recovered.length} recordings were cut short when Tally stopped: ${parts.join('; ')}.`;
}

/** "15 s", "2 min 5 s", "1 h 2 min" (whole seconds, rounded down: what surely plays). */
function spokenDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const [hours, minutes, seconds] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  if (hours) return `${hours} h ${minutes} min`;
  return minutes ? `${minutes} min ${seconds} s` : `${seconds} s`;
}

function fromRow(row: Row): OutputFile {
  return {
    id: row.id,
    kind: row.kind,
    path: row.path,
    startedAtMs: row.started_at,
    endedAtMs: row.ended_at ?? row.started_at,
    durationMs: row.duration_ms,
    sizeBytes: row.size_bytes,
    videoCodec: row.video_codec,
    audioCodec: row.audio_codec,
    width: row.width,
    height: row.height,
    sceneCollectionId: row.scene_collection_id,
    destinationIds: JSON.parse(row.destination_ids) as string[],
    // A row still `recording` is one being written now.
    status: row.status === 'recording' ? 'interrupted' : row.status,
  };
}
