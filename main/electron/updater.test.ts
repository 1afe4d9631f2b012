import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { createRequire, Module } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppUpdater } from 'electron-updater';
import type { UpdateChannel, UpdateState } from '../../common/host/contract.ts';
import { startTestOrigin, type TestOrigin } from '../../server/testing.ts';
import { silentLogger } from '../services/logger.ts';
import { channelsReached, writeFeed } from '../services/updates/feed-layout.ts';
import { generateSigningKeyPair, parsePrivateKey, parsePublicKey } from '../services/updates/signed-feed.ts';

/*
 * electron-updater is real here; only the `electron` module is replaced, at its module
 * boundary (the require cache), since its binary cannot be installed on this machine.
 * electron-updater reaches electron for `app` (ElectronAppAdapter), `net.request` and
 * `session.fromPartition` (ElectronHttpExecutor) and, on macOS, `autoUpdater` (MacUpdater).
 * The fake `net.request` is Node's http.request, which emits the same 'response' event.
 */
const scratch = mkdtempSync(join(tmpdir(), 'tally-updater-'));
const userData = join(scratch, 'user-data');
mkdirSync(userData);
let appVersion = '1.0.0';
const fakeElectron = {
  app: Object.assign(new EventEmitter(), {
    getVersion: () => appVersion,
    getName: () => 'Tally',
    isPackaged: true,
    getAppPath: () => scratch,
    getPath: (name: string) => (name === 'userData' ? userData : scratch),
    whenReady: () => Promise.resolve(),
    quit: () => {},
    relaunch: () => {},
  }),
  net: {
    request: (options: RequestOptions & { session?: unknown; redirect?: string }) => {
      const { session: _session, redirect: _redirect, ...plain } = options;
      return httpRequest(plain);
    },
  },
  session: { fromPartition: () => ({}) },
  autoUpdater: Object.assign(new EventEmitter(), { setFeedURL() {}, checkForUpdates() {}, quitAndInstall() {} }),
};
const require = createRequire(import.meta.url);
const electronPath = require.resolve('electron');
const fakeModule = new Module(electronPath);
Object.assign(fakeModule, { filename: electronPath, loaded: true, exports: fakeElectron });
require.cache[electronPath] = fakeModule;

const { default: electronUpdater } = await import('electron-updater');
const { electronUpdateController } = await import('./updater.ts');

