/**
 * The host's logger: pino, one JSON line per event. Services take a `Logger` through their
 * constructor; nothing logs through a global. It is the origin's logger (`server/log.ts`),
 * so the studio and an embedded origin log alike and redact the same secret fields.
 */
import { createPinoLogger, type Logger } from '../../server/log.ts';

export { silentLogger, type Logger } from '../../server/log.ts';

/**
 * Creates the process logger, writing to stderr so stdout stays free for the lines users
 * and scripts read (`Studio: http://...`). `TALLY_LOG_LEVEL` sets the level (default info).
 */
export function createLogger(name: string, level = process.env.TALLY_LOG_LEVEL ?? 'info'): Logger {
  return createPinoLogger(name, level);
}
