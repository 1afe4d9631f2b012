/**
 * The update feed a release writes: one folder per channel (`latest/`, `beta/`, `alpha/`),
 * each self-contained, ready to upload to `<update server>/updates/<channel>/` (Tally Origin
 * serves it with `--updates-dir`). A release reaches its own channel and every less stable
 * one: a stable release is offered to beta and alpha testers too, a beta to alpha testers.
 *
 * electron-builder writes one channel file per platform (`latest.yml` for Windows,
 * `latest-mac.yml`, `latest-linux.yml`, `latest-linux-arm64.yml`; `beta*.yml` when its
 * `publish.channel` is beta) next to the installers and blockmaps it lists. Each channel file
 * gets `stagingPercentage` when the rollout is staged (electron-updater reads it,
 * AppUpdater.isStagingMatch), then its detached ed25519 signature.
 */
import { copyFileSync, existsSync, linkSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { dump, load } from 'js-yaml';
import type { UpdateChannel } from '../../../common/host/contract.ts';
import { ensureWritableFolder } from '../user-folder.ts';
import { SIGNATURE_SUFFIX, signFeedFile } from './signed-feed.ts';

/** The channels a release on `channel` is offered to, most stable first. */
export function channelsReached(channel: UpdateChannel): UpdateChannel[] {
  const order: UpdateChannel[] = ['latest', 'beta', 'alpha'];
  return order.slice(order.indexOf(channel));
}

/** The channel files electron-builder wrote for `channel` in `releaseDir`, e.g. `beta.yml`, `beta-linux.yml`. */
export function channelFilesOf(releaseDir: string, channel: UpdateChannel): string[] {
  const pattern = new RegExp(`^${channel}(-mac|-linux(-[a-z0-9]+)?)?\\.yml$`);
  return readdirSync(releaseDir)
    .filter((name) => pattern.test(name))
    .sort();
}

export interface WriteFeedOptions {
  /** electron-builder's output folder. */
  releaseDir: string;
  /** Where the feed folders go. */
  feedDir: string;
  channel: UpdateChannel;
  privateKey: KeyObject;
  /** 1..100: offer the update to this share of installs only. */
  stagingPercentage?: number;
}

export interface WrittenFeed {
  /** Feed-relative paths of every file written, per channel folder. */
  files: Record<string, string[]>;
}

/** Writes, signs and lays out the feed for one release. Throws when electron-builder wrote no channel file. */
export function writeFeed(options: WriteFeedOptions): WrittenFeed {
  const sources = channelFilesOf(options.releaseDir, options.channel);
  if (sources.length === 0)
    throw new Error(
      `no ${options.channel}*.yml in ${options.releaseDir}: build a target that electron-updater serves (AppImage, deb, nsis, zip)`,
    );
  if (options.stagingPercentage !== undefined && !(options.stagingPercentage >= 1 && options.stagingPercentage <= 100))
    throw new Error(`--staging-percentage must be 1..100, got ${options.stagingPercentage}`);
  const files: Record<string, string[]> = {};
  for (const target of channelsReached(options.channel)) {
    const folder = join(options.feedDir, target);
    ensureWritableFolder(folder);
    const written: string[] = (files[target] = []);
    for (const source of sources) {
      const info = load(readFileSync(join(options.releaseDir, source), 'utf8')) as {
        files?: Array<{ url: string }>;
        stagingPercentage?: number;
      };
      if (options.stagingPercentage !== undefined) info.stagingPercentage = options.stagingPercentage;
      for (const { url } of info.files ?? []) {
        for (const artifact of [url, `${url}.blockmap`]) {
          if (!existsSync(join(options.releaseDir, artifact))) continue;
          placeFile(join(options.releaseDir, artifact), join(folder, basename(artifact)));
          written.push(`${target}/${basename(artifact)}`);
        }
      }
      const name = source.replace(new RegExp(`^${options.channel}`), target);
      const bytes = Buffer.from(dump(info, { lineWidth: -1 }), 'utf8');
      writeFileSync(join(folder, name), bytes);
      writeFileSync(join(folder, name + SIGNATURE_SUFFIX), signFeedFile(bytes, options.privateKey));
      written.push(`${target}/${name}`, `${target}/${name}${SIGNATURE_SUFFIX}`);
    }
  }
  return { files };
}

/** A hard link where the file system allows it (installers are large), a copy elsewhere. */
function placeFile(from: string, to: string): void {
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}
