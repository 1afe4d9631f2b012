/**
 * A host process that only imports: `node testing-import-child.ts DATA_DIR PATH...`. It prints
 * `QUEUED n` once the import is acknowledged and `ADDED id path` for each item as the library
 * announces it, so a test can kill -9 it mid-import and check that nothing acknowledged was lost.
 */
import { openTestLibrary } from './testing.ts';

const [dataDir, ...paths] = process.argv.slice(2);
if (!dataDir || paths.length === 0) throw new Error('usage: testing-import-child.ts DATA_DIR PATH...');
const t = openTestLibrary(
  {
    events: {
      itemsChanged: (change) => {
        if (change.reason !== 'added') return;
        for (const id of change.ids) process.stdout.write(`ADDED ${id} ${t.library.index.row(id)?.path}\n`);
      },
      jobUpdated: () => {},
    },
  },
  dataDir,
);
const { jobId } = await t.api.import(paths);
const job = (await t.api.listJobs()).find((entry) => entry.id === jobId);
process.stdout.write(`QUEUED ${job?.total}\n`);
