import {
  AbortedError,
  AiecsError,
  BulkheadRejectedError,
  checkNumber,
  CircuitOpenError,
  ConfigurationError,
  errorKind,
  type ErrorKind,
  InputValidationError,
  isAiecsError,
  isErrorKind,
  SecurityError,
  TimeoutError,
  ToolExecutionError,
  UnknownOperationError,
} from '../src';

describe('errors', () => {
  const site = { tool: 'FileTool', operation: 'read' };

  it('carry a stable code, their name and the details', () => {
    const validation = new InputValidationError([{ path: 'items.1.name', constraints: { isString: 'name must be a string' } }], 'read');
    expect(validation).toMatchObject({ code: 'INPUT_VALIDATION', name: 'InputValidationError', operation: 'read' });
    expect(validation.message).toBe("Invalid input for 'read': items.1.name: name must be a string");
    expect(new SecurityError('q', 'sqlInjection', 'quote break-out')).toMatchObject({ code: 'SECURITY', field: 'q', rule: 'sqlInjection' });
    expect(new TimeoutError(100, 'attempt', site).message).toBe('FileTool.read timed out after 100 ms (attempt deadline)');
    const cause = new Error('boom');
    expect(new ToolExecutionError(site, 'boom', { cause })).toMatchObject({ code: 'TOOL_EXECUTION', cause, tool: 'FileTool' });
  });

  it('circuit and bulkhead rejections are ToolExecutionErrors', () => {
    expect(new CircuitOpenError(site)).toBeInstanceOf(ToolExecutionError);
    expect(new BulkheadRejectedError(site, 2, 1)).toBeInstanceOf(ToolExecutionError);
    expect(new BulkheadRejectedError(site, 2, 1).code).toBe('BULKHEAD_REJECTED');
    expect(new CircuitOpenError(site)).toBeInstanceOf(AiecsError);
  });
});

