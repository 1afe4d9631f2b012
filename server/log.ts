/**
 * The origin's logger: pino, one JSON line per event, on stderr so stdout carries only the
 * lines people and scripts read (`RTMP: ...`, `HTTP: ...`). Every part of the origin takes a
 * `Logger` through its constructor; nothing logs through a global, so two origins can share
 * a process. Fields that could hold secrets are redacted even if a caller slips.
 */
import { pino } from 'pino';

/** The narrow logging interface the origin depends on (pino satisfies it). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

const SECRET_FIELDS = ['key', 'streamKey', 'token', 'adminToken', 'authorization', 'secret', 'tcUrl'];

/** A pino logger called `name` at `level`, on stderr unless given another destination (the studio host's logger is made here too). */
export function createPinoLogger(name: string, level = 'info', destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      name,
      level,
      redact: { paths: SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]), censor: '[secret]' },
    },
    destination,
  );
}

/** The origin's logger on stderr at `level` (default info). */
export function createOriginLogger(level = 'info'): Logger {
  return createPinoLogger('tally-origin', level);
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silentLogger;
  },
};

/** One captured log line (tests). */
export interface CapturedLine {
  level: 'info' | 'warn' | 'error' | 'debug';
  msg: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps its lines in memory, for tests that assert what was logged. */
export function captureLogger(lines: CapturedLine[] = [], bindings: Record<string, unknown> = {}): Logger & { lines: CapturedLine[] } {
  const at =
    (level: CapturedLine['level']) =>
    (obj: object, msg = '') => {
      lines.push({ level, msg, fields: { ...bindings, ...obj } });
    };
  return {
    lines,
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    debug: at('debug'),
    child: (more) => captureLogger(lines, { ...bindings, ...more }),
  };
}
