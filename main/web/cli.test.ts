import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keptWebToken, projectRoot, WEB_TOKEN_FILE } from './cli.ts';

const studioWeb = (...args: string[]) =>
  spawnSync(process.execPath, [join(projectRoot, 'scripts', 'studio-web.ts'), ...args], {
    cwd: projectRoot,
    timeout: 120_000,
    encoding: 'utf8',
  });

describe('npm run studio:web (the command line, as a process)', () => {
  it('--help prints the usage and exits 0 without starting anything', () => {
    const run = studioWeb('--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: npm run studio:web -- [options]');
    for (const option of ['--host', '--port', '--data-dir', '--token', '--no-token', '--tls-cert', '--tls-key'])
      expect(run.stdout).toContain(option);
    expect(run.stdout).not.toContain('Studio: http');
  });

  it('an unknown option is one line on stderr, exit code 2, no stack trace', () => {
    const run = studioWeb('--bogus');
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(/^tally studio: Unknown option '--bogus'.*\(see --help\)$/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the web studio’s access token', () => {
  it('is kept between starts, and a file that holds no token is refused with what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-token-'));
    try {
      const token = keptWebToken(dir);
      expect(token).toMatch(/^[\w-]{32}$/);
      expect(keptWebToken(dir)).toBe(token);
      expect(statSync(join(dir, WEB_TOKEN_FILE)).mode & 0o777).toBe(0o600);
      writeFileSync(join(dir, WEB_TOKEN_FILE), 'short\n');
      expect(() => keptWebToken(dir)).toThrow(/does not hold an access token .*delete it/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
