import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OutputFile } from '../../../common/host/outputs-contract.ts';
import { captureLogger } from '../../../server/log.ts';
import type { MadeMedia } from '../library/library.ts';
import { Store } from '../store.ts';
import { addMadeFilesTo, OutputFiles, recoveryNotice, type RecoveredRecording } from './output-files.ts';
import { Recorder } from './recorder.ts';
import { encodeTestProgram, probe } from './testing.ts';

const file = (path: string): OutputFile => ({
  id: `file-${path}`,
  kind: 'recording',
  path,
  startedAtMs: 1,
  endedAtMs: 2,
  durationMs: 1,
  sizeBytes: 10,
  videoCodec: 'avc1.64001f',
  audioCodec: 'mp4a.40.2',
  width: 320,
  height: 180,
  sceneCollectionId: 'friday',
  destinationIds: ['local-origin', 'dest-2'],
  status: 'complete',
});

describe('finished files to the content library (fake library)', () => {
  it('passes the links on, logs a file the library refuses, and shutdown waits for additions but not forever', async () => {
    const made: MadeMedia[] = [];
    const log = captureLogger();
    const feed = addMadeFilesTo(
      {
        addMade(media) {
          made.push(media);
          if (media.path === '/gone.mp4') return Promise.reject(new Error('the file is gone'));
          if (media.path === '/stuck.mp4') return new Promise(() => {});
          return Promise.resolve({});
        },
      },
      log,
    );
    feed.fileFinished(file('/a.mp4'));
    feed.fileFinished(file('/gone.mp4'));
    await feed.settled();
    expect(made[0]).toEqual({ path: '/a.mp4', kind: 'recording', sceneCollectionId: 'friday', destinationIds: ['local-origin', 'dest-2'] });
    expect(log.lines).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'the library could not add a file the studio made' }) as unknown,
    ]);

    feed.fileFinished(file('/stuck.mp4'));
    await feed.settled(50);
    expect(log.lines.at(-1)).toMatchObject({ level: 'warn', msg: 'shutting down before the library added every file the studio made' });
  });
});

describe('recordings a crash cut short, found at the next start (real SQLite, real files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-output-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const program = encodeTestProgram({ seconds: 4, gop: 30 });

  /** The recorder's hybrid MP4 as a kill -9 leaves it: copied while the recorder is still writing. */
  function crashedRecording(name: string): string {
    const path = join(dir, `${name}-writing.mp4`);
    const copy = join(dir, `${name}.mp4`);
    const recorder = new Recorder({ path, format: 'hybrid-mp4', log: captureLogger(), audioExpected: true, onStopped: () => {} });
    recorder.onConfig(program.config);
    program.packets.slice(0, Math.floor(program.packets.length * 0.8)).forEach((packet) => recorder.onPacket(packet));
    copyFileSync(path, copy);
    recorder.stop();
    return copy;
  }

  it('fills the duration, codecs, size and end of one that plays; marks one with no file or an empty file empty; reads a second start as nothing new', async () => {
    const store = new Store({ dataDir: dir });
    try {
      const files = new OutputFiles(store);
      const played = crashedRecording('played');
      const zeroBytes = join(dir, 'zero.mp4');
      writeFileSync(zeroBytes, '');
      const garbage = join(dir, 'garbage.mp4');
      writeFileSync(garbage, 'not a recording, only words');
      const ids = {
        played: files.begin('recording', played, 1_000, 'friday'),
        missing: files.begin('recording', join(dir, 'never-written.mp4'), 2_000, 'friday'),
        zeroBytes: files.begin('recording', zeroBytes, 3_000, null),
        garbage: files.begin('recording', garbage, 4_000, null),
      };
      const recovered = await files.recoverInterrupted();
      const byId = (id: string) => recovered.find((entry) => entry.file.id === id)!;

      const playedFile = byId(ids.played).file;
      expect(playedFile).toMatchObject({
        status: 'interrupted',
        sizeBytes: statSync(played).size,
        endedAtMs: Math.round(statSync(played).mtimeMs),
        videoCodec: program.config.video!.codec,
        audioCodec: 'mp4a.40.2',
        width: 320,
        height: 180,
        sceneCollectionId: 'friday',
      });
      expect(Math.abs(playedFile.durationMs! / 1000 - probe(played).durationSec)).toBeLessThan(0.5);
      expect(byId(ids.played).problem).toBeNull();

      expect(byId(ids.missing)).toEqual({
        file: expect.objectContaining({ status: 'empty', sizeBytes: 0, durationMs: null, videoCodec: null, endedAtMs: 2_000 }) as unknown,
        problem: 'there is no file',
      });
      expect(byId(ids.zeroBytes)).toEqual({
        file: expect.objectContaining({ status: 'empty', sizeBytes: 0, durationMs: null }) as unknown,
        problem: 'the file is empty',
      });
      // Some bytes, unreadable: kept as interrupted (the library says what it makes of it), without figures.
      expect(byId(ids.garbage).file).toMatchObject({ status: 'interrupted', sizeBytes: 27, durationMs: null, videoCodec: null });
      expect(byId(ids.garbage).problem).toMatch(/^its length and codecs could not be read: /);

      // What the index holds afterwards, and a second start finds nothing left to recover.
      expect(files.get(ids.played)).toEqual(playedFile);
      expect(await files.recoverInterrupted()).toEqual([]);
    } finally {
      store.dispose();
    }
  });

  it('tells the user in one sentence what became of them', () => {
    const recovered = (
      status: 'interrupted' | 'empty',
      durationMs: number | null,
      path = '/rec/Show 2025-01-31.mp4',
    ): RecoveredRecording => ({
      file: { ...file(path), status, durationMs },
      problem: null,
    });
    expect(recoveryNotice([])).toBeNull();
    expect(recoveryNotice([recovered('interrupted', 15_770)])).toBe(
      'The last recording was cut short when Tally stopped: Show 2025-01-31.mp4 keeps its first 15 s and was added to the library.',
    );
    expect(recoveryNotice([recovered('interrupted', 3_725_000)])).toMatch(/keeps its first 1 h 2 min and/);
    expect(recoveryNotice([recovered('interrupted', null)])).toMatch(/keeps what was recorded and was added/);
    expect(recoveryNotice([recovered('empty', null)])).toBe(
      'The last recording was cut short when Tally stopped, before anything was recorded: nothing was saved.',
    );
    expect(recoveryNotice([recovered('interrupted', 5_000), recovered('empty', null, '/rec/b.mp4')])).toBe(
      '2 recordings were cut short when Tally stopped: Show 2025-01-31.mp4 keeps what was recorded and was added to the library; 1 had recorded nothing, so nothing was saved.',
    );
  });
});
