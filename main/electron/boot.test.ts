import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSqlite } from '../../native/sqlite.ts';
import { startHost } from '../services/host.ts';
import { createFileLogger, silentLogger } from '../services/logger.ts';
import { bootStudio, MAIN_LOG_FILE, type BootOptions } from './boot.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tally-boot-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A stand-in for Electron's `app` (no Electron binary here). Its single-instance lock is keyed
 * by userData, as Electron documents (electron.d.ts, requestSingleInstanceLock: "scoped to the
 * application's user data directory").
 */
class FakeApp {
  readonly calls: string[] = [];
  readonly paths = new Map<string, string>();
  exitCode: number | undefined;
  quitCalled = false;
  readonly listeners = new Map<string, () => void>();
  private readonly heldLocks: Set<string>;
  private readonly ready: () => Promise<void>;
  constructor(heldLocks: Set<string>, ready: () => Promise<void> = () => Promise.resolve()) {
    this.heldLocks = heldLocks;
    this.ready = ready;
  }
  setPath(name: string, path: string) {
    this.calls.push(`setPath(${name})`);
    this.paths.set(name, path);
  }
  getPath(name: string) {
    const path = this.paths.get(name);
    if (!path) throw new Error(`no ${name} path`);
    return path;
  }
  setAppLogsPath(path?: string) {
    this.calls.push('setAppLogsPath');
    this.paths.set('logs', path ?? join(this.getPath('userData'), 'logs')); // Linux/Windows default
  }
  requestSingleInstanceLock() {
    const userData = this.paths.get('userData') ?? '(default)';
    this.calls.push(`requestSingleInstanceLock(${userData})`);
    if (this.heldLocks.has(userData)) return false;
    this.heldLocks.add(userData);
    return true;
  }
  quit() {
    this.quitCalled = true;
  }
  exit(code?: number) {
    this.exitCode = code;
  }
  whenReady() {
    return this.ready();
  }
  on(event: string, listener: () => void) {
    this.listeners.set(event, listener);
  }
}

function boot(app: FakeApp, env: NodeJS.ProcessEnv, start: BootOptions['start'] = async () => {}) {
  const errors: Array<[string, string]> = [];
  const outcome = bootStudio({
    app,
    dialog: { showErrorBox: (title, content) => errors.push([title, content]) },
    env,
    createLog: (file) => createFileLogger('tally-electron-test', file, 'info', { stderr: false }),
    start,
    focusRunningStudio: () => app.calls.push('focus'),
  });
  return { outcome, errors };
}

const home = join(scratch, 'home');
const normalEnv = { XDG_CONFIG_HOME: join(home, '.config'), APPDATA: join(home, 'AppData'), HOME: home };

describe('booting the desktop app (fake app and dialog: no Electron binary here)', () => {
  it('sets userData before taking the lock, so a second profile (TALLY_DATA_DIR) runs beside a normal Tally', () => {
    const locks = new Set<string>();
    const normal = new FakeApp(locks);
    expect(boot(normal, normalEnv).outcome.kind).toBe('primary');
    expect(normal.calls.indexOf('setPath(userData)')).toBeLessThan(
      normal.calls.findIndex((call) => call.startsWith('requestSingleInstanceLock')),
    );

    const profile = new FakeApp(locks);
    const profileDir = join(scratch, 'second-profile');
    expect(boot(profile, { ...normalEnv, TALLY_DATA_DIR: profileDir }).outcome.kind).toBe('primary');
    expect(profile.getPath('userData')).toBe(profileDir);
    expect(profile.getPath('logs')).toBe(join(profileDir, 'logs'));
    expect(profile.quitCalled).toBe(false);

    // A second launch of the normal profile hands over to the first and quits.
    const again = new FakeApp(locks);
    expect(boot(again, normalEnv).outcome.kind).toBe('second-instance');
    expect(again.quitCalled).toBe(true);
    normal.listeners.get('second-instance')!();
    expect(normal.calls).toContain('focus');
  });

  it('a start that fails on a database written by a newer Tally shows an error box, logs to a file under logs/, and exits 1', async () => {
    const dataDir = join(scratch, 'too-new');
    // A tally.db at a schema version this build does not know (as after a downgrade).
    (await startHost({ version: '1.0.0', runtime: 'electron', dataDir, log: silentLogger, statsIntervalMs: 60_000 })).dispose();
    const Sqlite = loadSqlite();
    const db = new Sqlite(join(dataDir, 'tally.db'));
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, 0)').run('from-the-future');
    db.close();

    const app = new FakeApp(new Set());
    const { outcome, errors } = boot(app, { ...normalEnv, TALLY_DATA_DIR: dataDir }, () =>
      startHost({ version: '1.0.0', runtime: 'electron', dataDir, log: silentLogger }).then((host) => host.dispose()),
    );
    if (outcome.kind !== 'primary') throw new Error('expected the primary instance');
    await outcome.ready;
    expect(app.exitCode).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]![0]).toBe('Tally could not start');
    expect(errors[0]![1]).toMatch(/schema version 99.*update Tally/);
    const logFile = join(dataDir, 'logs', MAIN_LOG_FILE);
    expect(errors[0]![1]).toContain(logFile);
    const lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({ msg: 'Tally could not start', err: { type: 'DatabaseTooNewError' } });
  });

  it('an error thrown synchronously inside start, or a failed ready, is caught the same way', async () => {
    for (const [name, app, start] of [
      [
        'throw',
        new FakeApp(new Set()),
        () => {
          throw new Error('window creation failed');
        },
      ],
      ['ready', new FakeApp(new Set(), () => Promise.reject(new Error('GPU process failed to launch'))), async () => {}],
    ] as const) {
      const dataDir = join(scratch, `fail-${name}`);
      const { outcome, errors } = boot(app, { ...normalEnv, TALLY_DATA_DIR: dataDir }, start);
      if (outcome.kind !== 'primary') throw new Error('expected the primary instance');
      await outcome.ready;
      expect(app.exitCode, name).toBe(1);
      expect(errors[0]![1], name).toMatch(/window creation failed|GPU process failed/);
      expect(existsSync(join(dataDir, 'logs', MAIN_LOG_FILE)), name).toBe(true);
    }
  });
});
