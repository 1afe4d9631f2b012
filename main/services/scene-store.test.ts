import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { channelOf } from '../../common/host/contract-kit.ts';
import { applySceneCommand } from '../../common/scene/commands.ts';
import { emptyCollection } from '../../common/scene/schema.ts';
import { loadSqlite } from '../../native/sqlite.ts';
import { startHost, type Host } from './host.ts';
import { silentLogger } from './logger.ts';
import { SceneStore } from './scene-store.ts';
import { Store } from './store.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-scenes-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
async function host(dataDir: string, extra: Partial<Parameters<typeof startHost>[0]> = {}): Promise<Host> {
  const started = await startHost({ version: '0.0.0', runtime: 'web', dataDir, log: silentLogger, ffmpeg: { env: {} }, ...extra });
  cleanups.push(() => started.dispose());
  return started;
}

const show = applySceneCommand(emptyCollection('show', 'Friday show'), {
  type: 'addSource',
  source: { id: 'title', name: 'Title', settings: { kind: 'text', text: 'Hello' } },
});

describe('scene collections in the host store', () => {
  it('has nothing to load before the first save', async () => {
    const started = await host(tempDir());
    expect(await started.router.invoke(channelOf('scenes', 'loadCollection'), [])).toEqual({ ok: true, value: null });
  });

  it('saves through the contract into a row of tally.db, announces it, and loads it after a restart', async () => {
    const dataDir = tempDir();
    const first = await host(dataDir);
    const events: unknown[] = [];
    first.events.subscribeAll((channel, payload) => channel === channelOf('scenes', 'onDidChangeCollection') && events.push(payload));
    const saved = await first.router.invoke(channelOf('scenes', 'saveCollection'), [JSON.parse(JSON.stringify(show))]);
    expect(saved).toMatchObject({ ok: true, value: { id: 'show', name: 'Friday show' } });
    expect(events).toEqual([(saved as { value: unknown }).value]);
    first.dispose();

    const db = new (loadSqlite())(join(dataDir, 'tally.db'), { readonly: true });
    const row = db.prepare('SELECT id, name, format_version, body FROM scene_collections').get() as Record<string, unknown>;
    db.close();
    expect(row).toMatchObject({ id: 'show', name: 'Friday show', format_version: 1 });
    expect(JSON.parse(row.body as string)).toEqual(show);

    const second = await host(dataDir);
    expect(await second.router.invoke(channelOf('scenes', 'loadCollection'), [])).toEqual({ ok: true, value: show });
    expect(await second.router.invoke(channelOf('scenes', 'listCollections'), [])).toMatchObject({ ok: true, value: [{ id: 'show' }] });
  });

  it('refuses to save a collection that breaks the model, and stores nothing', async () => {
    const started = await host(tempDir());
    const broken = { ...JSON.parse(JSON.stringify(show)), programSceneId: 'missing' } as unknown;
    const outcome = await started.router.invoke(channelOf('scenes', 'saveCollection'), [broken]);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    expect(await started.router.invoke(channelOf('scenes', 'listCollections'), [])).toEqual({ ok: true, value: [] });
  });

  it('lists collections most recently saved first and loads the last one saved', () => {
    const store = new Store({ dataDir: tempDir() });
    cleanups.push(() => store.dispose());
    let clock = 1000;
    const scenes = new SceneStore(store, () => clock);
    scenes.save(show);
    clock = 1000; // the same millisecond: order still follows the saves
    scenes.save(emptyCollection('other', 'Other'));
    expect(scenes.list().map((summary) => summary.id)).toEqual(['other', 'show']);
    expect(scenes.loadActive()?.id).toBe('other');
    scenes.save(show);
    expect(scenes.loadActive()?.id).toBe('show');
  });

  it('a stored body from a newer Tally fails the load with a clear error rather than being misread', async () => {
    const dataDir = tempDir();
    const started = await host(dataDir);
    await started.router.invoke(channelOf('scenes', 'saveCollection'), [JSON.parse(JSON.stringify(show))]);
    started.store.db.prepare("UPDATE scene_collections SET body = json_set(body, '$.version', 99)").run();
    expect(await started.router.invoke(channelOf('scenes', 'loadCollection'), [])).toMatchObject({
      ok: false,
      error: { code: 'failed', message: expect.stringMatching(/format version 99.*update Tally/) as unknown },
    });
  });

  it('gets any stored collection by id, and deletes one that is not active', async () => {
    const started = await host(tempDir());
    await started.router.invoke(channelOf('scenes', 'saveCollection'), [JSON.parse(JSON.stringify(show))]);
    await started.router.invoke(channelOf('scenes', 'saveCollection'), [emptyCollection('other', 'Other')]);
    expect(await started.router.invoke(channelOf('scenes', 'getCollection'), ['show'])).toEqual({ ok: true, value: show });
    expect(await started.router.invoke(channelOf('scenes', 'getCollection'), ['nope'])).toEqual({ ok: true, value: null });
    expect(await started.router.invoke(channelOf('scenes', 'removeCollection'), ['other'])).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/active scene collection/) as unknown },
    });
    expect(await started.router.invoke(channelOf('scenes', 'removeCollection'), ['show'])).toEqual({ ok: true, value: null });
    expect(await started.router.invoke(channelOf('scenes', 'listCollections'), [])).toMatchObject({ ok: true, value: [{ id: 'other' }] });
    expect(await started.router.invoke(channelOf('scenes', 'getCollection'), ['../x'])).toMatchObject({
      ok: false,
      error: { code: 'invalid-arguments' },
    });
  });

  it('lists screen sources from the injected provider, and none on the web host', async () => {
    const web = await host(tempDir());
    expect(await web.router.invoke(channelOf('capture', 'listScreenSources'), [])).toEqual({ ok: true, value: [] });
    const desktop = await host(tempDir(), {
      screenSources: { list: async () => [{ id: 'screen:1:0', name: 'Screen 1', kind: 'screen', thumbnailDataUrl: null }] },
    });
    expect(await desktop.router.invoke(channelOf('capture', 'listScreenSources'), [])).toMatchObject({
      ok: true,
      value: [{ id: 'screen:1:0' }],
    });
  });
});
