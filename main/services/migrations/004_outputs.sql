-- Streaming destinations. The stream key is sealed by the host's SecretCipher ("scheme:base64"),
-- never stored in the clear. server_url never carries the key. position orders the list.
CREATE TABLE output_destinations (
  id            TEXT PRIMARY KEY NOT NULL,
  name          TEXT NOT NULL,
  service       TEXT NOT NULL CHECK (service IN ('local-origin', 'twitch', 'youtube', 'facebook', 'custom')),
  server_url    TEXT NOT NULL,
  stream_key    TEXT,
  enabled       INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  adaptive      INTEGER NOT NULL CHECK (adaptive IN (0, 1)),
  ca_pem        TEXT,
  position      INTEGER NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;

-- Files the outputs finished: recordings (hybrid MP4) and screenshots (PNG). The content
-- library indexes these. status: recording (being written; after a crash: interrupted),
-- complete, interrupted, truncated (the disk filled).
CREATE TABLE output_files (
  id                  TEXT PRIMARY KEY NOT NULL,
  kind                TEXT NOT NULL CHECK (kind IN ('recording', 'screenshot')),
  path                TEXT NOT NULL UNIQUE,
  status              TEXT NOT NULL CHECK (status IN ('recording', 'complete', 'interrupted', 'truncated')),
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
CREATE INDEX output_files_started ON output_files (started_at DESC);
