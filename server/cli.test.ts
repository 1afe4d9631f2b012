import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOriginArgs } from './cli.ts';

describe('the origin command line', () => {
  it('reads ports, streams, webhooks and the admin token from flags and the environment', () => {
    const { options } = parseOriginArgs(
      [
        '--host',
        '127.0.0.1',
        '--rtmp-port',
        '0',
        '--http-port',
        '8081',
        '--data-dir',
        '/tmp/x',
        '--stream',
        'a:key-a-0123456789abc',
        '--stream',
        'b:key-b-0123456789abc',
        '--on-publish',
        'http://127.0.0.1:9/p',
      ],
      { TALLY_ADMIN_TOKEN: 'env-token-0123456789', TALLY_WEBHOOK_SECRET: 's3' },
    );
    expect(options).toMatchObject({
      host: '127.0.0.1',
      rtmpPort: 0,
      httpPort: 8081,
      dataDir: '/tmp/x',
      adminToken: 'env-token-0123456789',
      streams: [
        { name: 'a', key: 'key-a-0123456789abc' },
        { name: 'b', key: 'key-b-0123456789abc' },
      ],
      webhooks: { onPublish: 'http://127.0.0.1:9/p', secret: 's3' },
    });
  });

  it('merges a JSON config file under the flags and rejects unknown fields', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-cli-'));
    try {
      const file = join(dir, 'origin.json');
      writeFileSync(
        file,
        JSON.stringify({
          httpPort: 9000,
          rtmpPort: 1940,
          hls: { segmentDurationMs: 4000 },
          streams: [{ name: 'c', key: 'key-c-0123456789abc' }],
        }),
        { mode: 0o600 },
      );
      const { options } = parseOriginArgs(['--config', file, '--http-port', '9001', '--stream', 'd:key-d-0123456789abc'], {});
      expect(options).toMatchObject({ httpPort: 9001, rtmpPort: 1940, hls: { segmentDurationMs: 4000 } });
      expect(options.streams.map((s) => s.name)).toEqual(['c', 'd']);
      writeFileSync(file, JSON.stringify({ rtmpport: 1 }));
      expect(() => parseOriginArgs(['--config', file], {})).toThrow(/config .*origin\.json: \(top level\): Unrecognized key/);
      expect(() => parseOriginArgs(['--stream', 'nokey'], {})).toThrow(/NAME:KEY/);
      expect(() => parseOriginArgs(['--rtmp-port', 'x'], {})).toThrow(/whole number/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
