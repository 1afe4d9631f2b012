/**
 * Packaging, for real, with a stand-in for what cannot be downloaded here: Electron's binary
 * (a stand-in folder carrying a real fuse wire, so @electron/fuses has something to flip) and
 * fpm (test/packaging/support/fpm-dpkg-deb.ts builds the deb with dpkg-deb). Everything else is
 * the release as a maintainer runs it: `npm run release -- --channel beta`, electron-builder,
 * the asar, the redistributable ffmpeg fetched from the npm registry, the signed feed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFile, getRawHeader, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePublicKey, verifyFeedSignature } from '../../main/services/updates/signed-feed.ts';
import { ensureBuilt, root } from '../../scripts/build-steps.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-release-'));
const output = join(scratch, 'out');
const electronDist = join(scratch, 'electron-dist');
const keys = generateKeyPairSync('ed25519');
const publicKeyFile = join(scratch, 'update-signing-key.pem');
writeFileSync(publicKeyFile, keys.publicKey.export({ type: 'spki', format: 'pem' }));
const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** A fuse's byte on the wire (@electron/fuses, dist/constants.js: FuseState). */
const FuseState = { DISABLE: '0'.charCodeAt(0), ENABLE: '1'.charCodeAt(0) };
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

/** Electron's Linux layout with a fuse wire as Electron 45 ships it (sentinel, version 1, 8 fuses). */
function standInElectron(dir: string): void {
  mkdirSync(join(dir, 'locales'), { recursive: true });
  mkdirSync(join(dir, 'resources'));
  const wire = Buffer.concat([Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 8]), Buffer.from('10110001')]);
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\necho stand-in\n# '), wire, Buffer.from('\n')]));
  chmodSync(join(dir, 'electron'), 0o755);
  for (const file of ['chrome-sandbox', 'LICENSE', 'LICENSES.chromium.html', 'locales/en-US.pak']) writeFileSync(join(dir, file), '');
  writeFileSync(join(dir, 'version'), '45.5.0');
}

function release(args: string[], env: NodeJS.ProcessEnv = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(CSC_|WIN_CSC_|APPLE_|TALLY_)/.test(name)));
  return spawnSync(process.execPath, [join(root, 'scripts', 'release.ts'), ...args], {
    cwd: root,
    env: { ...clean, CUSTOM_FPM_PATH: join(root, 'test', 'packaging', 'support', 'fpm-dpkg-deb.sh'), ...env },
    encoding: 'utf8',
    timeout: 540_000,
  });
}

let run: ReturnType<typeof release>;
const unpacked = join(output, 'linux-unpacked');
const resources = join(unpacked, 'resources');
const asar = join(resources, 'app.asar');
const deb = join(output, `Tally-${version}-linux-amd64.deb`);

