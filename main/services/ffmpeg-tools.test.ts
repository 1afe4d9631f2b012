import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FfmpegInfo } from '../../common/host/contract.ts';
import { captureLogger } from '../../server/log.ts';
import { FfmpegTools } from './ffmpeg-tools.ts';
import { Store } from './store.ts';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  stores.splice(0).forEach((store) => store.dispose());
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

function openStore(dir = mkdtempSync(join(tmpdir(), 'tally-ffmpeg-tools-'))): { dir: string; store: Store } {
  if (!dirs.includes(dir)) dirs.push(dir);
  const store = new Store({ dataDir: dir });
  stores.push(store);
  return { dir, store };
}

describe('the ffmpeg path set in Settings (real /usr/bin/ffmpeg)', () => {
  it('refuses a path that is missing or not ffmpeg with the reason, and stores nothing', async () => {
    const { dir, store } = openStore();
    const tools = await FfmpegTools.start(store, undefined, captureLogger());
    const before = tools.ffmpeg;
    await expect(tools.setPath(join(dir, 'no-such-ffmpeg'))).rejects.toThrow(/no-such-ffmpeg does not exist/);
    const impostor = join(dir, 'ffmpeg');
    writeFileSync(impostor, '#!/bin/sh\necho hello\n');
    chmodSync(impostor, 0o755);
    await expect(tools.setPath(impostor)).rejects.toThrow(/ran, but it is not ffmpeg/);
    writeFileSync(join(dir, 'plain'), 'not a program');
    await expect(tools.setPath(join(dir, 'plain'))).rejects.toThrow(/is not executable/);
    await expect(tools.setPath('bin/ffmpeg')).rejects.toThrow(/not an absolute path/);
    expect(store.getSetting('host.ffmpegPath')).toBeUndefined();
    expect(tools.ffmpeg).toEqual(before);
  });

  it('uses a good path at once, tells who runs ffmpeg, finds ffprobe beside it, and keeps it after a restart', async () => {
    const { dir, store } = openStore();
    const tools = await FfmpegTools.start(store, { env: { PATH: '/nowhere' }, installDirs: [] }, captureLogger());
    expect(tools.ffmpeg.found).toBe(false);
    const heard: FfmpegInfo[] = [];
    tools.onChange((ffmpeg) => heard.push(ffmpeg));
    const info = await tools.setPath('/usr/bin/ffmpeg');
    expect(info).toMatchObject({
      found: true,
      path: '/usr/bin/ffmpeg',
      source: 'configured',
      version: expect.stringMatching(/^\d/) as unknown,
    });
    expect(heard).toEqual([info]);
    expect(tools.ffprobe).toMatchObject({ found: true, path: '/usr/bin/ffprobe' });
    store.dispose();
    stores.splice(stores.indexOf(store), 1);

    const restarted = await FfmpegTools.start(openStore(dir).store, { env: { PATH: '/nowhere' }, installDirs: [] }, captureLogger());
    expect(restarted.ffmpeg).toEqual(info);
    // Clearing the path finds one again the usual way (here: nowhere).
    expect(await restarted.setPath(null)).toMatchObject({ found: false });
  });
});
