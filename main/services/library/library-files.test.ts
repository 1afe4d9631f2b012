import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryItem } from '../../../common/host/library-contract.ts';
import { openTestLibrary, type TestLibrary } from './testing.ts';
import { makeImage, makeVideo } from './testing-media.ts';

let t: TestLibrary;

beforeAll(() => {
  t = openTestLibrary({ watch: { stabilityThresholdMs: 2000, pollIntervalMs: 100, batchMs: 100 } });
});
afterAll(() => t.close());

async function importOne(path: string): Promise<LibraryItem> {
  const { jobId } = await t.api.import([path]);
  const job = await t.jobEnd(jobId);
  expect(job.itemIds).toHaveLength(1);
  return (await t.api.get(job.itemIds[0]!))!;
}

describe('files that move, vanish and come back', () => {
  it('shows a file that went missing as missing, and relinks it by hash from a chosen folder', async () => {
    const original = await makeVideo(join(t.dir, 'shoot', 'take 1.mp4'), { seconds: 1 });
    const item = await importOne(original);
    const moved = join(t.dir, 'archive', '2024', 'renamed take.mp4');
    mkdirSync(join(t.dir, 'archive', '2024'), { recursive: true });
    await makeImage(join(t.dir, 'archive', 'other.png'));
    renameSync(original, moved);

    const listed = (await t.api.list({})).items.find((entry) => entry.id === item.id)!;
    expect(listed).toMatchObject({ status: 'missing', error: `not found at ${original}` });
    expect((await t.api.list({ status: 'missing' })).items.map((entry) => entry.id)).toEqual([item.id]);
    await expect.poll(() => t.changes.some((change) => change.reason === 'updated' && change.ids.includes(item.id))).toBe(true);

    const result = await t.api.relink({ folder: join(t.dir, 'archive') });
    expect(result.notFound).toEqual([]);
    expect(result.relinked).toMatchObject([{ id: item.id, path: moved, status: 'ok', error: null, title: 'take 1' }]);
    expect((await t.api.list({ status: 'missing' })).total).toBe(0);
  });

  it('says which items were not found when the folder does not hold them', async () => {
    const file = await makeImage(join(t.dir, 'lost', 'gone.png'), '32x18', 'green');
    const item = await importOne(file);
    rmSync(file);
    await t.api.list({});
    expect(await t.api.relink({ folder: join(t.dir, 'archive'), itemIds: [item.id] })).toEqual({ relinked: [], notFound: [item.id] });
    await expect(t.api.relink({ folder: join(t.dir, 'no such folder') })).rejects.toThrow('is not a folder on the host');
    // An import of the same bytes elsewhere finds the missing item again rather than adding a duplicate.
    const back = await makeImage(join(t.dir, 'found', 'gone again.png'), '32x18', 'green');
    const { jobId } = await t.api.import([back]);
    expect((await t.jobEnd(jobId)).itemIds).toEqual([item.id]);
    expect(await t.api.get(item.id)).toMatchObject({ path: back, status: 'ok' });
  });

  it('moves deleted items to the library trash folder, restores them, and empties the trash for good', async () => {
    const file = await makeImage(join(t.dir, 'to-delete', 'poster.png'), '48x27', 'yellow');
    const item = await importOne(file);
    const [trashed] = await t.api.delete([item.id]);
    expect(trashed!.trashedAtMs).not.toBeNull();
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(join(t.dir, 'library', 'trash'))).toContain('poster.png');
    expect((await t.api.list({})).items.some((entry) => entry.id === item.id)).toBe(false);
    expect((await t.api.list({ trashed: true })).items.map((entry) => entry.id)).toContain(item.id);

    const [restored] = await t.api.restore([item.id]);
    expect(restored).toMatchObject({ path: file, trashedAtMs: null, status: 'ok' });
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');

    await t.api.delete([item.id]);
    expect(await t.api.emptyTrash()).toBe(1);
    expect(await t.api.get(item.id)).toBeNull();
    expect(readdirSync(join(t.dir, 'library', 'trash'))).not.toContain('poster.png');
  });

  it('reveals nothing in the web host but answers the path to show', async () => {
    const item = (await t.api.list({})).items[0]!;
    expect(await t.api.reveal(item.id)).toEqual({ revealed: false, path: item.path });
  });
});

describe('watched folders', () => {
  it('imports what a watched folder holds, then files dropped into it, and marks removed ones missing', async () => {
    const folder = join(t.dir, 'watched');
    await makeImage(join(folder, 'already here.png'), '40x30', 'red');
    expect(await t.api.addWatchedFolder(folder)).toEqual([folder]);
    const inLibrary = async (name: string) => (await t.api.list({ limit: 500 })).items.find((item) => item.fileName === name);
    await expect.poll(() => inLibrary('already here.png'), { timeout: 20_000 }).toMatchObject({ status: 'ok', width: 40 });

    await makeVideo(join(t.dir, 'staging', 'dropped.mp4'), { seconds: 1, color: 'purple' });
    renameSync(join(t.dir, 'staging', 'dropped.mp4'), join(folder, 'dropped.mp4'));
    await expect.poll(() => inLibrary('dropped.mp4'), { timeout: 20_000 }).toMatchObject({ status: 'ok', videoCodec: 'h264' });

    rmSync(join(folder, 'already here.png'));
    await expect.poll(async () => (await inLibrary('already here.png'))?.status, { timeout: 20_000 }).toBe('missing');
  }, 90_000);

  it('imports a file written slowly only once, complete', async () => {
    const folder = join(t.dir, 'watched');
    const whole = readFileSync(await makeVideo(join(t.dir, 'staging', 'slow.mp4'), { seconds: 2, size: '320x180' }));
    const target = join(folder, 'slow.mp4');
    const chunks = 12;
    const step = Math.ceil(whole.length / chunks);
    writeFileSync(target, whole.subarray(0, step));
    for (let offset = step; offset < whole.length; offset += step) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      appendFileSync(target, whole.subarray(offset, offset + step));
    }
    const found = async () => (await t.api.list({ limit: 500 })).items.filter((item) => item.fileName === 'slow.mp4');
    await expect.poll(found, { timeout: 20_000 }).toHaveLength(1);
    const [item] = await found();
    expect(item).toMatchObject({ status: 'ok', sizeBytes: whole.length, width: 320, height: 180 });
    expect(item!.durationMs).toBeGreaterThan(1900);
    expect(statSync(target).size).toBe(whole.length);
    // Added once, complete: no partial import came before it and none was refreshed after it.
    await expect.poll(() => t.changes.filter((change) => change.ids.includes(item!.id)).map((change) => change.reason)).toEqual(['added']);

    expect(await t.api.removeWatchedFolder(folder)).toEqual([]);
  }, 60_000);
});
