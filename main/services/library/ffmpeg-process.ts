/**
 * Runs ffmpeg and ffprobe for the library: arguments as an array (never a shell), stderr kept
 * for the error message, an AbortSignal that kills the child, a time limit, and ffmpeg's
 * `-progress` output turned into a callback of the output time reached.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The binaries the library runs, resolved by the host (see native/ffmpeg.ts). */
export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
}

/** ffmpeg or ffprobe failed; `message` ends with what it printed last. */
export class MediaToolError extends Error {
  override readonly name = 'MediaToolError';
}

/** The run was cancelled through its signal. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'cancelled') {
    super(message);
  }
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Kill the child after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** With `-progress pipe:1` in the arguments: the output time reached, µs. */
  onProgressUs?: (outTimeUs: number) => void;
}

const STDERR_KEEP_BYTES = 8 * 1024;

/** Runs a tool to completion; resolves with its stdout. */
export function runTool(binary: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  if (options.signal?.aborted) return Promise.reject(new CancelledError());
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(stdout);
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(new CancelledError());
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(
        new MediaToolError(`${toolName(binary)} took longer than ${Math.round((options.timeoutMs ?? 600_000) / 1000)} s and was stopped`),
      );
    }, options.timeoutMs ?? 600_000);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.onProgressUs) {
      const onProgress = options.onProgressUs;
      createInterface({ input: child.stdout }).on('line', (line) => {
        const match = /^out_time_(?:us|ms)=(\d+)$/.exec(line);
        if (match) onProgress(Number(match[1]));
      });
    } else {
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    }
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP_BYTES);
    });
    child.once('error', (error) => finish(new MediaToolError(`${toolName(binary)} could not start: ${error.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) return finish(null);
      finish(new MediaToolError(`${toolName(binary)} failed (${signal ?? `exit ${code}`}): ${lastLines(stderr)}`));
    });
  });
}

function toolName(binary: string): string {
  return binary.split(/[/\\]/).pop() ?? binary;
}

/** The last meaningful lines a tool printed, for an error message. */
export function lastLines(text: string, count = 2): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.slice(-count).join(' / ') || 'no message';
}
