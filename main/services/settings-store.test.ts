import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { channelOf } from '../../common/host/contract-kit.ts';
import { defaultStudioSettings } from '../../common/settings/studio-settings.ts';
import { startHost, type Host } from './host.ts';
import { silentLogger } from './logger.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});
async function host(dataDir: string): Promise<Host> {
  const started = await startHost({ version: '0.0.0', runtime: 'web', dataDir, log: silentLogger, ffmpeg: { env: {} } });
  cleanups.push(() => started.dispose());
  return started;
}
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-settings-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('studio settings in the host store', () => {
  it('a fresh studio reads the defaults: 720p30 output, 48 kHz, no hotkeys, the wizard not yet done', async () => {
    const started = await host(tempDir());
    const outcome = await started.router.invoke(channelOf('settings', 'get'), []);
    expect(outcome).toEqual({ ok: true, value: defaultStudioSettings() });
    expect(defaultStudioSettings()).toMatchObject({
      video: { output: { width: 1280, height: 720, fps: 30 } },
      audio: { sampleRate: 48_000 },
      hotkeys: {},
      firstRun: { completedAtMs: null },
    });
  });

  it('stores the sections given, announces the change, and reads them back after a restart', async () => {
    const dataDir = tempDir();
    const first = await host(dataDir);
    const events: unknown[] = [];
    first.events.subscribeAll((channel, payload) => channel === channelOf('settings', 'onDidChange') && events.push(payload));
    const hotkeys = { 'scene.switch:scene-1': ['Ctrl+Digit1'], 'outputs.goLive': ['Ctrl+Shift+KeyL'] };
    const outcome = await first.router.invoke(channelOf('settings', 'update'), [
      { video: { output: { width: 1920, height: 1080, fps: 60 } }, hotkeys },
    ]);
    expect(outcome).toMatchObject({ ok: true, value: { video: { output: { width: 1920, fps: 60 } }, hotkeys } });
    expect(events).toHaveLength(1);
    first.dispose();

    const second = await host(dataDir);
    expect(await second.router.invoke(channelOf('settings', 'get'), [])).toMatchObject({
      ok: true,
      value: { video: { output: { width: 1920, height: 1080, fps: 60 } }, hotkeys, audio: { sampleRate: 48_000 } },
    });
  });

  it('refuses odd sizes, unknown sample rates and malformed hotkeys, and stores nothing', async () => {
    const started = await host(tempDir());
    for (const patch of [
      { video: { output: { width: 1281, height: 720, fps: 30 } } },
      { audio: { sampleRate: 22_050 } },
      { hotkeys: { 'outputs.goLive': ['Ctrl+<script>'] } },
    ]) {
      expect(await started.router.invoke(channelOf('settings', 'update'), [patch])).toMatchObject({
        ok: false,
        error: { code: 'invalid-arguments' },
      });
    }
    expect(await started.router.invoke(channelOf('settings', 'get'), [])).toEqual({ ok: true, value: defaultStudioSettings() });
  });

  it('a section that no longer reads falls back to its defaults and leaves the others alone', async () => {
    const started = await host(tempDir());
    await started.router.invoke(channelOf('settings', 'update'), [{ firstRun: { completedAtMs: 5 } }]);
    started.store.setSetting('studio.layout', { bottomHeightPx: 'tall' });
    expect(await started.router.invoke(channelOf('settings', 'get'), [])).toMatchObject({
      ok: true,
      value: { firstRun: { completedAtMs: 5 }, layout: defaultStudioSettings().layout },
    });
  });
});
