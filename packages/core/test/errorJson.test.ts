import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import {
  AbortedError,
  AiecsError,
  type AiecsErrorJSON,
  BulkheadRejectedError,
  CircuitOpenError,
  ConfigurationError,
  errorKind,
  type ErrorKind,
  InputValidationError,
  isAiecsError,
  type PlainErrorJSON,
  registerErrorClass,
  SecurityError,
  TimeoutError,
  ToolExecutionError,
  UnknownOperationError,
} from '../src';

const site = { tool: 'HttpTool', operation: 'get' };

/** What Node's net module throws on a reset connection. */
function econnreset(): Error {
  return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
}

/** A real Node system error (ENOENT, with errno, syscall and path). */
function enoent(): Error {
  try {
    readFileSync('/definitely/not/here.txt');
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected readFileSync to fail');
}

/** Own enumerable data, `undefined` values left out (JSON cannot carry them). */
function ownData(error: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(error).filter(([, value]) => value !== undefined));
}

/** Whether `value` is an Error of any realm (Node's fs errors come from outside Jest's sandbox). */
function isError(value: unknown): value is Error {
  return Object.prototype.toString.call(value) === '[object Error]';
}

/** The rebuilt error matches the original: class, code, kind, name, message, stack, own fields, cause chain. */
function expectSameError(actual: unknown, expected: unknown): void {
  if (!isError(expected)) {
    // A thrown non-error comes back as an Error named NonError carrying String(value).
    expect(actual).toBeInstanceOf(Error);
    expect(actual).toMatchObject({ name: 'NonError', message: String(expected) });
    return;
  }
  const error = actual as Error;
  expect(error).toBeInstanceOf(Error);
  if (isAiecsError(expected)) expect(Object.getPrototypeOf(error)).toBe(Object.getPrototypeOf(expected));
  else expect(error.constructor.name).toBe(expected.constructor.name);
  expect(error.name).toBe(expected.name);
  expect(error.message).toBe(expected.message);
  expect(error.stack).toBe(expected.stack);
  expect(ownData(error)).toEqual(ownData(expected));
  expect(Object.getOwnPropertyDescriptor(error, 'message')?.enumerable).toBe(false);
  expect(Object.getOwnPropertyDescriptor(error, 'stack')?.enumerable).not.toBe(true);
  expect('cause' in error).toBe('cause' in expected);
  if ('cause' in expected) {
    expect(Object.getOwnPropertyDescriptor(error, 'cause')?.enumerable).toBe(false);
    expectSameError(error.cause, expected.cause);
  }
}

const transports: [string, (error: AiecsError) => AiecsErrorJSON][] = [
  ['toJSON()', (error) => error.toJSON()],
  ['JSON.stringify / JSON.parse', (error) => JSON.parse(JSON.stringify(error)) as AiecsErrorJSON],
  ['structuredClone(toJSON())', (error) => structuredClone(error.toJSON())],
  ['structuredClone, then JSON', (error) => JSON.parse(JSON.stringify(structuredClone(error.toJSON()))) as AiecsErrorJSON],
];

