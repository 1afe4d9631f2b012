-- output_files.status gains 'empty': a recording the host stopped (a crash, a kill -9) before it
-- wrote any media, so there is no file, or one without a sample. SQLite cannot change a CHECK,
-- so the table is rebuilt with the same columns.
CREATE TABLE output_files_next (
  id                  TEXT PRIMARY KEY NOT NULL,
  kind                TEXT NOT NULL CHECK (kind IN ('recording', 'screenshot')),
  path                TEXT NOT NULL UNIQUE,
  status              TEXT NOT NULL CHECK (status IN ('recording', 'complete', 'interrupted', 'truncated', 'empty')),
  started_at          INTEGER NOT NULL,
  ended_at            INTEGER,
  duration_ms         INTEGER,
  size_bytes          INTEGER NOT NULL DEFAULT 0,
  video_codec         TEXT,
  audio_codec         TEXT,
  width               INTEGER,
  height              INTEGER,
  scene_collection_id TEXT,
  destination_ids     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(destination_ids))
) STRICT;
INSERT INTO output_files_next SELECT * FROM output_files;
DROP TABLE output_files;
ALTER TABLE output_files_next RENAME TO output_files;
CREATE INDEX output_files_started ON output_files (started_at DESC);