const keys = generateSigningKeyPair();
const publicKey = parsePublicKey(keys.publicKeyPem);
const privateKey = parsePrivateKey(keys.privateKeyPem);
const origins: TestOrigin[] = [];
afterAll(async () => {
  for (const origin of origins) await origin.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** What electron-builder leaves in its output folder for one release: installers and a channel file per platform. */
function fakeRelease(version: string, channel: UpdateChannel): string {
  const dir = mkdtempSync(join(scratch, 'release-'));
  const platforms = { '': 'win-x64.exe', '-mac': 'mac-arm64.zip', '-linux': 'linux-x86_64.AppImage' };
  for (const [suffix, artifact] of Object.entries(platforms)) {
    const url = `Tally-${version}-${artifact}`;
    const bytes = Buffer.from(`installer ${url}`);
    writeFileSync(join(dir, url), bytes);
    writeFileSync(join(dir, `${url}.blockmap`), 'blockmap');
    const sha512 = createHash('sha512').update(bytes).digest('base64');
    writeFileSync(
      join(dir, `${channel}${suffix}.yml`),
      dump({ version, files: [{ url, sha512, size: bytes.length }], path: url, sha512, releaseDate: '2026-01-01T00:00:00.000Z' }),
    );
  }
  return dir;
}

/** Writes a release's feed with the release script's own code, lets `tamper` edit it, and serves it from a Tally Origin. */
async function serveFeed(
  version: string,
  channel: UpdateChannel,
  options: { tamper?: (feedDir: string) => void; stagingPercentage?: number; key?: typeof privateKey } = {},
): Promise<string> {
  const feedDir = mkdtempSync(join(scratch, 'feed-'));
  writeFeed({
    releaseDir: fakeRelease(version, channel),
    feedDir,
    channel,
    privateKey: options.key ?? privateKey,
    ...(options.stagingPercentage ? { stagingPercentage: options.stagingPercentage } : {}),
  });
  options.tamper?.(feedDir);
  const origin = await startTestOrigin({ updatesDir: feedDir });
  origins.push(origin);
  return `${origin.urls.http}updates/`;
}

type UpdaterClass = new () => AppUpdater;
const platforms: Array<{ platform: NodeJS.Platform; updater: UpdaterClass; file: string }> = [
  { platform: 'win32', updater: electronUpdater.NsisUpdater, file: 'latest.yml' },
  { platform: 'darwin', updater: electronUpdater.MacUpdater, file: 'latest-mac.yml' },
  { platform: 'linux', updater: electronUpdater.AppImageUpdater, file: 'latest-linux.yml' },
  { platform: 'linux', updater: electronUpdater.DebUpdater, file: 'latest-linux.yml' },
];

async function check(feedBaseUrl: string, channel: UpdateChannel, options: { updater?: UpdaterClass; platform?: NodeJS.Platform } = {}) {
  const updater = new (options.updater ?? electronUpdater.DebUpdater)();
  // electron-updater's own switch for the platform a provider names its channel file for.
  (updater as unknown as { _testOnlyOptions: { platform: NodeJS.Platform } })._testOnlyOptions = { platform: options.platform ?? 'linux' };
  updater.forceDevUpdateConfig = true; // an AppImage updater otherwise wants $APPIMAGE
  const controller = electronUpdateController({ updater, publicKey, feedBaseUrl, currentVersion: appVersion, log: silentLogger });
  updater.autoDownload = false; // decisions only: nothing is installed here
  const states: UpdateState[] = [];
  controller.onState((state) => states.push(state));
  controller.setChannel(channel);
  const final = await controller.check();
  controller.dispose();
  return { final, states };
}

describe('update decisions with the real electron-updater (electron replaced at its module boundary)', () => {
  for (const { platform, updater, file } of platforms) {
    it(`${updater.name} on ${platform}: a signed newer release is offered, a tampered ${file} is refused`, async () => {
      appVersion = '1.0.0';
      const good = await check(await serveFeed('1.1.0', 'latest'), 'latest', { updater, platform });
      expect(good.states.map((state) => state.kind)).toEqual(['checking', 'available']);
      expect(good.final).toEqual({ kind: 'available', version: '1.1.0' });

      const tampered = await serveFeed('1.1.0', 'latest', {
        tamper: (dir) => {
          const path = join(dir, 'latest', file);
          writeFileSync(
            path,
            readFileSync(path, 'utf8').replaceAll(/sha512: \S+/g, `sha512: ${createHash('sha512').update('evil').digest('base64')}`),
          );
        },
      });
      const refused = await check(tampered, 'latest', { updater, platform });
      expect(refused.final).toMatchObject({
        kind: 'refused',
        message: expect.stringMatching(`signature of ${file} does not match`) as unknown,
      });
    });
  }

  it('a feed signed with another key, or not signed at all, is refused', async () => {
    appVersion = '1.0.0';
    const otherKey = parsePrivateKey(generateSigningKeyPair().privateKeyPem);
    expect((await check(await serveFeed('1.1.0', 'latest', { key: otherKey }), 'latest')).final.kind).toBe('refused');
    const unsigned = await serveFeed('1.1.0', 'latest', { tamper: (dir) => rmSync(join(dir, 'latest', 'latest-linux.yml.sig')) });
    expect((await check(unsigned, 'latest')).final).toMatchObject({
      kind: 'refused',
      message: expect.stringMatching(/has no signature/) as unknown,
    });
  });

  it('the stable channel refuses a downgrade with a clear message', async () => {
    appVersion = '1.2.0';
    const result = await check(await serveFeed('1.1.0', 'latest'), 'latest');
    expect(result.final).toEqual({
      kind: 'refused',
      message:
        'Update refused: the stable channel offers 1.1.0, older than the installed 1.2.0. The stable channel never downgrades; 1.2.0 stays installed until a newer release.',
    });
  });

  it('a beta tester follows beta/: a beta release is offered; the same version is up to date', async () => {
    appVersion = '1.1.0-beta.1';
    const feed = await serveFeed('1.1.0-beta.2', 'beta');
    expect((await check(feed, 'beta')).final).toEqual({ kind: 'available', version: '1.1.0-beta.2' });
    appVersion = '1.1.0-beta.2';
    expect((await check(feed, 'beta')).final).toEqual({ kind: 'up-to-date', version: '1.1.0-beta.2' });
    // The stable folder of that feed does not exist: a stable install never sees the beta.
    expect((await check(feed, 'latest')).final.kind).toBe('error');
  });

  it('a stable release also reaches beta and alpha testers', async () => {
    expect(channelsReached('latest')).toEqual(['latest', 'beta', 'alpha']);
    appVersion = '1.1.0-alpha.3';
    expect((await check(await serveFeed('1.1.0', 'latest'), 'alpha')).final).toEqual({ kind: 'available', version: '1.1.0' });
  });

  it('a staged rollout reaches installs whose staging id falls under the percentage, and no others', async () => {
    appVersion = '1.0.0';
    const feed = await serveFeed('1.1.0', 'latest', { stagingPercentage: 50 });
    // electron-updater places an install by the last 4 bytes of its `.updaterId` (AppUpdater.isStagingMatch).
    writeFileSync(join(userData, '.updaterId'), '6ba7b810-9dad-41d1-80b4-00000000000a');
    expect((await check(feed, 'latest')).final).toEqual({ kind: 'available', version: '1.1.0' });
    writeFileSync(join(userData, '.updaterId'), '6ba7b810-9dad-41d1-80b4-0000fffffff0');
    expect((await check(feed, 'latest')).final).toEqual({ kind: 'up-to-date', version: '1.1.0' });
    rmSync(join(userData, '.updaterId'));
  });
});
