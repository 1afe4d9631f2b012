/**
 * The index of files the outputs finished (`output_files`): recordings and screenshots,
 * with what the content library needs to show them. A recording gets its row when it
 * starts (status `recording`), so one cut short by a crash is found at the next start and
 * marked `interrupted` (its fragmented MP4 still plays). Each finished file is announced
 * through the narrow `OutputFileListener`, which the host turns into the contract event
 * `recording.onDidSaveFile` and the content library may subscribe to.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import type { OutputFile } from '../../../common/host/outputs-contract.ts';
import type { MadeMedia } from '../library/library.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store.ts';

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
   * Marks recordings a crash cut short as `interrupted`, with their size on disk; returns them
   * (to announce). Called once at start.
   */
  recoverInterrupted(): OutputFile[] {
    const rows = this.store.db.prepare<[], Row>(`SELECT * FROM output_files WHERE status = 'recording'`).all();
    return rows.map((row) => {
      let size = 0;
      let endedAt = row.started_at;
      try {
        const stats = statSync(row.path);
        size = stats.size;
        endedAt = Math.round(stats.mtimeMs);
      } catch {
        // The file is gone; the row still records that it existed.
      }
      this.store.db
        .prepare(`UPDATE output_files SET status = 'interrupted', size_bytes = ?, ended_at = ? WHERE id = ?`)
        .run(size, endedAt, row.id);
      return this.get(row.id)!;
    });
  }
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
