/**
 * Helpers for the origin's own tests (unit tests beside the code and the e2e tests): an
 * origin on free loopback ports with a log that can be read back, and publishing the FLV
 * fixture ffmpeg wrote (`common/media/testdata/testsrc2-160x90.flv`) with the RTMP client.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlvReader, FlvTagType, type FlvTag } from '../common/media/flv.ts';
import { captureLogger, type CapturedLine } from './log.ts';
import { startOrigin, type Origin, type OriginOptions } from './origin.ts';
import { RtmpClient } from '../net/rtmp/client.ts';

/** A key for tests (keys must be 16+ URL-safe characters). */
export const TEST_KEY = 'test-key-0123456789abcdef';
/** The admin token tests use. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/** An origin for a test, with its log lines and a data dir removed on close. */
export interface TestOrigin extends Origin {
  lines: CapturedLine[];
  dataDir: string;
  /** The RTMP URL to publish `key` to. */
  publishUrl(key?: string): string;
}

/** Starts an origin on free ports with stream `main` (key `TEST_KEY`) unless `streams` says otherwise. */
export async function startTestOrigin(options: Partial<OriginOptions> = {}): Promise<TestOrigin> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tally-origin-'));
  const log = captureLogger();
  const origin = await startOrigin({
    rtmpPort: 0,
    httpPort: 0,
    streams: [{ name: 'main', key: TEST_KEY }],
    adminToken: TEST_ADMIN_TOKEN,
    shutdownGraceMs: 0,
    ...options,
    dataDir,
    log,
  });
  return {
    ...origin,
    lines: log.lines,
    dataDir,
    publishUrl: (key = TEST_KEY) => `${origin.urls.rtmp}/${key}`,
    async close() {
      await origin.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The fixture's tags: onMetaData, AVC and AAC sequence headers, 0.5 s of 160x90 30 fps video (keyframes every 10 frames) and AAC. */
export function fixtureTags(): FlvTag[] {
  const tags: FlvTag[] = [];
  new FlvReader((tag) => tags.push(tag)).feed(
    new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'common', 'media', 'testdata', 'testsrc2-160x90.flv'))),
  );
  return tags;
}

/** Sends FLV tags through an RTMP publisher, shifted by `offsetMs`; `paceMs` > 0 waits that long between video frames. */
export async function sendTags(client: RtmpClient, tags: readonly FlvTag[], offsetMs = 0, paceMs = 0): Promise<void> {
  for (const tag of tags) {
    const kind = tag.type === FlvTagType.audio ? 'audio' : tag.type === FlvTagType.video ? 'video' : 'data';
    client.sendMedia(kind, tag.timestamp + offsetMs, tag.payload);
    if (paceMs > 0 && kind === 'video') await new Promise((resolve) => setTimeout(resolve, paceMs));
  }
}

/** Publishes the fixture `loops` times (timestamps continuing), returning the connected publisher. */
export async function publishFixture(url: string, key: string, options: { loops?: number; paceMs?: number } = {}): Promise<RtmpClient> {
  const client = await RtmpClient.connect(url);
  await client.publish(key);
  const tags = fixtureTags();
  const media = tags.filter((tag) => tag.type !== FlvTagType.script);
  await sendTags(client, tags, 0, options.paceMs);
  for (let loop = 1; loop < (options.loops ?? 1); loop++)
    await sendTags(
      client,
      media.filter((tag) => tag.payload[1] !== 0),
      loop * 500,
      options.paceMs,
    );
  return client;
}

/** Waits until `check` passes (returns truthy), polling; fails after `timeoutMs`. */
export async function until<T>(check: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