describe('error kinds', () => {
  const site = { tool: 'FileTool', operation: 'read' };
  const validation = () => new InputValidationError([{ path: 'q', constraints: { isString: 'q must be a string' } }]);

  it.each<[string, ErrorKind, () => AiecsError]>([
    ['InputValidationError', 'caller', validation],
    ['SecurityError', 'caller', () => new SecurityError('q', 'sqlInjection', 'quote')],
    ['UnknownOperationError', 'caller', () => new UnknownOperationError(site, 'operation not found')],
    ['AbortedError', 'caller', () => new AbortedError()],
    ['TimeoutError (attempt)', 'transient', () => new TimeoutError(100, 'attempt', site)],
    ['TimeoutError (call)', 'rejected', () => new TimeoutError(100)],
    ['CircuitOpenError', 'rejected', () => new CircuitOpenError(site)],
    ['BulkheadRejectedError', 'rejected', () => new BulkheadRejectedError(site, 2, 1)],
    ['ConfigurationError', 'internal', () => new ConfigurationError('cacheSize', -1, 'must be at least 0')],
    ['ToolExecutionError without a cause', 'internal', () => new ToolExecutionError(site, 'boom')],
    ['AiecsError', 'internal', () => new AiecsError('X', 'x')],
  ])('%s has kind %s', (_name, kind, make) => {
    const error = make();
    expect(error.kind).toBe(kind);
    expect(errorKind(error)).toBe(kind);
  });

  it('reads the default from a static per class, and lets the constructor override it', () => {
    expect(AiecsError.defaultKind).toBe('internal');
    expect(TimeoutError.defaultKind).toBe('transient');
    class QuotaError extends AiecsError {
      static override readonly defaultKind: ErrorKind = 'rejected';
    }
    expect(new QuotaError('QUOTA', 'over quota').kind).toBe('rejected');
    expect(new QuotaError('QUOTA', 'over quota', { kind: 'caller' }).kind).toBe('caller');
    expect(new AiecsError('X', 'x', { kind: 'transient' }).kind).toBe('transient');
  });

  it('keeps the cause as the standard Error#cause, and sets none when not given', () => {
    const cause = new Error('boom');
    expect(new AiecsError('X', 'x', { cause }).cause).toBe(cause);
    expect('cause' in new AiecsError('X', 'x', { kind: 'caller' })).toBe(false);
    expect('cause' in new CircuitOpenError(site)).toBe(false);
    expect(new AbortedError({ cause: 'signal' }).cause).toBe('signal');
  });

  describe('ToolExecutionError', () => {
    it.each<[string, unknown, ErrorKind]>([
      ['an InputValidationError', validation(), 'caller'],
      ['an AbortedError', new AbortedError(), 'caller'],
      ['a TimeoutError', new TimeoutError(5, 'attempt', site), 'transient'],
      ['a CircuitOpenError', new CircuitOpenError(site), 'rejected'],
      ['a ConfigurationError', new ConfigurationError('x', 1, 'bad'), 'internal'],
      ['an error with retryable: false', Object.assign(new Error('fatal'), { retryable: false }), 'internal'],
      ['an object with retryable: false', { retryable: false }, 'internal'],
      ['a plain Error', new Error('flaky'), 'transient'],
      ['an error with retryable: true', Object.assign(new Error('flaky'), { retryable: true }), 'transient'],
      ['a thrown string', 'oops', 'transient'],
      ['a thrown undefined', undefined, 'transient'],
    ])('takes its kind from %s cause', (_name, cause, kind) => {
      expect(new ToolExecutionError(site, 'failed', { cause }).kind).toBe(kind);
      expect(new ToolExecutionError(site, 'failed', { cause, code: 'CUSTOM' })).toMatchObject({ kind, code: 'CUSTOM', cause });
    });

    it('an explicit kind wins over the cause', () => {
      expect(new ToolExecutionError(site, 'failed', { cause: new Error('x'), kind: 'caller' }).kind).toBe('caller');
      expect(new ToolExecutionError(site, 'failed', { cause: validation(), kind: 'internal' }).kind).toBe('internal');
    });

    it('policy rejections stay rejected whatever their cause', () => {
      expect(new CircuitOpenError(site, { cause: new Error('upstream down') }).kind).toBe('rejected');
      expect(new BulkheadRejectedError(site, 2, 1, { cause: validation() }).kind).toBe('rejected');
    });

    it('a subclass without its own defaultKind inherits the cause kind; one with it keeps its own', () => {
      class FetchError extends ToolExecutionError {}
      class FatalFetchError extends FetchError {
        static override readonly defaultKind: ErrorKind = 'internal';
      }
      class FlakyFetchError extends FatalFetchError {}
      expect(new FetchError(site, 'failed', { cause: validation() }).kind).toBe('caller');
      expect(new FetchError(site, 'failed').kind).toBe('internal');
      expect(new FatalFetchError(site, 'failed', { cause: new Error('x') }).kind).toBe('internal');
      expect(new FlakyFetchError(site, 'failed', { cause: new Error('x') }).kind).toBe('internal');
    });

    it('BulkheadRejectedError keeps its limit and queue', () => {
      expect(new BulkheadRejectedError(site, 2, 1)).toMatchObject({ limit: 2, queue: 1, tool: 'FileTool', operation: 'read' });
    });
  });
});

