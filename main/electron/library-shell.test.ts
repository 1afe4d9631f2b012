import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { BaseWindow, OpenDialogOptions } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import type { LibraryFiles } from '../services/library/http.ts';
import { openTestLibrary } from '../services/library/testing.ts';
import { makeImage } from '../services/library/testing-media.ts';
import { electronLibraryShell, withLibraryFiles } from './library-shell.ts';

const home = mkdtempSync(join(tmpdir(), 'tally-electron-library-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/**
 * Electron's binary is not installed here: `shell.trashItem` is faked as the freedesktop trash
 * Electron uses on Linux (gio: the file to Trash/files, a .trashinfo beside it), the rest records calls.
 */
function fakeElectron() {
  const calls: { revealed: string[]; dialogs: { window: boolean; options: OpenDialogOptions }[] } = { revealed: [], dialogs: [] };
  const trash = join(home, '.local', 'share', 'Trash');
  const shell = {
    async trashItem(path: string) {
      mkdirSync(join(trash, 'files'), { recursive: true });
      mkdirSync(join(trash, 'info'), { recursive: true });
      renameSync(path, join(trash, 'files', basename(path)));
      writeFileSync(
        join(trash, 'info', `${basename(path)}.trashinfo`),
        `[Trash Info]\nPath=${encodeURI(path)}\nDeletionDate=2024-05-01T21:00:00\n`,
      );
    },
    showItemInFolder: (path: string) => void calls.revealed.push(path),
  };
  let answer: { canceled: boolean; filePaths: string[] } = { canceled: false, filePaths: ['/videos/a.mp4', '/videos/b.mov'] };
  const dialog = {
    showOpenDialog: (async (...args: [BaseWindow, OpenDialogOptions] | [OpenDialogOptions]) => {
      const options = args.length === 2 ? args[1] : args[0];
      calls.dialogs.push({ window: args.length === 2, options });
      return answer;
    }) as never,
  };
  const libraryShell = electronLibraryShell({
    shell,
    dialog,
    window: () => ({}) as BaseWindow,
    osTrash: { platform: 'linux', home, uid: 1000 },
  });
  return { libraryShell, calls, trash, setAnswer: (next: typeof answer) => (answer = next) };
}

describe('the library in Electron (shell and dialog faked: no Electron binary here)', () => {
  it('deletes to the OS trash and restores from it, the .trashinfo consumed', async () => {
    const { libraryShell, trash } = fakeElectron();
    const file = join(home, 'Videos', 'My show (final).mp4');
    mkdirSync(join(home, 'Videos'), { recursive: true });
    writeFileSync(file, 'recording bytes');
    expect(libraryShell.trash.where).toBe('os');
    expect(await libraryShell.trash.moveToTrash(file)).toBeNull();
    expect(existsSync(file)).toBe(false);
    expect(await libraryShell.trash.restore(file, null)).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe('recording bytes');
    expect(existsSync(join(trash, 'info', 'My show (final).mp4.trashinfo'))).toBe(false);
  });

  it('restores the newest of several trashed files that had the same path, and says so when none is left', async () => {
    const { libraryShell, trash } = fakeElectron();
    const file = join(home, 'clip.mp4');
    mkdirSync(join(trash, 'files'), { recursive: true });
    mkdirSync(join(trash, 'info'), { recursive: true });
    for (const [name, date, body] of [
      ['clip.mp4', '2024-01-01T00:00:00', 'old'],
      ['clip.2.mp4', '2024-06-01T00:00:00', 'new'],
    ]) {
      writeFileSync(join(trash, 'files', name!), body!);
      writeFileSync(join(trash, 'info', `${name}.trashinfo`), `[Trash Info]\nPath=${encodeURI(file)}\nDeletionDate=${date}\n`);
    }
    await libraryShell.trash.restore(file, null);
    expect(readFileSync(file, 'utf8')).toBe('new');
    rmSync(file);
    await libraryShell.trash.restore(file, null);
    expect(readFileSync(file, 'utf8')).toBe('old');
    rmSync(file);
    await expect(libraryShell.trash.restore(file, null)).rejects.toThrow('clip.mp4 was not found in the Trash');
  });

  it('a library on the fake Electron shell trashes to the OS trash and restores, also an item whose file was already gone', async () => {
    const { libraryShell, calls, setAnswer } = fakeElectron();
    const t = openTestLibrary({ shell: libraryShell });
    try {
      const kept = await makeImage(join(home, 'Pictures', 'kept.png'), '32x18', 'red');
      const lost = await makeImage(join(home, 'Pictures', 'lost.png'), '32x18', 'white');
      setAnswer({ canceled: false, filePaths: [kept, lost] });
      const started = await t.api.importWithDialog({ folders: false });
      await t.jobEnd(started!.jobId);
      // Files import concurrently, so the job's ids come in the order they finished: find each by name.
      const items = (await t.api.list({})).items;
      const keptId = items.find((item) => item.fileName === 'kept.png')?.id;
      const lostId = items.find((item) => item.fileName === 'lost.png')?.id;
      rmSync(lost);
      await t.api.delete([keptId!, lostId!]);
      expect(existsSync(kept)).toBe(false);
      expect((await t.api.list({ trashed: true })).total).toBe(2);
      const restored = await t.api.restore([keptId!, lostId!]);
      expect(restored.map((item) => item.trashedAtMs)).toEqual([null, null]);
      expect(existsSync(kept)).toBe(true);
      expect(await t.api.reveal(keptId!)).toEqual({ revealed: true, path: kept });
      expect(calls.revealed).toEqual([kept]);
      expect(await t.api.reveal(lostId!)).toEqual({ revealed: false, path: lost });
    } finally {
      await t.close();
    }
  });

  it('reveals in the file manager and picks files or folders with the native dialog', async () => {
    const { libraryShell, calls, setAnswer } = fakeElectron();
    expect(await libraryShell.reveal('/videos/a.mp4')).toBe(true);
    expect(calls.revealed).toEqual(['/videos/a.mp4']);
    expect(await libraryShell.pickPaths!({ folders: false })).toEqual(['/videos/a.mp4', '/videos/b.mov']);
    expect(calls.dialogs[0]).toMatchObject({ window: true, options: { properties: ['openFile', 'multiSelections'] } });
    expect(calls.dialogs[0]!.options.filters![0]!.extensions).toContain('mp4');
    setAnswer({ canceled: true, filePaths: [] });
    expect(await libraryShell.pickPaths!({ folders: true })).toBeNull();
    expect(calls.dialogs[1]!.options.properties).toEqual(['openDirectory', 'multiSelections']);
  });

  it('serves library files on tally://app/library/ and leaves every other URL to the app (fake library)', async () => {
    const files: LibraryFiles = {
      uploadsDir: home,
      mediaFile: async () => ({ error: 'no such item', status: 404 }),
      thumbnail: async () => null,
    };
    const seen: string[] = [];
    const handler = withLibraryFiles(
      () => files,
      async (request) => {
        seen.push(request.url);
        return new Response('app');
      },
    );
    expect((await handler(new Request('tally://app/library/media/7'))).status).toBe(404);
    expect(await (await handler(new Request('tally://app/index.html'))).text()).toBe('app');
    expect(await (await handler(new Request('tally://other/library/media/7'))).text()).toBe('app');
    expect(seen).toEqual(['tally://app/index.html', 'tally://other/library/media/7']);
    const beforeStart = withLibraryFiles(
      () => null,
      async () => new Response('app'),
    );
    expect(await (await beforeStart(new Request('tally://app/library/media/7'))).text()).toBe('app');
  });
});
