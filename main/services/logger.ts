/**
 * The host's logger: pino, one JSON line per event. Services take a `Logger` through their
 * constructor; nothing logs through a global. It is the origin's logger (`server/log.ts`),
 * so the studio and an embedded origin log alike and redact the same secret fields.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino } from 'pino';
import { createPinoLogger, type Logger } from '../../server/log.ts';

export { silentLogger, type Logger } from '../../server/log.ts';

/**
 * Creates the process logger, writing to stderr so stdout stays free for the lines users
 * and scripts read (`Studio: http://...`). `TALLY_LOG_LEVEL` sets the level (default info).
 */
export function createLogger(name: string, level = process.env.TALLY_LOG_LEVEL ?? 'info'): Logger {
  return createPinoLogger(name, level);
}

/**
 * The desktop app's logger: stderr and an appended file (`main.log` under Electron's
 * `app.getPath('logs')`), written synchronously so the line that explains a failed start is on
 * disk before the process exits. Same redaction as every Tally logger.
 */
export function createFileLogger(
  name: string,
  file: string,
  level = process.env.TALLY_LOG_LEVEL ?? 'info',
  options = { stderr: true },
): Logger {
  mkdirSync(dirname(file), { recursive: true });
  const toFile = { stream: pino.destination({ dest: file, append: true, sync: true }) };
  return createPinoLogger(name, level, pino.multistream(options.stderr ? [{ stream: pino.destination(2) }, toFile] : [toFile]));
}
