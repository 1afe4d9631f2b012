import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { channelOf } from '../../../common/host/contract-kit.ts';
import type { LibraryItem, LibraryPage } from '../../../common/host/library-contract.ts';
import { emptyCollection } from '../../../common/scene/schema.ts';
import { until } from '../../../server/testing.ts';
import { startHost, type Host } from '../host.ts';
import { silentLogger } from '../logger.ts';
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
});
