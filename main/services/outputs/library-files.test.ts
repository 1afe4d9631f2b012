import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { channelOf } from '../../../common/host/contract-kit.ts';
import type { LibraryItem, LibraryPage } from '../../../common/host/library-contract.ts';
import { emptyCollection } from '../../../common/scene/schema.ts';
import { captureLogger } from '../../../server/log.ts';
import { until } from '../../../server/testing.ts';
import { startHost, type Host } from '../host.ts';
import { silentLogger } from '../logger.ts';
import { Store } from '../store.ts';
import { OutputFiles } from './output-files.ts';
import { Recorder } from './recorder.ts';
import { answerScreenshot, encodeTestProgram, playAsStudio } from './testing.ts';

const program = encodeTestProgram({ seconds: 2, gop: 30 });
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startTestHost(): Promise<Host> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-outputs-library-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const host = await startHost({ version: '0.0.0', runtime: 'web', dataDir, log: silentLogger });
  cleanups.push(() => host.shutdown());
  return host;
}

async function libraryItems(host: Host): Promise<LibraryItem[]> {
  const answer = await host.router.invoke(channelOf('library', 'list'), [{}]);
  if (!answer.ok) throw new Error(JSON.stringify(answer));
  return (answer.value as LibraryPage).items;
}

describe('finished recordings and screenshots join the content library', () => {
  it('a recording made while live is in the library after it stops, with its scene collection and destinations; so is a screenshot', async () => {
    const host = await startTestHost();
    await host.router.invoke(channelOf('scenes', 'saveCollection'), [emptyCollection('friday', 'Friday show')]);
    await host.outputs.goLive();
    host.outputs.startRecording();
    // The renderer starts its encoder (avcC first) once the outputs are active.
    let done = false;
    const playing = playAsStudio(host.media, program, { loops: 1000, stop: () => done });
    try {
      await until(() => host.outputs.state().recording.durationMs > 2000, 30_000, 'recorded media');
    } finally {
      done = true;
      await playing;
    }
    const file = host.outputs.stopRecording()!;
    expect(file.destinationIds).toEqual(['local-origin']);

    await until(async () => (await libraryItems(host)).some((item) => item.path === file.path), 60_000, 'the recording in the library');
    const recording = (await libraryItems(host)).find((item) => item.path === file.path)!;
    expect(recording).toMatchObject({
      kind: 'recording',
      sceneCollectionId: 'friday',
      destinationIds: ['local-origin'],
      width: 320,
      height: 180,
    });

    const saving = host.outputs.saveScreenshot(7);
    answerScreenshot(host.media, 7);
    const shot = await saving;
    await until(async () => (await libraryItems(host)).some((item) => item.path === shot.path), 60_000, 'the screenshot in the library');
    expect((await libraryItems(host)).find((item) => item.path === shot.path)).toMatchObject({
      kind: 'screenshot',
      sceneCollectionId: 'friday',
      width: 2,
      height: 1,
    });
  }, 180_000);

  it('after a crash, a recording that plays joins the library at the next start; one that wrote nothing does not, and no warning says the file is gone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tally-outputs-library-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    // What a kill -9 leaves in the data directory: two rows still "recording", one hybrid MP4
    // copied while the recorder was writing it, and no file at all for the other.
    const writing = join(dataDir, 'writing.mp4');
    const played = join(dataDir, 'Crashed show.mp4');
    const recorder = new Recorder({ path: writing, format: 'hybrid-mp4', log: silentLogger, audioExpected: true, onStopped: () => {} });
    recorder.onConfig(program.config);
    program.packets.forEach((packet) => recorder.onPacket(packet));
    copyFileSync(writing, played);
    recorder.stop();
    const store = new Store({ dataDir });
    const rows = new OutputFiles(store);
    rows.begin('recording', played, Date.now() - 5000, null);
    rows.begin('recording', join(dataDir, 'Never written.mp4'), Date.now() - 1000, null);
    store.dispose();

    const log = captureLogger();
    const host = await startHost({ version: '0.0.0', runtime: 'web', dataDir, log });
    cleanups.push(() => host.shutdown());
    await host.outputs.recovered;
    await until(
      async () => (await libraryItems(host)).some((item) => item.path === played),
      60_000,
      'the crashed recording in the library',
    );
    const items = await libraryItems(host);
    expect(items.map((item) => item.path)).toEqual([played]);
    expect(items[0]!.kind).toBe('recording');
    expect(
      log.lines
        .filter((line) => line.level === 'warn' || line.level === 'error')
        .map((line) => line.msg)
        .sort(),
    ).toEqual([
      'a recording the last shutdown cut short had recorded nothing; it is not added to the library',
      'a recording was cut short by the last shutdown; it plays up to its last second',
    ]);
  });
});
