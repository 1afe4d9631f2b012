/** Starts project commands as child processes and waits for the line they print when ready. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const projectRoot = join(import.meta.dirname, '..', '..', '..');

export interface Started {
  child: ChildProcess;
  /** The first capture group of the awaited line. */
  match: RegExpExecArray;
  /** Every stdout line so far, and later ones as they come. */
  stdoutLines: string[];
  stderr: () => string;
  stop(): Promise<void>;
}

/**
 * Spawns `node <args>` in the project root (or `executable <args>`, for a script run by its
 * shebang) and resolves when stdout prints a line matching `ready`.
 */
export function startNode(
  args: string[],
  ready: RegExp,
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; executable?: string } = {},
): Promise<Started> {
  const child = spawn(options.executable ?? process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdoutLines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(
        new Error(`timed out waiting for ${ready} from node ${args.join(' ')}\nstdout:\n${stdoutLines.join('\n')}\nstderr:\n${stderr}`),
      );
    }, options.timeoutMs ?? 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdoutLines.push(line);
      const match = ready.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, stdoutLines, stderr: () => stderr, stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node ${args.join(' ')} exited with ${code} before ready\nstdout:\n${stdoutLines.join('\n')}\nstderr:\n${stderr}`));
    });
  });
}

/** A fresh temporary data directory, removed by the returned function. */
export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tally-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
