/**
 * The host's log as an operator's log parser reads it: real pino lines from a real host,
 * driven through its router as the studio drives it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../common/host/outcome.ts';
import { closedLoopbackPort } from '../../net/testing/tcp-proxy.ts';
import { createPinoLogger } from '../../server/log.ts';
import { until } from '../../server/testing.ts';
import { startHost, type Host } from './host.ts';

const KEY = 'venue-key-0123456789wxyz';
const scratch = mkdtempSync(join(tmpdir(), 'tally-host-log-'));
const raw: string[] = [];
let host: Host;

beforeAll(async () => {
  const log = createPinoLogger('tally-host', 'info', { write: (line: string) => void raw.push(...line.split('\n').filter(Boolean)) });
  host = await startHost({ version: '9.9.9', runtime: 'web', dataDir: join(scratch, 'data'), log });
});
afterAll(async () => {
  await host.shutdown();
  rmSync(scratch, { recursive: true, force: true });
});

/** The keys of a JSON object line's top level, in order, duplicates kept (JSON.parse keeps only the last). */
function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '"') {
      const start = i;
      for (i++; line[i] !== '"'; i++) if (line[i] === '\\') i++;
      if (depth === 1 && expectKey) keys.push(JSON.parse(line.slice(start, i + 1)) as string);
      expectKey = false;
    } else if (char === '{' || char === '[') {
      depth++;
      expectKey = depth === 1 && char === '{';
    } else if (char === '}' || char === ']') depth--;
    else if (char === ',' && depth === 1) expectKey = true;
  }
  return keys;
}

const call = (channel: string, ...args: unknown[]): Promise<CallOutcome> => host.router.invoke(`tally:${channel}`, args);
const parsed = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the host log', () => {
  it('logs an entry it refuses as one warning line without a stack, a fault as an error with its stack, every field once, no key', async () => {
    // A fault: the screenshot's picture never comes from the studio (the host gives up after 10 s).
    const fault = call('recording.saveScreenshot', 4242);

    const withLogin = await call('outputs.saveDestination', {
      name: 'Venue',
      service: 'custom',
      serverUrl: 'rtmp://user:pw@127.0.0.1:1935/live',
      streamKey: KEY,
    });
    expect(withLogin).toMatchObject({ ok: false, error: { message: expect.stringMatching(/must not carry a login/) as unknown } });
    expect(await call('recording.setFolder', '/proc/nope')).toMatchObject({ ok: false });

    // Real work beside it: a destination saved and live-or-retrying, a recording, the local origin.
    const saved = await call('outputs.saveDestination', {
      name: 'Venue',
      service: 'custom',
      serverUrl: `rtmp://127.0.0.1:${await closedLoopbackPort()}/live`,
      streamKey: KEY,
    });
    expect(saved.ok).toBe(true);
    expect((await call('outputs.goLive')).ok).toBe(true);
    await until(() => raw.some((line) => line.includes('reconnecting')), 10_000, "the destination's reconnect line");
    expect((await call('recording.start')).ok).toBe(true);
    await call('recording.stop');
    expect((await call('outputs.startLocalOrigin', { lan: false })).ok).toBe(true);
    await call('outputs.endStream');
    expect(await fault).toMatchObject({ ok: false, error: { message: 'the screenshot picture never arrived from the studio' } });

    const lines = parsed();
    const refused = lines.filter((line) => line.msg === 'host call refused');
    expect(refused.map((line) => [line.level, line.channel, line.err, line.stack])).toEqual([
      [40, 'tally:outputs.saveDestination', undefined, undefined],
      [40, 'tally:recording.setFolder', undefined, undefined],
    ]);
    expect(refused[1]!.reason).toBe('/proc/nope cannot be the recordings folder: new folders or files cannot be made there');
    expect(raw.filter((line) => line.includes('host call refused')).every((line) => !line.includes('    at '))).toBe(true);
    const failed = lines.filter((line) => line.msg === 'host call failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 50, channel: 'tally:recording.saveScreenshot' });
    expect((failed[0]!.err as { stack?: string }).stack).toMatch(/\n\s+at /);

    expect(lines.find((line) => line.msg === 'destination saved')).toMatchObject({ service: 'outputs', platform: 'custom' });
    expect(lines.find((line) => String(line.msg).includes('reconnecting'))).toMatchObject({ service: 'outputs', component: 'destination' });
    const duplicated = raw.filter((line) => new Set(topLevelKeys(line)).size !== topLevelKeys(line).length);
    expect(duplicated, 'log lines with a field twice').toEqual([]);
    expect(raw.some((line) => line.includes(KEY))).toBe(false);
  }, 60_000);
});
