/**
 * Loads better-sqlite3, Tally's one native database binding. It ships N-API prebuilds, so
 * it loads in Node 24 and in Electron without a rebuild; when it cannot load, the error
 * says why and what to do instead of a bare dlopen message.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;
export type DatabaseConstructor = typeof BetterSqlite3;

/** The native SQLite binding failed to load. */
export class NativeModuleError extends Error {
  override readonly name = 'NativeModuleError';
}

let cached: DatabaseConstructor | undefined;

/** Returns the better-sqlite3 constructor, or throws a `NativeModuleError` that explains the failure. */
export function loadSqlite(): DatabaseConstructor {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  try {
    cached = require('better-sqlite3') as DatabaseConstructor;
    return cached;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new NativeModuleError(
      `Could not load the SQLite binding (better-sqlite3 13) for ${process.platform}-${process.arch}, ` +
        `Node ${process.versions.node}${process.versions.electron ? `, Electron ${process.versions.electron}` : ''}. ` +
        `Run \`npm ci\` again; Tally needs Node 24. Cause: ${reason}`,
      { cause: error },
    );
  }
}
