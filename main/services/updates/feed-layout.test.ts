import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { channelsReached, writeFeed } from './feed-layout.ts';
import { verifyFeedSignature } from './signed-feed.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-feed-layout-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const { publicKey, privateKey } = generateKeyPairSync('ed25519');

function release(channel: string): string {
  const dir = mkdtempSync(join(scratch, 'release-'));
  writeFileSync(join(dir, 'Tally-1.0.0-win-x64.exe'), 'exe');
  writeFileSync(join(dir, 'Tally-1.0.0-win-x64.exe.blockmap'), 'blockmap');
  writeFileSync(join(dir, `${channel}.yml`), 'version: 1.0.0\nfiles:\n  - url: Tally-1.0.0-win-x64.exe\n    sha512: abc\n');
  writeFileSync(join(dir, 'builder-debug.yml'), 'not a channel file');
  return dir;
}

describe('the feed folders a release writes', () => {
  it('a stable release reaches every channel; each folder holds its own renamed, signed channel file, installer and blockmap', () => {
    expect(channelsReached('beta')).toEqual(['beta', 'alpha']);
    const feedDir = join(scratch, 'feed');
    writeFeed({ releaseDir: release('latest'), feedDir, channel: 'latest', privateKey, stagingPercentage: 20 });
    expect(readdirSync(feedDir).sort()).toEqual(['alpha', 'beta', 'latest']);
    expect(readdirSync(join(feedDir, 'beta')).sort()).toEqual([
      'Tally-1.0.0-win-x64.exe',
      'Tally-1.0.0-win-x64.exe.blockmap',
      'beta.yml',
      'beta.yml.sig',
    ]);
    const yml = readFileSync(join(feedDir, 'beta', 'beta.yml'));
    expect(load(yml.toString())).toMatchObject({ version: '1.0.0', stagingPercentage: 20 });
    expect(verifyFeedSignature(yml, readFileSync(join(feedDir, 'beta', 'beta.yml.sig'), 'utf8'), publicKey)).toBe(true);
  });

  it('refuses a staging percentage outside 1..100 and a release folder without channel files', () => {
    expect(() =>
      writeFeed({ releaseDir: release('beta'), feedDir: join(scratch, 'f2'), channel: 'beta', privateKey, stagingPercentage: 0 }),
    ).toThrow(/1\.\.100/);
    expect(() => writeFeed({ releaseDir: release('beta'), feedDir: join(scratch, 'f3'), channel: 'alpha', privateKey })).toThrow(
      /no alpha\*\.yml/,
    );
  });
});
