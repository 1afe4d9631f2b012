/**
 * The host's logger: pino, one JSON line per event. Services take a `Logger` through their
 * constructor; nothing logs through a global.
 */
import { pino } from 'pino';

/** The narrow logging interface services depend on (pino satisfies it). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/**
 * Creates the process logger, writing to stderr so stdout stays free for the lines users
 * and scripts read (`Studio: http://...`). `TALLY_LOG_LEVEL` sets the level (default info).
 */
export function createLogger(name: string, level = process.env.TALLY_LOG_LEVEL ?? 'info'): Logger {
  return pino(
    { name, level, redact: { paths: ['key', '*.key', 'streamKey', '*.streamKey', 'token', '*.token'], censor: '[secret]' } },
    pino.destination(2),
  );
}

/** A logger that drops everything, for tests that do not read logs. */
export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silentLogger;
  },
};
