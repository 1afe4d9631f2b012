import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOriginArgs } from './cli.ts';
import { optionFields, originDefaults, originHelp } from './config.ts';
import { startOrigin } from './origin.ts';

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

describe('one description of the configuration', () => {
  it('checks values from the command line against the schema, naming the flag', () => {
    expect(() => parseOriginArgs(['--rtmp-port', '99999'], {})).toThrow(/rtmpPort \(--rtmp-port\): Too big: expected number to be <=65535/);
    expect(() => parseOriginArgs(['--hls-segment-ms', '1'], {})).toThrow(/hls\.segmentDurationMs \(--hls-segment-ms\): Too small/);
    expect(() => parseOriginArgs(['--on-publish', 'notaurl'], {})).toThrow(/webhooks\.onPublish \(--on-publish\): Invalid URL/);
    expect(() => parseOriginArgs(['--log-level', 'chatty'], {})).toThrow(/logLevel \(--log-level, TALLY_LOG_LEVEL\)/);
    expect(() => parseOriginArgs([], { TALLY_STREAMS: 'main:short' })).toThrow(/streams\.0\.key/);
  });

  it('fills every default from the schema, and derives the help from it: every flag, its default and variable', () => {
    const { options } = parseOriginArgs([], {}, '/srv');
    expect(options).toEqual({ ...originDefaults(), dataDir: '/srv/.tally-data' });
    expect(parseOriginArgs(['--updates-dir', 'feeds'], {}, '/srv').options.updatesDir).toBe('/srv/feeds');
    const help = originHelp();
    for (const { meta } of optionFields()) if (meta.flag) expect(help).toContain(`--${meta.flag}`);
    expect(help).toMatch(/--rtmp-port N\s+RTMP port \(0 = any free port\) \(default 1935\)/);
    expect(help).toMatch(/--admin-token TOKEN .*\[\$TALLY_ADMIN_TOKEN\]/);
    expect(help).not.toMatch(/default \[\]/);
  });

  it('takes secrets from the environment and from a file only its owner can read, and warns about secrets given as flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-secrets-'));
    try {
      const fromEnv = parseOriginArgs([], {
        TALLY_STREAMS: 'a:key-a-0123456789abc, b:key-b-0123456789abc',
        TALLY_ADMIN_TOKEN: 'env-token-0123456789',
      });
      expect(fromEnv.options.streams.map((stream) => stream.name)).toEqual(['a', 'b']);
      expect(fromEnv.options.adminToken).toBe('env-token-0123456789');
      expect(fromEnv.warnings).toEqual([]);

      const file = join(dir, 'secrets.json');
      writeFileSync(
        file,
        JSON.stringify({
          adminToken: 'file-token-0123456789',
          streams: [{ name: 'c', key: 'key-c-0123456789abc' }],
          webhooks: { secret: 's' },
        }),
        {
          mode: 0o600,
        },
      );
      const fromFile = parseOriginArgs(['--secrets-file', file], { TALLY_ADMIN_TOKEN: 'env-token-0123456789' });
      expect(fromFile.options).toMatchObject({ adminToken: 'env-token-0123456789', streams: [{ name: 'c' }], webhooks: { secret: 's' } });
      expect(parseOriginArgs([], { TALLY_SECRETS_FILE: file }).options.adminToken).toBe('file-token-0123456789');
      chmodSync(file, 0o644);
      expect(() => parseOriginArgs(['--secrets-file', file], {})).toThrow(/readable by others \(mode 0644\): chmod 600/);
      writeFileSync(file, JSON.stringify({ rtmpPort: 1 }), { mode: 0o600 });
      chmodSync(file, 0o600);
      expect(() => parseOriginArgs(['--secrets-file', file], {})).toThrow(
        /only adminToken, streams, webhooks\.secret and playbackTokens belong there/,
      );

      const flagged = parseOriginArgs(['--admin-token', 'flag-token-0123456789', '--stream', 'd:key-d-0123456789abc'], {});
      expect(flagged.warnings.join('\n')).toMatch(/--stream, --admin-token on the command line can be read by every user/);
      expect(flagged.warnings.join('\n')).not.toContain('flag-token-0123456789');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses options that break the schema when the origin is started from code, too', async () => {
    await expect(startOrigin({ dataDir: tmpdir(), rtmpPort: 99999 })).rejects.toThrow(/origin options: rtmpPort/);
    await expect(startOrigin({ dataDir: tmpdir(), hls: { segmentDurationMs: 1 } })).rejects.toThrow(/hls\.segmentDurationMs/);
  });
});
