-- The content library: recordings, screenshots and imported media (main/services/library/).
-- One row per file Tally knows. `path` is where the file was last seen; `content_hash` (SHA-256
-- of the bytes) finds duplicates and finds a moved file again.
CREATE TABLE library_items (
  id                  INTEGER PRIMARY KEY,
  path                TEXT NOT NULL,
  size_bytes          INTEGER NOT NULL CHECK (size_bytes >= 0),
  mtime_ms            INTEGER NOT NULL,
  content_hash        TEXT NOT NULL,
  kind                TEXT NOT NULL CHECK (kind IN ('recording', 'screenshot', 'video', 'image', 'audio')),
  -- ok: readable where it was; missing: not at `path`; corrupt: ffprobe could not read it (see `error`).
  status              TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'missing', 'corrupt')),
  error               TEXT,
  container           TEXT,
  duration_ms         INTEGER,
  video_codec         TEXT,
  audio_codec         TEXT,
  width               INTEGER,
  height              INTEGER,
  fps                 REAL,
  audio_channels      INTEGER,
  audio_sample_rate   INTEGER,
  created_at          INTEGER NOT NULL,
  imported_at         INTEGER NOT NULL,
  title               TEXT NOT NULL,
  -- Tags as a JSON array of strings: the full-text index reads the words out of it (punctuation is
  -- not a token); library_tags holds them one per row for filters.
  tags                TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  notes               TEXT NOT NULL DEFAULT '',
  -- What the studio made it with (recordings): a scene collection id and destination ids (JSON array).
  scene_collection_id TEXT,
  destination_ids     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(destination_ids)),
  -- A clip or remux points at the item it was made from.
  derived_from_id     INTEGER REFERENCES library_items (id) ON DELETE SET NULL,
  trashed_at          INTEGER,
  -- Where the trash put the file (the library's own trash folder), to restore it from.
  trash_token         TEXT
) STRICT;

CREATE INDEX library_items_by_created ON library_items (trashed_at, created_at);
CREATE INDEX library_items_by_imported ON library_items (trashed_at, imported_at);
CREATE INDEX library_items_by_title ON library_items (trashed_at, title COLLATE NOCASE);
CREATE INDEX library_items_by_duration ON library_items (trashed_at, duration_ms);
CREATE INDEX library_items_by_size ON library_items (trashed_at, size_bytes);
CREATE INDEX library_items_by_kind ON library_items (trashed_at, kind, created_at);
CREATE INDEX library_items_by_hash ON library_items (content_hash);
CREATE INDEX library_items_by_path ON library_items (path);
CREATE INDEX library_items_by_status ON library_items (status) WHERE status <> 'ok';

CREATE TABLE library_tags (
  item_id INTEGER NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
  tag     TEXT NOT NULL COLLATE NOCASE,
  PRIMARY KEY (item_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX library_tags_by_tag ON library_tags (tag, item_id);
CREATE TRIGGER library_items_tags_insert AFTER INSERT ON library_items BEGIN
  INSERT OR IGNORE INTO library_tags (item_id, tag) SELECT new.id, value FROM json_each(new.tags);
END;
CREATE TRIGGER library_items_tags_update AFTER UPDATE OF tags ON library_items BEGIN
  DELETE FROM library_tags WHERE item_id = new.id;
  INSERT OR IGNORE INTO library_tags (item_id, tag) SELECT new.id, value FROM json_each(new.tags);
END;

-- Full-text index over title, tags and notes, kept in step by triggers (an external-content table:
-- the text lives once, in library_items). Prefix indexes make "conc*" as cheap as a whole word.
CREATE VIRTUAL TABLE library_fts USING fts5 (
  title, tags, notes,
  content = 'library_items', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
);
CREATE TRIGGER library_items_fts_insert AFTER INSERT ON library_items BEGIN
  INSERT INTO library_fts (rowid, title, tags, notes) VALUES (new.id, new.title, new.tags, new.notes);
END;
CREATE TRIGGER library_items_fts_delete AFTER DELETE ON library_items BEGIN
  INSERT INTO library_fts (library_fts, rowid, title, tags, notes) VALUES ('delete', old.id, old.title, old.tags, old.notes);
END;
CREATE TRIGGER library_items_fts_update AFTER UPDATE OF title, tags, notes ON library_items BEGIN
  INSERT INTO library_fts (library_fts, rowid, title, tags, notes) VALUES ('delete', old.id, old.title, old.tags, old.notes);
  INSERT INTO library_fts (rowid, title, tags, notes) VALUES (new.id, new.title, new.tags, new.notes);
END;

-- Files an import has accepted but not yet indexed. The import call returns only once its files are
-- here, so a crash (kill -9) loses nothing acknowledged: the next start imports what is left.
CREATE TABLE library_import_queue (
  id        INTEGER PRIMARY KEY,
  job_id    TEXT NOT NULL,
  path      TEXT NOT NULL,
  -- JSON: what is known about the file before it is read (a recording's kind, scene collection and
  -- destinations; a clip's source item and title).
  hints     TEXT CHECK (hints IS NULL OR json_valid(hints)),
  queued_at INTEGER NOT NULL
) STRICT;
CREATE INDEX library_import_queue_by_job ON library_import_queue (job_id, id);

CREATE TABLE library_watched_folders (
  path     TEXT PRIMARY KEY NOT NULL,
  added_at INTEGER NOT NULL
) STRICT;
