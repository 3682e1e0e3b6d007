import type { Logger } from './Logger';

/** The four level methods a user logger must have. */
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

type Level = (typeof LEVELS)[number];

/**
 * Any logger the user passes in: an object (or function) with `debug`, `info`, `warn` and `error` methods.
 *
 * pino, bunyan, winston, `console` and most other loggers fit. How the structured fields are passed to
 * these methods depends on the logger's call shape; see {@link LoggerStyle}.
 */
export interface UserLogger {
  debug(...args: unknown[]): unknown;
  info(...args: unknown[]): unknown;
  warn(...args: unknown[]): unknown;
  error(...args: unknown[]): unknown;
}

/**
 * The call shape of a user logger's level methods when there are structured fields:
 * - `'object-first'`: `logger.info(fields, message)` (pino, bunyan);
 * - `'message-first'`: `logger.info(message, fields)` (winston, `console`, most others).
 *
 * Without fields both styles call `logger.info(message)`.
 */
export type LoggerStyle = 'object-first' | 'message-first';

/** Options of {@link adaptLogger}. */
export interface AdaptLoggerOptions {
  /** The call shape of the logger. When absent it is detected by {@link detectLoggerStyle}. */
  style?: LoggerStyle;
}

/**
 * Marks loggers returned by {@link adaptLogger} (a non-enumerable, non-writable property).
 * Registered with `Symbol.for` so that two copies of this package recognise each other's loggers.
 */
const ADAPTED = Symbol.for('@aiecs/executor.adaptedLogger');

/** pino stores its serializers under this registered symbol on every instance (children inherit it). */
const PINO_SERIALIZERS = Symbol.for('pino.serializers');

const noop = (): void => undefined;

