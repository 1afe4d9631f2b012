-- Signed playback links: a stream can require a valid token from every viewer.
ALTER TABLE streams ADD COLUMN require_playback_token INTEGER NOT NULL DEFAULT 0;
