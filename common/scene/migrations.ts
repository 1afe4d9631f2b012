/**
 * Scene collection migrations: a stored collection says which format `version` wrote it,
 * and each migration lifts one version to the next, on plain JSON, before the current
 * schema validates the result. A collection from a newer Tally is refused, not misread.
 */
import { z } from 'zod';
import { SCENE_COLLECTION_VERSION, SceneCollection } from './schema.ts';

/** Lifts a collection from `from` to `from + 1`. Works on JSON, never on schema types. */
export interface SceneMigration {
  readonly from: number;
  readonly describe: string;
  up(collection: Record<string, unknown>): Record<string, unknown>;
}

/**
 * The migrations shipped with this build, in order. Version 1 is the first stored format,
 * so none exist yet; the next format change adds `{ from: 1, ... }` here.
 */
export const SCENE_MIGRATIONS: readonly SceneMigration[] = [];

/** A collection that cannot be read: malformed, or from a newer Tally. */
export class SceneCollectionError extends Error {
  override readonly name = 'SceneCollectionError';
}

/**
 * Lifts stored JSON of any known version to `latest`, one migration at a time. Generic in
 * the chain so the chain itself is testable; `migrateSceneCollection` uses the shipped one.
 */
export function migrateJson(raw: unknown, migrations: readonly SceneMigration[], latest: number): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SceneCollectionError('a scene collection is a JSON object');
  let current = { ...(raw as Record<string, unknown>) };
  const version = current.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw new SceneCollectionError('a scene collection carries its format version, an integer from 1');
  if (version > latest)
    throw new SceneCollectionError(
      `this scene collection has format version ${version}, but this Tally reads up to ${latest}; update Tally`,
    );
  for (let from = version; from < latest; from++) {
    const migration = migrations.find((candidate) => candidate.from === from);
    if (!migration) throw new SceneCollectionError(`no migration from scene collection version ${from}`);
    current = { ...migration.up(current), version: from + 1 };
  }
  return current;
}

/** Reads a stored collection: migrates it to the current version and validates it. */
export function migrateSceneCollection(raw: unknown): SceneCollection {
  const current = migrateJson(raw, SCENE_MIGRATIONS, SCENE_COLLECTION_VERSION);
  const parsed = SceneCollection.safeParse(current);
  if (!parsed.success) throw new SceneCollectionError(`the scene collection is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