const builtIns: [string, () => AiecsError][] = [
  ['AiecsError', () => new AiecsError('CUSTOM', 'something custom', { kind: 'transient' })],
  [
    'InputValidationError',
    () =>
      new InputValidationError(
        [
          { path: 'items.1.name', constraints: { isString: 'name must be a string' } },
          { path: '', constraints: { isObject: 'input must be an object', isDefined: 'input is required' } },
        ],
        'create',
      ),
  ],
  [
    'InputValidationError without an operation',
    () => new InputValidationError([{ path: 'q', constraints: { isString: 'q must be a string' } }]),
  ],
  ['SecurityError', () => new SecurityError('path', 'pathTraversal', "'..' segment")],
  ['ToolExecutionError with a Node ECONNRESET cause', () => new ToolExecutionError(site, 'request failed', { cause: econnreset() })],
  [
    'ToolExecutionError with a custom code and kind',
    () => new ToolExecutionError(site, 'bad reply', { code: 'BAD_REPLY', kind: 'caller' }),
  ],
  ['ToolExecutionError with a real ENOENT cause', () => new ToolExecutionError(site, 'no such file', { cause: enoent() })],
  ['UnknownOperationError', () => new UnknownOperationError(site, 'operation not found')],
  [
    'CircuitOpenError with a nested AiecsError cause',
    () => new CircuitOpenError(site, { cause: new ToolExecutionError(site, 'upstream failed', { cause: econnreset() }) }),
  ],
  ['BulkheadRejectedError', () => new BulkheadRejectedError(site, 4, 2, { cause: new Error('Bulkhead capacity exceeded') })],
  ['TimeoutError (attempt, with site)', () => new TimeoutError(250, 'attempt', site)],
  ['TimeoutError (call, no site)', () => new TimeoutError(1000)],
  ['AbortedError with a non-error cause', () => new AbortedError({ cause: 'user pressed stop' })],
  ['AbortedError', () => new AbortedError()],
  ['ConfigurationError', () => new ConfigurationError('cacheSize', -1, 'must be at least 0')],
  [
    'ConfigurationError with an object value',
    () => new ConfigurationError('retry', { attempts: 0, backoff: ['fixed', 10] }, 'attempts must be positive'),
  ],
  [
    'ToolExecutionError with a cause chain TypeError → ECONNRESET',
    () => new ToolExecutionError(site, 'fetch failed', { cause: new TypeError('fetch failed', { cause: econnreset() }) }),
  ],
];

describe('AiecsError JSON round trip', () => {
  describe.each(transports)('through %s', (_transport, send) => {
    it.each(builtIns)('%s', (_name, make) => {
      const original = make();
      const rebuilt = AiecsError.fromJSON(send(original));
      expect(rebuilt).toBeInstanceOf(original.constructor);
      expect(rebuilt).toBeInstanceOf(AiecsError);
      expect(rebuilt.constructor).toBe(original.constructor);
      expect(isAiecsError(rebuilt)).toBe(true);
      expect(rebuilt.code).toBe(original.code);
      expect(rebuilt.kind).toBe(original.kind);
      expect(errorKind(rebuilt)).toBe(errorKind(original));
      expectSameError(rebuilt, original);
      expect(rebuilt.toJSON()).toEqual(original.toJSON());
      expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(original));
    });
  });

  it('keeps the subclass fields (errors, timeoutMs, scope, tool, operation, limit, queue, …)', () => {
    const timeout = AiecsError.fromJSON(JSON.parse(JSON.stringify(new TimeoutError(250, 'attempt', site)))) as TimeoutError;
    expect(timeout).toBeInstanceOf(TimeoutError);
    expect(timeout).toMatchObject({
      timeoutMs: 250,
      scope: 'attempt',
      tool: 'HttpTool',
      operation: 'get',
      code: 'TIMEOUT',
      kind: 'transient',
    });

    const errors = [{ path: 'items.1.name', constraints: { isString: 'name must be a string' } }];
    const validation = AiecsError.fromJSON(structuredClone(new InputValidationError(errors, 'create').toJSON())) as InputValidationError;
    expect(validation).toBeInstanceOf(InputValidationError);
    expect(validation.errors).toEqual(errors);
    expect(validation.operation).toBe('create');

    const bulkhead = AiecsError.fromJSON(new BulkheadRejectedError(site, 4, 2).toJSON()) as BulkheadRejectedError;
    expect(bulkhead).toBeInstanceOf(BulkheadRejectedError);
    expect(bulkhead).toBeInstanceOf(ToolExecutionError);
    expect(bulkhead).toMatchObject({ limit: 4, queue: 2, tool: 'HttpTool', operation: 'get', kind: 'rejected' });
  });

  it('rebuilds a Node-like cause as an Error with its code, errno, syscall, message and stack', () => {
    const cause = econnreset();
    const rebuilt = AiecsError.fromJSON(JSON.parse(JSON.stringify(new ToolExecutionError(site, 'request failed', { cause }))));
    expect(rebuilt.kind).toBe('transient');
    const rebuiltCause = rebuilt.cause as Error & { code?: unknown; errno?: unknown; syscall?: unknown };
    expect(rebuiltCause).toBeInstanceOf(Error);
    expect(isAiecsError(rebuiltCause)).toBe(false);
    expect(rebuiltCause).toMatchObject({ name: 'Error', message: 'read ECONNRESET', code: 'ECONNRESET', errno: -104, syscall: 'read' });
    expect(rebuiltCause.stack).toBe(cause.stack);
  });

  it('rebuilds a nested AiecsError cause as its own class', () => {
    const inner = new TimeoutError(50, 'attempt', site);
    const outer = new ToolExecutionError(site, 'gave up', { cause: inner });
    expect(outer.kind).toBe('transient');
    const rebuilt = AiecsError.fromJSON(structuredClone(outer.toJSON()));
    expect(rebuilt.cause).toBeInstanceOf(TimeoutError);
    expect(rebuilt.cause).toMatchObject({ timeoutMs: 50, scope: 'attempt', code: 'TIMEOUT', kind: 'transient' });
    expect((rebuilt.cause as Error).stack).toBe(inner.stack);
  });

  it('rebuilds standard error types as themselves', () => {
    const rebuilt = AiecsError.fromJSON(new ToolExecutionError(site, 'x', { cause: new RangeError('too far') }).toJSON());
    expect(rebuilt.cause).toBeInstanceOf(RangeError);
    expect(rebuilt.cause).toMatchObject({ name: 'RangeError', message: 'too far' });
  });
});

