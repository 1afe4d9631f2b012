import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyCollection } from '../../../common/scene/schema.ts';
import { SceneStore } from '../scene-store.ts';
import { DatabaseTooNewError, loadMigrations, Store } from '../store.ts';
import { LibraryIndex } from './library-index.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'tally-library-migration-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the library migration on a database with data', () => {
  const migrations = loadMigrations();
  const library = migrations.find((migration) => migration.name === 'library');
  const before = migrations.filter((migration) => migration.version < library!.version);

  it('adds the library to a database written before it, keeping every setting and scene collection', () => {
    expect(library).toBeDefined();
    const old = new Store({ dataDir, migrations: before });
    old.setSetting('video.outputSize', { width: 1920, height: 1080 });
    new SceneStore(old).save(emptyCollection('show', 'Friday show'));
    expect(old.db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'library_items'").get()).toEqual({ n: 0 });
    old.dispose();

    const upgraded = new Store({ dataDir });
    expect(upgraded.schemaVersion).toBe(migrations.at(-1)!.version);
    expect(upgraded.getSetting('video.outputSize')).toEqual({ width: 1920, height: 1080 });
    expect(new SceneStore(upgraded).loadActive()).toMatchObject({ id: 'show', name: 'Friday show' });
    const index = new LibraryIndex(upgraded.db);
    index.insert({
      path: '/videos/friday.mp4',
      sizeBytes: 10,
      mtimeMs: 1,
      contentHash: 'abc',
      kind: 'recording',
      status: 'ok',
      error: null,
      media: {
        container: 'mov,mp4,m4a,3gp,3g2,mj2',
        durationMs: 1000,
        videoCodec: 'h264',
        audioCodec: 'aac',
        width: 1920,
        height: 1080,
        fps: 30,
        audioChannels: 2,
        audioSampleRate: 48000,
      },
      createdAtMs: 5,
      importedAtMs: 6,
      title: 'Friday show',
      tags: ['weekly'],
      sceneCollectionId: 'show',
      destinationIds: ['twitch'],
    });
    index.enqueue('job', [{ path: '/videos/pending.mp4' }], 7);
    index.addWatchedFolder('/videos', 8);
    upgraded.dispose();

    // Reopening applies nothing again and loses nothing.
    const reopened = new Store({ dataDir });
    const again = new LibraryIndex(reopened.db);
    expect(reopened.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: migrations.length });
    expect(again.search({ text: 'frid' }).items).toMatchObject([{ title: 'Friday show', tags: ['weekly'], destinationIds: ['twitch'] }]);
    expect(again.queued()).toMatchObject([{ path: '/videos/pending.mp4' }]);
    expect(again.watchedFolders()).toEqual(['/videos']);
    expect(reopened.getSetting('video.outputSize')).toEqual({ width: 1920, height: 1080 });
    reopened.dispose();
  });

  it('is forward-only: a Tally from before the library refuses the upgraded file rather than misread it', () => {
    expect(() => new Store({ dataDir, migrations: before })).toThrow(DatabaseTooNewError);
  });
});