describe('errorKind', () => {
  it.each<[string, ErrorKind, unknown]>([
    ['undefined', 'transient', undefined],
    ['null', 'transient', null],
    ['a string', 'transient', 'boom'],
    ['a number', 'transient', 42],
    ['a plain Error', 'transient', new Error('boom')],
    ['a TypeError (a defect; see errorKind.test.ts)', 'internal', new TypeError('boom')],
    ['an object', 'transient', { message: 'boom' }],
    ['retryable: true', 'transient', { retryable: true }],
    ['retryable: undefined', 'transient', { retryable: undefined }],
    ['retryable: "false" (a string)', 'transient', { retryable: 'false' }],
    ['retryable: false', 'internal', { retryable: false }],
    ['an Error with retryable: false', 'internal', Object.assign(new Error('boom'), { retryable: false })],
    ['an AiecsError-looking plain object (no brand)', 'transient', { code: 'SECURITY', kind: 'caller', message: 'x' }],
  ])('classifies %s as %s', (_name, kind, value) => {
    expect(errorKind(value)).toBe(kind);
  });

  it("an AiecsError's kind wins over retryable", () => {
    expect(errorKind(Object.assign(new TimeoutError(5, 'attempt'), { retryable: false }))).toBe('transient');
  });

  it('isErrorKind accepts exactly the four kinds', () => {
    for (const kind of ['caller', 'transient', 'rejected', 'internal']) expect(isErrorKind(kind)).toBe(true);
    for (const value of ['Caller', 'fatal', '', undefined, null, 1]) expect(isErrorKind(value)).toBe(false);
  });
});

describe('isAiecsError', () => {
  const site = { tool: 'FileTool', operation: 'read' };
  let other: typeof import('../src/errors');
  beforeAll(() => {
    jest.isolateModules(() => {
      other = require('../src/errors') as typeof import('../src/errors');
    });
  });

  it('accepts every AiecsError and nothing else', () => {
    expect(isAiecsError(new AiecsError('X', 'x'))).toBe(true);
    expect(isAiecsError(new CircuitOpenError(site))).toBe(true);
    expect(isAiecsError(new ConfigurationError('x', 1, 'bad'))).toBe(true);
    for (const value of [
      new Error('x'),
      { code: 'X', kind: 'caller', message: 'x', name: 'AiecsError' },
      null,
      undefined,
      'AiecsError',
      AiecsError,
    ]) {
      expect(isAiecsError(value)).toBe(false);
    }
    expect(isAiecsError(new AiecsError('X', 'x').toJSON())).toBe(false);
  });

  it('brands the prototype with a non-enumerable registered symbol', () => {
    const brand = Symbol.for('aiecs.error');
    expect(Object.getOwnPropertyDescriptor(AiecsError.prototype, brand)).toMatchObject({ value: true, enumerable: false });
    const error = new TimeoutError(5);
    expect(Object.getOwnPropertySymbols(error)).toEqual([]);
  });

  it('recognises errors from a second copy of the package, where instanceof fails', () => {
    expect(other.AiecsError).not.toBe(AiecsError);
    const foreign = new other.TimeoutError(100, 'attempt', site);
    expect(foreign).not.toBeInstanceOf(AiecsError);
    expect(foreign).not.toBeInstanceOf(TimeoutError);
    expect(isAiecsError(foreign)).toBe(true);
    expect(other.isAiecsError(new SecurityError('q', 'rule', 'reason'))).toBe(true);
  });

  it('classifies errors from a second copy by their kind, also as a cause', () => {
    const foreign = new other.InputValidationError([{ path: 'q', constraints: { isString: 'q must be a string' } }]);
    expect(errorKind(foreign)).toBe('caller');
    expect(errorKind(new other.CircuitOpenError(site))).toBe('rejected');
    expect(new ToolExecutionError(site, 'failed', { cause: foreign }).kind).toBe('caller');
  });
});

describe('checkNumber', () => {
  it.each([
    [Number.NaN, 'expected a number'],
    ['3', 'expected a number'],
    [Number.POSITIVE_INFINITY, 'expected a finite number'],
    [-1, 'must be at least 0'],
    [1.5, 'expected a whole number'],
  ])('rejects %p (%s)', (value, reason) => {
    expect(() => checkNumber('cacheSize', value, { integer: true })).toThrow(new ConfigurationError('cacheSize', value, reason));
  });

  it('returns a valid value', () => {
    expect(checkNumber('x', 3, { min: 1, max: 3, integer: true })).toBe(3);
  });
});
