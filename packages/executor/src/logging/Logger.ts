/** Log levels, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** A log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The logging interface the executor writes to (console, pino and winston loggers fit it). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const noop = (): void => undefined;

/** A console logger that drops messages below `level` without formatting them. */
export function consoleLogger(level: LogLevel): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const at = (name: Exclude<LogLevel, 'silent'>, write: (...args: unknown[]) => void) =>
    LOG_LEVELS.indexOf(name) >= threshold
      ? (message: string, fields?: Record<string, unknown>) => write(`[aiecs] ${name}: ${message}`, fields ?? '')
      : noop;
  return {
    debug: at('debug', console.debug),
    info: at('info', console.info),
    warn: at('warn', console.warn),
    error: at('error', console.error),
  };
}
