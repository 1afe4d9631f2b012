/**
 * A real library for tests: a fresh data dir with its SQLite store, the system's ffmpeg and
 * ffprobe, the web host's shell (its own trash folder), and every event it sends recorded.
 * `api` calls it through the contract (arguments and results validated) as the renderer does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContractClient } from '../../../common/host/client.ts';
import type { ServiceClient } from '../../../common/host/contract-kit.ts';
import { libraryService, type LibraryChange, type LibraryJob } from '../../../common/host/library-contract.ts';
import { HostRouter } from '../../../common/host/router.ts';
import { silentLogger } from '../logger.ts';
import { Library, type LibraryOptions } from './library.ts';
import { webLibraryShell } from './shell.ts';
import { Store } from '../store.ts';

export interface TestLibrary {
  library: Library;
  /** The library's calls through the contract, as the renderer makes them. */
  api: ServiceClient<typeof libraryService>;
  store: Store;
  /** The data dir (removed by `close`). */
  dir: string;
  jobs: LibraryJob[];
  changes: LibraryChange[];
  /** Resolves with a job's last state once it has ended (polls the recorded events). */
  jobEnd(jobId: string, timeoutMs?: number): Promise<LibraryJob>;
  close(): Promise<void>;
}

export function openTestLibrary(overrides: Partial<LibraryOptions> = {}, dir = mkdtempSync(join(tmpdir(), 'tally-library-'))): TestLibrary {
  const store = new Store({ dataDir: dir });
  const jobs: LibraryJob[] = [];
  const changes: LibraryChange[] = [];
  const library = new Library({
    db: store.db,
    dataDir: dir,
    tools: () => ({ ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' }),
    shell: webLibraryShell(dir),
    events: { itemsChanged: (change) => changes.push(change), jobUpdated: (job) => jobs.push(job) },
    log: silentLogger,
    ...overrides,
  });
  library.start();
  const contract = { library: libraryService };
  const router = new HostRouter(contract, { library: library.service }, () => {});
  const api = createContractClient(contract, {
    invoke: (channel, args) => router.invoke(channel, args),
    subscribe: () => () => {},
  }).library;
  return {
    library,
    api,
    store,
    dir,
    jobs,
    changes,
    async jobEnd(jobId, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const last = jobs.filter((job) => job.id === jobId).at(-1);
        if (last && last.state !== 'running') return last;
        if (Date.now() > deadline) throw new Error(`job ${jobId} did not end within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await library.dispose();
      store.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
