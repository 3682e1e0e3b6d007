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
  /**
   * False when a line at `level` would be dropped, so a caller can skip building it. Absent: every level
   * may be written.
   */
  isEnabled?(level: Exclude<LogLevel, 'silent'>): boolean;
}

const noop = (): void => undefined;

/** Whether `logger` writes lines at `level` (true when it cannot tell). */
export function levelEnabled(logger: Logger, level: Exclude<LogLevel, 'silent'>): boolean {
  return logger.isEnabled === undefined || logger.isEnabled(level);
}

/**
 * `logger` with the lines below `level` dropped before they reach it (`TOOL_EXECUTOR_LOG_LEVEL` in front of
 * a user's logger); its own level still applies after this one.
 */
export function atLeast(logger: Logger, level: LogLevel): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const passes = (name: Exclude<LogLevel, 'silent'>): boolean => LOG_LEVELS.indexOf(name) >= threshold && levelEnabled(logger, name);
  const at = (name: Exclude<LogLevel, 'silent'>) =>
    LOG_LEVELS.indexOf(name) >= threshold ? (message: string, fields?: Record<string, unknown>) => logger[name](message, fields) : noop;
  return Object.freeze({ debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), isEnabled: passes });
}

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
    isEnabled: (name) => LOG_LEVELS.indexOf(name) >= threshold,
  };
}