/** `true` for a non-null object or a function (both can carry methods). */
function isObjectLike(value: unknown): value is Record<PropertyKey, unknown> {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** `levels.values` of pino: a non-empty object whose values are all numbers. */
function hasPinoLevelValues(levels: unknown): boolean {
  if (!isObjectLike(levels)) return false;
  const values = levels.values;
  if (!isObjectLike(values)) return false;
  const numbers = Object.values(values);
  return numbers.length > 0 && numbers.every((n) => typeof n === 'number');
}

/**
 * Detects the call shape of a user logger. A logger is `'object-first'` when any of these hold:
 * 1. it is a pino logger: it has the `Symbol.for('pino.serializers')` property (own or inherited, so pino
 *    child loggers match), which pino sets on every instance;
 * 2. it looks like pino without that symbol (another pino version, a wrapper or a pino-compatible logger):
 *    a `bindings` function and `levels.values`, an object mapping level names to numbers;
 * 3. it looks like bunyan: a `levels` function, a `streams` array and a `fields` object.
 *
 * Everything else (winston, whose `levels` is a plain name-to-number map with no `bindings`; `console`; …) is
 * `'message-first'`, as is any logger whose properties cannot be read (a throwing getter or proxy trap).
 */
export function detectLoggerStyle(logger: unknown): LoggerStyle {
  try {
    if (!isObjectLike(logger)) return 'message-first';
    if (PINO_SERIALIZERS in logger) return 'object-first';
    if (typeof logger.bindings === 'function' && hasPinoLevelValues(logger.levels)) return 'object-first';
    if (
      typeof logger.levels === 'function' &&
      Array.isArray(logger.streams) &&
      typeof logger.fields === 'object' &&
      logger.fields !== null
    ) {
      return 'object-first';
    }
  } catch {
    // A throwing getter or proxy trap: fall back to the common shape.
  }
  return 'message-first';
}

/** `true` when `value` was returned by {@link adaptLogger}. */
export function isAdaptedLogger(value: unknown): value is Logger {
  return isObjectLike(value) && value[ADAPTED] === true;
}

/** Swallows a rejected promise returned by an asynchronous logger method. */
function swallowRejection(result: unknown): void {
  if (isObjectLike(result) && typeof result.then === 'function') {
    (result.then as (ok: unknown, fail: unknown) => unknown).call(result, undefined, noop);
  }
}

type LevelMethod = Logger['debug'];

/**
 * One level method in the object-first shape. The method is read from the logger on each call (not captured
 * here) because pino replaces an instance's level methods with no-ops when its level changes.
 */
function objectFirst(logger: UserLogger, level: Level): LevelMethod {
  return function log(message: string, fields?: Record<string, unknown>): void {
    try {
      swallowRejection(fields == null ? logger[level](message) : logger[level](fields, message));
    } catch {
      // Logging must never fail the caller.
    }
  };
}

/** One level method in the message-first shape; see {@link objectFirst}. */
function messageFirst(logger: UserLogger, level: Level): LevelMethod {
  return function log(message: string, fields?: Record<string, unknown>): void {
    try {
      swallowRejection(fields == null ? logger[level](message) : logger[level](message, fields));
    } catch {
      // Logging must never fail the caller.
    }
  };
}

/**
 * The user logger's own level check: pino's and winston's `isLevelEnabled(level)`, read on each call (their
 * level can change at run time); a logger without one, or whose check throws, writes every level.
 */
function levelCheck(logger: UserLogger): (level: Level) => boolean {
  return (level) => {
    try {
      const check = (logger as unknown as { isLevelEnabled?: unknown }).isLevelEnabled;
      return typeof check === 'function' ? check.call(logger, level) !== false : true;
    } catch {
      return true;
    }
  };
}

/**
 * Adapts a user logger to the executor's {@link Logger} interface, which writes `(message, fields)`.
 *
 * - The call shape is `options.style`, or detected by {@link detectLoggerStyle} when absent: pino and bunyan
 *   get `logger.info(fields, message)`, everything else `logger.info(message, fields)`. Without fields (or
 *   with `null`/`undefined` fields) the call is `logger.info(message)` in both shapes.
 * - Level methods are called as methods of `logger` (`this` is the user's logger), looked up on each call so
 *   that loggers replacing their methods (pino on a level change) keep working.
 * - A log call never throws: an exception thrown by the user's method is swallowed, and so is a rejected
 *   promise it returns, because logging must never fail a tool call.
 * - `isEnabled(level)` asks the logger's own `isLevelEnabled` (pino, winston) when it has one, so lines it
 *   would drop are not built.
 * - The methods of the result are created once, here; the result is frozen and marked as adapted (a
 *   non-enumerable symbol property). Passing an adapted logger back returns it as is, whatever the options.
 *
 * @throws TypeError when `logger` is not an object or lacks one of `debug`, `info`, `warn`, `error`
 *   (the message names the missing methods).
 */
export function adaptLogger(logger: UserLogger, options?: AdaptLoggerOptions): Logger {
  if (!isObjectLike(logger)) {
    throw new TypeError(
      `adaptLogger: expected a logger object with debug, info, warn and error methods, got ${logger === null ? 'null' : typeof logger}`,
    );
  }
  if (isAdaptedLogger(logger)) return logger;
  const missing = LEVELS.filter((level) => typeof logger[level] !== 'function');
  if (missing.length > 0) {
    const names = missing.map((level) => `${level}()`).join(', ');
    throw new TypeError(`adaptLogger: the logger is missing the method${missing.length > 1 ? 's' : ''} ${names}`);
  }
  const style = options?.style ?? detectLoggerStyle(logger);
  if (style !== 'object-first' && style !== 'message-first') {
    throw new TypeError(`adaptLogger: style must be 'object-first' or 'message-first', got ${String(style)}`);
  }
  const make = style === 'object-first' ? objectFirst : messageFirst;
  const adapted: Logger = {
    debug: make(logger, 'debug'),
    info: make(logger, 'info'),
    warn: make(logger, 'warn'),
    error: make(logger, 'error'),
    isEnabled: levelCheck(logger),
  };
  Object.defineProperty(adapted, ADAPTED, { value: true, enumerable: false, writable: false, configurable: false });
  return Object.freeze(adapted);
}
