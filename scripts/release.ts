/**
 * `npm run release -- --channel latest|beta|alpha [--linux|--mac|--win] [--staging-percentage N]
 * [--electron-dist DIR] [--output DIR] [--public-key FILE] [--skip-build] [-c.key=value ...]`
 *
 * Builds the app, fetches the redistributable ffmpeg of every target, packages with
 * electron-builder (signing with whatever credentials the environment holds, loudly warning
 * about the rest), then signs each channel file with `TALLY_UPDATE_SIGNING_KEY` (ed25519,
 * PKCS #8 PEM) and writes the feed folder: `<output>/feed/<channel>/`, ready to upload to
 * `<TALLY_UPDATE_URL>/<channel>/` or to serve with `npm run origin -- --updates-dir <output>/feed`.
 * The key must match the public key the app ships (`resources/update-signing-key.pem`, or
 * `--public-key` for a venue's own pair), or every install would refuse the feed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createPublicKey } from 'node:crypto';
import { load } from 'js-yaml';
import { UpdateChannel } from '../common/host/contract.ts';
import { channelsReached, writeFeed } from '../main/services/updates/feed-layout.ts';
import { defaultChannelFor } from '../main/services/updates/update-service.ts';
import { parsePrivateKey, parsePublicKey } from '../main/services/updates/signed-feed.ts';
import { root } from './build-steps.ts';
import { fetchFfmpeg } from './release/ffmpeg-redist.ts';
import { loudBanner, signingFromEnv, type BuildPlatform } from './release/signing.ts';

const passthrough = process.argv.slice(2).filter((arg) => arg.startsWith('-c.'));
const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => !arg.startsWith('-c.')),
  strict: true,
  options: {
    channel: { type: 'string' },
    linux: { type: 'boolean' },
    mac: { type: 'boolean' },
    win: { type: 'boolean' },
    'staging-percentage': { type: 'string' },
    'electron-dist': { type: 'string' },
    output: { type: 'string' },
    'public-key': { type: 'string' },
    'skip-build': { type: 'boolean' },
  },
});

const fail = (message: string): never => {
  process.stderr.write(`release: ${message}\n`);
  process.exit(1);
};

const channel = UpdateChannel.safeParse(values.channel).data ?? fail('--channel latest|beta|alpha is required');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
if (!channelsReached(defaultChannelFor(pkg.version)).includes(channel))
  fail(`version ${pkg.version} is a ${defaultChannelFor(pkg.version)} build: it cannot go to the ${channel} channel`);
const hostPlatform: BuildPlatform = process.platform === 'darwin' ? 'mac' : process.platform === 'win32' ? 'win' : 'linux';
const platforms = (['linux', 'mac', 'win'] as const).filter((platform) => values[platform]);
if (platforms.length === 0) platforms.push(hostPlatform);
const output = resolve(values.output ?? join(root, 'release'));
const staging = values['staging-percentage'] === undefined ? undefined : Number(values['staging-percentage']);

// The feed key first: a release whose feed every install would refuse is worthless.
const keyPem = process.env.TALLY_UPDATE_SIGNING_KEY ?? fail('TALLY_UPDATE_SIGNING_KEY (ed25519 private key, PKCS #8 PEM) is not set');
const privateKey = parsePrivateKey(keyPem);
const publicKeyFile = resolve(values['public-key'] ?? join(root, 'resources', 'update-signing-key.pem'));
const shipped = parsePublicKey(readFileSync(publicKeyFile, 'utf8'));
if (
  !createPublicKey(privateKey)
    .export({ type: 'spki', format: 'der' })
    .equals(shipped.export({ type: 'spki', format: 'der' }))
)
  fail(`TALLY_UPDATE_SIGNING_KEY does not match the public key the app ships (${publicKeyFile}): installs would refuse this feed`);

const signing = signingFromEnv(process.env, platforms);
process.stderr.write(loudBanner(signing.warnings));

// ffmpeg goes to a cache outside the source tree (a checkout's resources/ffmpeg/ is for a hand-placed one).
const archs: Record<BuildPlatform, string[]> = { linux: ['x64'], mac: ['x64', 'arm64'], win: ['x64', 'arm64'] };
const osName: Record<BuildPlatform, string> = { linux: 'linux', mac: 'darwin', win: 'win32' };
const ffmpegCache = join(root, 'node_modules', '.cache', 'tally-ffmpeg');
for (const platform of platforms)
  for (const arch of archs[platform]) {
    const target = `${osName[platform]}-${arch}`;
    process.stdout.write(`ffmpeg for ${target}: ${fetchFfmpeg(target, ffmpegCache, join(ffmpegCache, 'tarballs'))}\n`);
  }

if (!values['skip-build']) execFileSync(process.execPath, [join(root, 'scripts', 'build.ts')], { stdio: 'inherit' });

// The configuration file with this release's settings applied, written out whole: electron-builder
// merges a `config` object into its file by concatenating arrays, which would ship two keys.
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
Object.assign(config, {
  directories: { ...(config.directories as object), output },
  publish: { provider: 'generic', url: process.env.TALLY_UPDATE_URL ?? 'https://updates.tally.invalid/updates/', channel },
  // The public key the feed was just checked against is the one shipped.
  extraResources: [{ from: publicKeyFile, to: 'update-signing-key.pem' }],
  ...(values['electron-dist'] ? { electronDist: resolve(values['electron-dist']) } : {}),
});
for (const [platform, overrides] of Object.entries(signing.config)) config[platform] = { ...(config[platform] as object), ...overrides };
for (const platform of ['linux', 'mac', 'win'] as const) {
  const block = config[platform] as { extraResources?: Array<{ from: string; to: string }> } | undefined;
  for (const resource of block?.extraResources ?? [])
    if (resource.to.startsWith('ffmpeg/')) resource.from = join(ffmpegCache, 'ffmpeg', `${osName[platform]}-\${arch}`);
}
for (const arg of passthrough) setPath(config, arg.slice('-c.'.length));
const configFile = join(mkdtempSync(join(tmpdir(), 'tally-release-')), 'electron-builder.json');
writeFileSync(configFile, JSON.stringify(config, null, 2));
const { default: electronBuilder } = await import('electron-builder');
await electronBuilder.build({
  projectDir: root,
  publish: 'never',
  config: configFile,
  ...Object.fromEntries(platforms.map((platform) => [platform, []])),
});

const feed = writeFeed({
  releaseDir: output,
  feedDir: join(output, 'feed'),
  channel,
  privateKey,
  ...(staging === undefined ? {} : { stagingPercentage: staging }),
});
process.stdout.write(`Feed: ${join(output, 'feed')}\n`);
for (const [folder, files] of Object.entries(feed.files))
  process.stdout.write(`  ${folder}/: ${files.length} files (upload to <update server>/${folder}/)\n`);
if (!process.env.TALLY_UPDATE_URL)
  process.stderr.write('release: TALLY_UPDATE_URL is not set: installs look for updates at https://updates.tally.invalid/updates/\n');

/** Applies one `-c.a.b=value` override (as electron-builder's CLI does): true/false/null/numbers typed, the rest strings. */
function setPath(target: Record<string, unknown>, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) fail(`-c.${assignment}: expected -c.key=value`);
  const keys = assignment.slice(0, eq).split('.');
  const raw = assignment.slice(eq + 1);
  const value = raw === 'true' ? true : raw === 'false' ? false : raw === 'null' ? null : /^\d+$/.test(raw) ? Number(raw) : raw;
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}
