import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './cli.ts';

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