beforeAll(async () => {
  standInElectron(electronDist);
  await ensureBuilt(['renderer', 'electron']);
  run = release(
    [
      '--channel',
      'beta',
      '--linux',
      '--skip-build',
      '--electron-dist',
      electronDist,
      '--output',
      output,
      '--public-key',
      publicKeyFile,
      '-c.linux.target=deb',
      '-c.deb.compression=gz',
    ],
    { TALLY_UPDATE_SIGNING_KEY: privateKeyPem },
  );
  if (run.status !== 0) throw new Error(`release failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run release -- --channel beta (stand-in Electron binary and an fpm stand-in over dpkg-deb)', () => {
  it('builds a deb named with the version, with the maintainer address and homepage the deb target needs', () => {
    expect(existsSync(deb)).toBe(true);
    // The sizes a release report quotes (the stand-in Electron adds nearly nothing: this is Tally's payload).
    const mib = (path: string) => (statSync(path).size / 2 ** 20).toFixed(1);
    console.log(
      `deb ${mib(deb)} MiB (gzip, stand-in Electron), app.asar ${mib(asar)} MiB, ffmpeg ${mib(join(resources, 'ffmpeg', 'linux-x64', 'ffmpeg'))} MiB`,
    );
    const field = (name: string) => execFileSync('dpkg-deb', ['-f', deb, name], { encoding: 'utf8' }).trim();
    expect(field('Package')).toBe('tally');
    expect(field('Version')).toBe(version);
    expect(field('Maintainer')).toMatch(/<[^>]+@[^>]+>/);
    expect(field('Homepage')).toMatch(/^https:\/\//);
    const listing = execFileSync('dpkg-deb', ['-c', deb], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    for (const path of [
      './opt/Tally/tally',
      './opt/Tally/resources/app.asar',
      './opt/Tally/resources/ffmpeg/linux-x64/ffmpeg',
      './opt/Tally/resources/update-signing-key.pem',
    ])
      expect(listing).toContain(path);
  });

  it('the asar holds the built main, preload and renderer, and no source, source map or dev-only package', () => {
    const files = listPackage(asar, { isPack: false }).map((file) => file.replaceAll('\\', '/'));
    for (const path of [
      '/package.json',
      '/dist/electron/main.js',
      '/dist/electron/preload.cjs',
      '/dist/renderer/index.html',
      '/dist/electron/player/player.js',
    ])
      expect(files).toContain(path);
    expect(files.some((file) => file.startsWith('/dist/renderer/assets/') && file.endsWith('.js'))).toBe(true);
    expect(extractFile(asar, 'dist/electron/preload.cjs').equals(readFileSync(join(root, 'dist', 'electron', 'preload.cjs')))).toBe(true);
    const forbidden = files.filter(
      (file) =>
        /\.(map|ts|tsx|md)$/.test(file) ||
        /^\/(main|common|renderer|server|preload|native|scripts|test|resources|bench)\//.test(file) ||
        /^\/node_modules\/(react|react-dom|mediabunny|typescript|vitest|electron|electron-builder|playwright-core|esbuild|vite|@types)\//.test(
          file,
        ) ||
        /^\/node_modules\/better-sqlite3\/(deps|src)\//.test(file),
    );
    expect(forbidden).toEqual([]);
    // What the main process needs at run time is there.
    for (const name of ['better-sqlite3', 'electron-updater', 'pino', 'zod', 'js-yaml', 'semver', 'hls.js', 'mpegts.js'])
      expect(files, name).toContain(`/node_modules/${name}/package.json`);
  });

  it('the native module and ffmpeg sit outside the asar: the linux-x64 prebuild only, and an ffmpeg with the native AAC encoder under the GPL', () => {
    const prebuilds = readdirSync(join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'prebuilds'));
    expect(prebuilds).toEqual(['linux-x64.node']);
    const header = getRawHeader(asar).header as { files: Record<string, { files?: Record<string, unknown>; unpacked?: boolean }> };
    const entry = ['node_modules', 'better-sqlite3', 'prebuilds', 'linux-x64.node'].reduce<{
      files?: Record<string, unknown>;
      unpacked?: boolean;
    }>((node, name) => (node.files as Record<string, { files?: Record<string, unknown>; unpacked?: boolean }>)[name]!, header);
    expect(entry.unpacked).toBe(true);

    const ffmpeg = join(resources, 'ffmpeg', 'linux-x64', 'ffmpeg');
    expect(execFileSync(ffmpeg, ['-hide_banner', '-encoders'], { encoding: 'utf8' })).toMatch(
      /^ A\.{5} aac\s+AAC \(Advanced Audio Coding\)$/m,
    );
    const licence = execFileSync(ffmpeg, ['-hide_banner', '-L'], { encoding: 'utf8' });
    expect(licence).toMatch(/GNU General Public License/);
    expect(execFileSync(ffmpeg, ['-hide_banner', '-buildconf'], { encoding: 'utf8' })).not.toContain('--enable-nonfree');
    expect(readFileSync(join(resources, 'ffmpeg', 'linux-x64', 'SOURCE.txt'), 'utf8')).toMatch(/GPL-3\.0-or-later/);
  });

  it('flips the fuses: no RunAsNode, NODE_OPTIONS or --inspect; asar only, with integrity; cookies encrypted', async () => {
    const wire = await getCurrentFuseWire(join(unpacked, 'tally'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
  });

  it('writes signed feeds for beta and alpha that verify with the public key the app ships', () => {
    expect(readFileSync(join(resources, 'update-signing-key.pem'), 'utf8')).toBe(readFileSync(publicKeyFile, 'utf8'));
    const publicKey = parsePublicKey(readFileSync(join(resources, 'update-signing-key.pem'), 'utf8'));
    for (const channel of ['beta', 'alpha']) {
      const folder = join(output, 'feed', channel);
      const yml = readFileSync(join(folder, `${channel}-linux.yml`));
      expect(verifyFeedSignature(yml, readFileSync(join(folder, `${channel}-linux.yml.sig`), 'utf8'), publicKey), channel).toBe(true);
      const info = load(yml.toString()) as { version: string; files: Array<{ url: string; sha512: string }> };
      expect(info.version).toBe(version);
      const installer = readFileSync(join(folder, info.files[0]!.url));
      expect(createHash('sha512').update(installer).digest('base64')).toBe(info.files[0]!.sha512);
    }
    expect(existsSync(join(output, 'feed', 'latest'))).toBe(false);
    expect(load(readFileSync(join(resources, 'app-update.yml'), 'utf8'))).toMatchObject({ provider: 'generic', channel: 'beta' });
  });

  it('says loudly that the build is not code-signed', () => {
    expect(run.stderr).toMatch(/!{20,}\n!! SIGNING: this build is not fully signed\n!! Linux:/);
  });

  it('refuses to release with a key that does not match the shipped public key, before building anything', () => {
    const stranger = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const refused = release(
      ['--channel', 'beta', '--linux', '--skip-build', '--public-key', publicKeyFile, '--output', join(scratch, 'refused')],
      {
        TALLY_UPDATE_SIGNING_KEY: stranger,
      },
    );
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/does not match the public key the app ships/);
    expect(existsSync(join(scratch, 'refused'))).toBe(false);
  });
});
