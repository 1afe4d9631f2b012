/** The origin's version (webhook user agents): written into a build by its bundler, read from package.json when run from sources. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

declare const __TALLY_VERSION__: string | undefined;

function fromPackageJson(): string {
  try {
    return (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** `0.1.0`, as package.json says. */
export const ORIGIN_VERSION: string = typeof __TALLY_VERSION__ === 'string' ? __TALLY_VERSION__ : fromPackageJson();
