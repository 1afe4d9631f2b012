-- Streams: a public name and the SHA-256 of its secret key (keys are random, 256-bit; the
-- plain key is shown once and never stored).
CREATE TABLE streams (
  name           TEXT PRIMARY KEY NOT NULL,
  key_sha256     BLOB NOT NULL UNIQUE,
  created_at     INTEGER NOT NULL,
  key_rotated_at INTEGER NOT NULL
) STRICT;

-- Origin settings (JSON values), such as the admin token's hash.
CREATE TABLE settings (
  key        TEXT PRIMARY KEY NOT NULL,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
