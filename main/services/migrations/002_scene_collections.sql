-- Scene collections: one row each, the body is the collection's JSON as common/scene writes it.
-- format_version is the body's own version, so a newer body is refused before it is parsed.
CREATE TABLE scene_collections (
  id             TEXT PRIMARY KEY NOT NULL,
  name           TEXT NOT NULL,
  format_version INTEGER NOT NULL,
  body           TEXT NOT NULL CHECK (json_valid(body)),
  updated_at     INTEGER NOT NULL
) STRICT;