describe('values from another realm (vm, worker, structuredClone in Jest)', () => {
  it('serialises plain objects, arrays and errors of another realm like local ones', () => {
    const value = runInNewContext('({ list: [1, { b: 2n }], at: new Date(0) })') as unknown;
    const cause = runInNewContext("Object.assign(new TypeError('bad'), { code: 'E_BAD' })") as Error;
    expect(cause).not.toBeInstanceOf(Error);
    const error = new ConfigurationError('option', value, 'bad');
    (error as { cause?: unknown }).cause = cause;
    const json = error.toJSON();
    expect(json.fields).toEqual({ option: 'option', value: { list: [1, { b: '2' }], at: '1970-01-01T00:00:00.000Z' } });
    expect(json.cause).toEqual({ name: 'TypeError', message: 'bad', stack: cause.stack, code: 'E_BAD' });
    const rebuilt = AiecsError.fromJSON(structuredClone(json));
    expect(rebuilt.cause).toBeInstanceOf(TypeError);
    expect(rebuilt.cause).toMatchObject({ message: 'bad', code: 'E_BAD' });
  });
});

describe('AiecsError#toJSON', () => {
  it('is plain data: name, code, kind, message, stack, cause, fields', () => {
    const error = new ToolExecutionError(site, 'request failed', { cause: econnreset() });
    const json = error.toJSON();
    expect(Object.keys(json)).toEqual(['name', 'code', 'kind', 'message', 'stack', 'cause', 'fields']);
    expect(json).toEqual({
      name: 'ToolExecutionError',
      code: 'TOOL_EXECUTION',
      kind: 'transient',
      message: 'HttpTool.get: request failed',
      stack: error.stack,
      cause: {
        name: 'Error',
        message: 'read ECONNRESET',
        stack: (error.cause as Error).stack,
        code: 'ECONNRESET',
        errno: -104,
        syscall: 'read',
      },
      fields: { tool: 'HttpTool', operation: 'get' },
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual(json);
    expect(structuredClone(json)).toEqual(json);
  });

  it('serialises a nested AiecsError cause with its own toJSON', () => {
    const inner = new SecurityError('q', 'sqlInjection', 'quote break-out');
    const json = new ToolExecutionError(site, 'refused', { cause: inner }).toJSON();
    expect(json.cause).toEqual(inner.toJSON());
    expect(json.kind).toBe('caller');
    expect(json.cause).toMatchObject({ name: 'SecurityError', kind: 'caller', fields: { field: 'q', rule: 'sqlInjection' } });
  });

  it('serialises a thrown non-error as NonError', () => {
    expect(new AbortedError({ cause: 42 }).toJSON().cause).toEqual({ name: 'NonError', message: '42' });
    expect(new AbortedError({ cause: undefined }).toJSON().cause).toEqual({ name: 'NonError', message: 'undefined' });
    expect(new AbortedError({ cause: Object.create(null) }).toJSON().cause).toEqual({ name: 'NonError', message: '[object Object]' });
  });

  it('keeps only own enumerable primitive properties of a plain error cause', () => {
    const cause = Object.assign(new Error('HTTP 503'), {
      status: 503,
      retryable: true,
      response: { headers: { secret: 'x' } },
      nothing: undefined,
    });
    const json = new ToolExecutionError(site, 'bad status', { cause }).toJSON().cause as PlainErrorJSON;
    expect(json).toEqual({ name: 'Error', message: 'HTTP 503', stack: cause.stack, status: 503, retryable: true });
  });

  it('leaves out fields that are undefined and has no fields key when there are none', () => {
    const json = new TimeoutError(10).toJSON();
    expect(json.fields).toEqual({ timeoutMs: 10, scope: 'call' });
    expect(Object.keys(json.fields ?? {})).not.toContain('tool');
    const bare = new AiecsError('X', 'x').toJSON();
    expect('fields' in bare).toBe(false);
    expect('cause' in bare).toBe(false);
  });

  it('makes a value that is not JSON-serialisable its String()', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const fn = function answer() {
      return 42;
    };
    const cases: [unknown, unknown][] = [
      [10n, '10'],
      [Number.NaN, 'NaN'],
      [Number.NEGATIVE_INFINITY, '-Infinity'],
      [Symbol('s'), 'Symbol(s)'],
      [fn, String(fn)],
      [new Map([[1, 2]]), '[object Map]'],
      [/ab+c/gi, '/ab+c/gi'],
      [new Date(0), '1970-01-01T00:00:00.000Z'],
      [circular, { a: 1, self: '[Circular]' }],
      [
        { n: 1n, list: [1, undefined, Number.NaN], nested: { at: new Date(0), skip: undefined } },
        { n: '1', list: [1, null, 'NaN'], nested: { at: '1970-01-01T00:00:00.000Z' } },
      ],
      [new Error('inner'), expect.objectContaining({ name: 'Error', message: 'inner' })],
      [null, null],
      ['text', 'text'],
    ];
    for (const [value, expected] of cases) {
      const error = new ConfigurationError('option', value, 'bad');
      const json = error.toJSON();
      expect(json.fields).toEqual({ option: 'option', value: expected });
      expect(JSON.parse(JSON.stringify(error))).toEqual(json);
      expect(structuredClone(json)).toEqual(json);
      const rebuilt = AiecsError.fromJSON(JSON.parse(JSON.stringify(error))) as ConfigurationError;
      expect(rebuilt).toBeInstanceOf(ConfigurationError);
      expect(rebuilt.value).toEqual(expected);
    }
    expect('value' in (new ConfigurationError('option', undefined, 'missing').toJSON().fields ?? {})).toBe(false);
  });

  it('cuts cycles in the cause chain instead of overflowing', () => {
    const error = new ToolExecutionError(site, 'loop', { cause: new Error('x') });
    (error as { cause: unknown }).cause = error;
    expect('cause' in error.toJSON()).toBe(false);

    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    const json = new ToolExecutionError(site, 'loop', { cause: a }).toJSON();
    expect(json.cause).toMatchObject({ message: 'a', cause: { message: 'b' } });
    expect('cause' in (json.cause?.cause as object)).toBe(false);
    expect(() => JSON.stringify(json)).not.toThrow();
  });
});

describe('AiecsError.fromJSON', () => {
  const base = { name: 'AiecsError', code: 'X', kind: 'caller', message: 'm' } as const;

  it('gives an AiecsError that keeps the name, code, kind, message and fields for an unknown name', () => {
    const json: AiecsErrorJSON = {
      name: 'PaymentDeclinedError',
      code: 'PAYMENT_DECLINED',
      kind: 'caller',
      message: 'card declined',
      fields: { amount: 12 },
    };
    const rebuilt = AiecsError.fromJSON(json);
    expect(rebuilt.constructor).toBe(AiecsError);
    expect(rebuilt).toMatchObject({
      name: 'PaymentDeclinedError',
      code: 'PAYMENT_DECLINED',
      kind: 'caller',
      message: 'card declined',
      amount: 12,
    });
    expect(rebuilt.stack).toBeUndefined();
  });

  it("falls back to the class's default kind when the kind is missing or unknown", () => {
    const json = { name: 'TimeoutError', code: 'TIMEOUT', message: 'late', fields: { timeoutMs: 5, scope: 'call' } };
    expect(AiecsError.fromJSON(json as unknown as AiecsErrorJSON).kind).toBe('transient');
    expect(AiecsError.fromJSON({ ...json, kind: 'fatal' } as unknown as AiecsErrorJSON).kind).toBe('transient');
    expect(AiecsError.fromJSON({ code: 'X', message: 'm' } as unknown as AiecsErrorJSON)).toMatchObject({
      name: 'AiecsError',
      kind: 'internal',
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['null', null, /expected an AiecsErrorJSON object, got null/],
    ['undefined', undefined, /expected an AiecsErrorJSON object, got undefined/],
    ['a string', 'TimeoutError', /expected an AiecsErrorJSON object, got a string/],
    ['a number', 42, /expected an AiecsErrorJSON object, got a number/],
    ['an empty object', {}, /'code' must be a string, got undefined/],
    ['no message', { code: 'X' }, /'message' must be a string, got undefined/],
    ['a numeric code', { code: 1, message: 'm' }, /'code' must be a string, got a number/],
    ['a non-string message', { code: 'X', message: { text: 'm' } }, /'message' must be a string, got an object/],
    ['a non-string name', { ...base, name: 7 }, /'name' must be a string, got a number/],
    ['non-object fields', { ...base, fields: 'tool=x' }, /'fields' must be an object, got a string/],
    ['array fields', { ...base, fields: [1] }, /'fields' must be an object, got an array/],
    ['a string cause', { ...base, cause: 'boom' }, /'cause' must be an error JSON object, got a string/],
    ['a cause without a message', { ...base, cause: { name: 'Error' } }, /cause's 'message' must be a string/],
    [
      'a malformed nested AiecsError cause',
      { ...base, cause: { ...base, message: 3, kind: 'caller' } },
      /'cause' must be an error JSON object|'message' must be a string/,
    ],
  ])('throws a TypeError for %s', (_name, json, message) => {
    expect(() => AiecsError.fromJSON(json as AiecsErrorJSON)).toThrow(TypeError);
    expect(() => AiecsError.fromJSON(json as AiecsErrorJSON)).toThrow(message);
  });

  it('throws a TypeError for a circular cause chain', () => {
    const json: Record<string, unknown> = { ...base };
    json.cause = json;
    expect(() => AiecsError.fromJSON(json as unknown as AiecsErrorJSON)).toThrow(/circular/);
  });

  it('never lets fields replace the prototype, the reserved slots or methods', () => {
    const json = JSON.parse(
      '{"name":"TimeoutError","code":"TIMEOUT","kind":"transient","message":"m","fields":{"__proto__":{"polluted":true},"code":"HIJACK","kind":"caller","toJSON":1,"timeoutMs":5}}',
    ) as AiecsErrorJSON;
    const rebuilt = AiecsError.fromJSON(json);
    expect(Object.getPrototypeOf(rebuilt)).toBe(TimeoutError.prototype);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(rebuilt).toMatchObject({ code: 'TIMEOUT', kind: 'transient', timeoutMs: 5 });
    expect(typeof rebuilt.toJSON).toBe('function');
  });
});

describe('registerErrorClass', () => {
  class QuotaExceededError extends AiecsError {
    static override readonly defaultKind: ErrorKind = 'rejected';
    /** Calls allowed per window. */
    readonly quota: number;
    readonly window: { readonly seconds: number };

    constructor(quota: number, seconds: number, options?: { cause?: unknown }) {
      super('QUOTA_EXCEEDED', `quota of ${quota} calls per ${seconds} s exceeded`, options);
      this.quota = quota;
      this.window = { seconds };
    }

    retryAfterMs(): number {
      return this.window.seconds * 1000;
    }
  }

  it('an unregistered subclass comes back as a plain AiecsError; a registered one as itself', () => {
    const original = new QuotaExceededError(100, 60, { cause: econnreset() });
    const before = AiecsError.fromJSON(JSON.parse(JSON.stringify(original)));
    expect(before).not.toBeInstanceOf(QuotaExceededError);
    expect(before).toMatchObject({ name: 'QuotaExceededError', code: 'QUOTA_EXCEEDED', kind: 'rejected', quota: 100 });

    expect(registerErrorClass(QuotaExceededError)).toBe(QuotaExceededError);
    const after = AiecsError.fromJSON(JSON.parse(JSON.stringify(original)));
    expect(after).toBeInstanceOf(QuotaExceededError);
    expectSameError(after, original);
    expect((after as QuotaExceededError).quota).toBe(100);
    expect((after as QuotaExceededError).retryAfterMs()).toBe(60_000);
    expect(registerErrorClass(QuotaExceededError)).toBe(QuotaExceededError);
  });

  it('works as a class decorator', () => {
    @registerErrorClass
    class RateLimitedError extends AiecsError {
      static override readonly defaultKind: ErrorKind = 'rejected';
      readonly retryAfterMs: number;
      constructor(retryAfterMs: number) {
        super('RATE_LIMITED', `retry after ${retryAfterMs} ms`);
        this.retryAfterMs = retryAfterMs;
      }
    }
    const rebuilt = AiecsError.fromJSON(structuredClone(new RateLimitedError(500).toJSON()));
    expect(rebuilt).toBeInstanceOf(RateLimitedError);
    expect(rebuilt).toMatchObject({ retryAfterMs: 500, kind: 'rejected' });
  });

  it('refuses a class that is not an AiecsError, has no name, or takes a registered name', () => {
    class NotOurs extends Error {}
    expect(() => registerErrorClass(NotOurs as never)).toThrow(TypeError);
    expect(() => registerErrorClass((() => class extends AiecsError {})())).toThrow(/needs a name/);
    const Impostor = { TimeoutError: class TimeoutError extends AiecsError {} }.TimeoutError;
    expect(() => registerErrorClass(Impostor)).toThrow(/'TimeoutError' is already registered/);
    expect(AiecsError.fromJSON(new TimeoutError(5).toJSON())).toBeInstanceOf(TimeoutError);
  });
});

describe('across copies of the package', () => {
  let other: typeof import('../src/errors');
  beforeAll(() => {
    jest.isolateModules(() => {
      other = require('../src/errors') as typeof import('../src/errors');
    });
  });

  it("rebuilds another copy's error as this copy's class", () => {
    const foreign = new other.TimeoutError(250, 'attempt', site);
    expect(foreign).not.toBeInstanceOf(TimeoutError);
    const rebuilt = AiecsError.fromJSON(JSON.parse(JSON.stringify(foreign)));
    expect(rebuilt).toBeInstanceOf(TimeoutError);
    expect(rebuilt).toMatchObject({ timeoutMs: 250, scope: 'attempt', kind: 'transient', stack: foreign.stack });
  });

  it("serialises another copy's error as a cause like one of its own", () => {
    const foreign = new other.InputValidationError([{ path: 'q', constraints: { isString: 'q must be a string' } }], 'get');
    const json = new ToolExecutionError(site, 'failed', { cause: foreign }).toJSON();
    expect(json.kind).toBe('caller');
    expect(json.cause).toEqual(foreign.toJSON());
    const rebuilt = AiecsError.fromJSON(structuredClone(json));
    expect(rebuilt.cause).toBeInstanceOf(InputValidationError);
    expect((rebuilt.cause as InputValidationError).errors).toEqual(foreign.errors);
  });
});
