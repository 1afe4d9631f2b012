import { describe, expect, it } from 'vitest';
import type { OutputFile } from '../../../common/host/outputs-contract.ts';
import { captureLogger } from '../../../server/log.ts';
import type { MadeMedia } from '../library/library.ts';
import { addMadeFilesTo } from './output-files.ts';

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
