import { Writable } from 'node:stream';
import pino from 'pino';
import winston from 'winston';
import { adaptLogger, detectLoggerStyle, isAdaptedLogger, type UserLogger } from './adaptLogger';
import { consoleLogger, type Logger } from './Logger';

/** A Writable that keeps every line written to it; `records()` parses them as JSON. */
function memoryStream() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      lines.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((line) => line.length > 0),
      );
      callback();
    },
  });
  return { stream, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

function pinoLogger() {
  const out = memoryStream();
  return { ...out, logger: pino({ level: 'debug' }, out.stream) };
}

function winstonLogger() {
  const out = memoryStream();
  const logger = winston.createLogger({
    level: 'debug',
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream: out.stream })],
  });
  return { ...out, logger };
}

/** A console-like logger of jest mocks. */
function mockLogger() {
  return { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
}

const fields = { tool: 'search', operation: 'query', durationMs: 12.5 };

describe('adaptLogger with a real pino logger', () => {
  it('detects pino and passes fields as top-level keys, the message as msg', () => {
    const { logger, records } = pinoLogger();
    const log = adaptLogger(logger);
    log.info('tool call finished', fields);
    log.error('tool call failed', { ...fields, attempt: 2 });
    const [info, error] = records();
    expect(info).toMatchObject({ level: 30, msg: 'tool call finished', tool: 'search', operation: 'query', durationMs: 12.5 });
    expect(error).toMatchObject({ level: 50, msg: 'tool call failed', tool: 'search', attempt: 2 });
    expect(records()).toHaveLength(2);
  });

  it('writes every level at its pino level number', () => {
    const { logger, records } = pinoLogger();
    const log = adaptLogger(logger);
    log.debug('d', fields);
    log.info('i', fields);
    log.warn('w', fields);
    log.error('e', fields);
    expect(records().map((r) => [r.level, r.msg, r.tool])).toEqual([
      [20, 'd', 'search'],
      [30, 'i', 'search'],
      [40, 'w', 'search'],
      [50, 'e', 'search'],
    ]);
  });

  it('writes a message without fields as msg only', () => {
    const { logger, records } = pinoLogger();
    adaptLogger(logger).info('started');
    const [record] = records();
    expect(record.msg).toBe('started');
    expect(Object.keys(record).sort()).toEqual(['hostname', 'level', 'msg', 'pid', 'time']);
  });

  it('detects pino child loggers and keeps their bindings', () => {
    const { logger, records } = pinoLogger();
    const child = logger.child({ requestId: 'r-1' });
    expect(detectLoggerStyle(child)).toBe('object-first');
    adaptLogger(child).warn('slow call', fields);
    expect(records()[0]).toMatchObject({ level: 40, msg: 'slow call', requestId: 'r-1', tool: 'search' });
  });

  it('follows pino level changes made after adapting (methods are looked up on each call)', () => {
    const { logger, records } = pinoLogger();
    const log = adaptLogger(logger);
    logger.level = 'warn';
    log.info('dropped', fields);
    log.warn('kept', fields);
    logger.level = 'debug';
    log.debug('kept again', fields);
    expect(records().map((r) => r.msg)).toEqual(['kept', 'kept again']);
  });

  it('keeps the message literal when it contains format tokens', () => {
    const { logger, records } = pinoLogger();
    adaptLogger(logger).info('100%s done %d', fields);
    expect(records()[0]).toMatchObject({ msg: '100%s done %d', tool: 'search' });
  });

  it('works when a method of the adapted logger is called detached (this stays the pino logger)', () => {
    const { logger, records } = pinoLogger();
    const { info } = adaptLogger(logger);
    info('detached', fields);
    expect(records()[0]).toMatchObject({ msg: 'detached', tool: 'search' });
  });

  it('loses the fields when message-first is forced on pino (the style really changes the call)', () => {
    const { logger, records } = pinoLogger();
    adaptLogger(logger, { style: 'message-first' }).info('forced', fields);
    const [record] = records();
    expect(record.msg).toBe('forced');
    expect(record).not.toHaveProperty('tool');
  });
});

describe('adaptLogger with a real winston logger', () => {
  it('detects message-first and passes fields as top-level keys, the message as message', () => {
    const { logger, records } = winstonLogger();
    const log = adaptLogger(logger);
    log.info('tool call finished', fields);
    log.warn('retrying', { ...fields, attempt: 2 });
    expect(records()).toEqual([
      { level: 'info', message: 'tool call finished', tool: 'search', operation: 'query', durationMs: 12.5 },
      { level: 'warn', message: 'retrying', tool: 'search', operation: 'query', durationMs: 12.5, attempt: 2 },
    ]);
  });

  it('writes every level with its winston level name, and a message without fields alone', () => {
    const { logger, records } = winstonLogger();
    const log = adaptLogger(logger);
    log.debug('d', fields);
    log.error('e', fields);
    log.info('plain');
    expect(records()).toEqual([
      { level: 'debug', message: 'd', ...fields },
      { level: 'error', message: 'e', ...fields },
      { level: 'info', message: 'plain' },
    ]);
  });

  it('detects winston child loggers as message-first', () => {
    const { logger, records } = winstonLogger();
    const child = logger.child({ requestId: 'r-1' });
    expect(detectLoggerStyle(child)).toBe('message-first');
    adaptLogger(child).info('from child', fields);
    expect(records()[0]).toMatchObject({ message: 'from child', requestId: 'r-1', tool: 'search' });
  });
});

describe('detectLoggerStyle', () => {
  it('picks object-first for pino and message-first for winston and console', () => {
    expect(detectLoggerStyle(pinoLogger().logger)).toBe('object-first');
    expect(detectLoggerStyle(winstonLogger().logger)).toBe('message-first');
    expect(detectLoggerStyle(console)).toBe('message-first');
    expect(detectLoggerStyle(mockLogger())).toBe('message-first');
  });

  it('recognises a pino-like logger without the pino symbol (bindings() and numeric levels.values)', () => {
    const pinoLike = { ...mockLogger(), bindings: () => ({}), levels: { values: { debug: 20, info: 30 }, labels: {} } };
    expect(detectLoggerStyle(pinoLike)).toBe('object-first');
    expect(detectLoggerStyle({ ...pinoLike, levels: { values: { info: 'thirty' } } })).toBe('message-first');
    expect(detectLoggerStyle({ ...pinoLike, levels: { values: {} } })).toBe('message-first');
    expect(detectLoggerStyle({ ...pinoLike, bindings: undefined })).toBe('message-first');
  });

  it('recognises a logger carrying only the pino serializers symbol, own or inherited', () => {
    const marked = { ...mockLogger(), [Symbol.for('pino.serializers')]: {} };
    expect(detectLoggerStyle(marked)).toBe('object-first');
    expect(detectLoggerStyle(Object.create(marked))).toBe('object-first');
    expect(detectLoggerStyle({ ...mockLogger(), [Symbol('pino.serializers')]: {} })).toBe('message-first');
  });

  it('recognises a bunyan-like logger (levels(), streams array, fields object)', () => {
    const bunyanLike = { ...mockLogger(), levels: () => [20], streams: [], fields: { name: 'app' } };
    expect(detectLoggerStyle(bunyanLike)).toBe('object-first');
    expect(detectLoggerStyle({ ...bunyanLike, streams: undefined })).toBe('message-first');
  });

  it('does not mistake a winston-like numeric levels map for pino', () => {
    expect(detectLoggerStyle({ ...mockLogger(), levels: { error: 0, warn: 1, info: 2 } })).toBe('message-first');
  });

  it('falls back to message-first for unreadable or non-object loggers', () => {
    const throwing = mockLogger();
    Object.defineProperty(throwing, 'bindings', {
      get() {
        throw new Error('boom');
      },
    });
    expect(detectLoggerStyle(throwing)).toBe('message-first');
    expect(detectLoggerStyle(null)).toBe('message-first');
    expect(detectLoggerStyle('logger')).toBe('message-first');
  });
});

describe('adaptLogger call shapes', () => {
  it('calls a console-like logger with (message, fields), and (message) without fields', () => {
    const user = mockLogger();
    const log = adaptLogger(user);
    log.info('hello', fields);
    log.debug('d', { a: 1 });
    log.warn('w', { b: 2 });
    log.error('e', { c: 3 });
    log.info('bare');
    expect(user.info.mock.calls).toEqual([['hello', fields], ['bare']]);
    expect(user.info.mock.calls[1]).toHaveLength(1);
    expect(user.debug.mock.calls).toEqual([['d', { a: 1 }]]);
    expect(user.warn.mock.calls).toEqual([['w', { b: 2 }]]);
    expect(user.error.mock.calls).toEqual([['e', { c: 3 }]]);
  });

  it('calls (fields, message) with an explicit object-first style, and (message) without fields', () => {
    const user = mockLogger();
    const log = adaptLogger(user, { style: 'object-first' });
    log.warn('hello', fields);
    log.warn('bare');
    expect(user.warn.mock.calls).toEqual([[fields, 'hello'], ['bare']]);
    expect(user.warn.mock.calls[1]).toHaveLength(1);
  });

  it('lets an explicit style override detection', () => {
    const pinoLike = { ...mockLogger(), bindings: () => ({}), levels: { values: { info: 30 } } };
    adaptLogger(pinoLike).info('detected', fields);
    adaptLogger(pinoLike, { style: 'message-first' }).info('forced', fields);
    expect(pinoLike.info.mock.calls).toEqual([
      [fields, 'detected'],
      ['forced', fields],
    ]);
  });

  it('calls the user methods with this bound to the user logger', () => {
    class PrefixLogger implements UserLogger {
      readonly seen: unknown[][] = [];
      private readonly prefix = '[p]';
      debug(...args: unknown[]) {
        this.seen.push([this.prefix, 'debug', ...args]);
      }
      info(...args: unknown[]) {
        this.seen.push([this.prefix, 'info', ...args]);
      }
      warn(...args: unknown[]) {
        this.seen.push([this.prefix, 'warn', ...args]);
      }
      error(...args: unknown[]) {
        this.seen.push([this.prefix, 'error', ...args]);
      }
    }
    const user = new PrefixLogger();
    const { info, error } = adaptLogger(user);
    info('i', { x: 1 });
    error('e');
    expect(user.seen).toEqual([
      ['[p]', 'info', 'i', { x: 1 }],
      ['[p]', 'error', 'e'],
    ]);
  });

  it('creates each level method once', () => {
    const log = adaptLogger(mockLogger());
    const { debug, info, warn, error } = log;
    log.info('a', fields);
    log.info('b');
    expect([log.debug, log.info, log.warn, log.error]).toEqual([debug, info, warn, error]);
    expect(new Set([debug, info, warn, error]).size).toBe(4);
    expect(Object.isFrozen(log)).toBe(true);
  });
});

describe('adaptLogger never throws from a log call', () => {
  it('swallows exceptions thrown by every level method', () => {
    const boom = () => {
      throw new Error('logger down');
    };
    const log = adaptLogger({ debug: boom, info: boom, warn: boom, error: boom });
    for (const style of ['message-first', 'object-first'] as const) {
      const styled = adaptLogger({ debug: boom, info: boom, warn: boom, error: boom }, { style });
      expect(() => styled.error('e', fields)).not.toThrow();
      expect(() => styled.info('i')).not.toThrow();
    }
    expect(() => log.debug('d', fields)).not.toThrow();
    expect(() => log.info('i', fields)).not.toThrow();
    expect(() => log.warn('w')).not.toThrow();
    expect(() => log.error('e', fields)).not.toThrow();
    expect(log.info('i')).toBeUndefined();
  });

  it('swallows throwing non-Error values and methods removed after adapting', () => {
    const user: UserLogger = {
      ...mockLogger(),
      info: () => {
        throw 'a string';
      },
    };
    const log = adaptLogger(user);
    expect(() => log.info('i', fields)).not.toThrow();
    Reflect.deleteProperty(user, 'warn');
    expect(user.warn).toBeUndefined();
    expect(() => log.warn('w', fields)).not.toThrow();
  });

  it.each(['message-first', 'object-first'] as const)('handles a rejected promise returned by an asynchronous logger (%s)', (style) => {
    const handlers: unknown[] = [];
    const thenable = {
      then(onFulfilled: unknown, onRejected: unknown) {
        handlers.push(onFulfilled, onRejected);
        return thenable;
      },
    };
    const user = { ...mockLogger(), error: jest.fn(() => thenable) };
    adaptLogger(user, { style }).error('e', fields);
    expect(user.error).toHaveBeenCalledWith(...(style === 'message-first' ? ['e', fields] : [fields, 'e']));
    expect(handlers).toHaveLength(2);
    expect(typeof handlers[1]).toBe('function');
  });
});

describe('adaptLogger input checks', () => {
  it('throws a TypeError naming the missing method', () => {
    const { warn: _warn, ...noWarn } = mockLogger();
    expect(() => adaptLogger(noWarn as unknown as UserLogger)).toThrow(TypeError);
    expect(() => adaptLogger(noWarn as unknown as UserLogger)).toThrow(/\bwarn\b/);
    expect(() => adaptLogger(noWarn as unknown as UserLogger)).not.toThrow(/\b(debug|info|error)\b/);
  });

  it('names every missing or non-function method', () => {
    const bad = { debug: jest.fn(), info: 'not a function', warn: jest.fn() } as unknown as UserLogger;
    expect(() => adaptLogger(bad)).toThrow(TypeError);
    expect(() => adaptLogger(bad)).toThrow(/info\(\).*error\(\)/);
  });

  it.each([null, undefined, 'console', 42, true])('throws a TypeError for the non-object %p', (value) => {
    expect(() => adaptLogger(value as unknown as UserLogger)).toThrow(TypeError);
  });

  it('throws a TypeError for an unknown style', () => {
    expect(() => adaptLogger(mockLogger(), { style: 'sideways' as never })).toThrow(TypeError);
  });
});

describe('already adapted loggers', () => {
  it('returns an adapted logger as is, whatever the options', () => {
    const user = mockLogger();
    const once = adaptLogger(user);
    expect(adaptLogger(once)).toBe(once);
    expect(adaptLogger(once, { style: 'object-first' })).toBe(once);
    once.info('m', fields);
    expect(user.info.mock.calls).toEqual([['m', fields]]);
  });

  it('marks adapted loggers with a non-enumerable symbol only', () => {
    const log = adaptLogger(pinoLogger().logger);
    expect(isAdaptedLogger(log)).toBe(true);
    expect(Object.keys(log).sort()).toEqual(['debug', 'error', 'info', 'isEnabled', 'warn']);
    expect(Object.getOwnPropertySymbols(log).every((s) => !Object.getOwnPropertyDescriptor(log, s)?.enumerable)).toBe(true);
    expect(Object.getOwnPropertySymbols({ ...log })).toEqual([]);
    expect(Object.getOwnPropertySymbols(log)).toHaveLength(1);
  });

  it('does not treat other Logger objects as adapted', () => {
    const internal: Logger = consoleLogger('silent');
    expect(isAdaptedLogger(internal)).toBe(false);
    expect(adaptLogger(internal)).not.toBe(internal);
    expect(isAdaptedLogger(mockLogger())).toBe(false);
  });
});

describe('types', () => {
  it('accepts pino, winston and console loggers as UserLogger', () => {
    const loggers: Logger[] = [adaptLogger(pinoLogger().logger), adaptLogger(winstonLogger().logger), adaptLogger(console)];
    expect(loggers).toHaveLength(3);
  });
});
