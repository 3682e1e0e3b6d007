import { runInNewContext } from 'node:vm';
import { AbortedError, InputValidationError, TimeoutError, ToolExecutionError, errorKind, type ErrorKind } from '../src';
import { RETRY_CLASSIFICATION } from '../src/errors/errorKind';

const site = { tool: 'HttpTool', operation: 'get' };
const coded = (code: string, extra: object = {}): Error => Object.assign(new Error(code), { code }, extra);

describe('errorKind: the retry classification table', () => {
  it.each<[string, ErrorKind]>([
    ['ENOENT', 'internal'],
    ['EACCES', 'internal'],
    ['EPERM', 'internal'],
    ['EISDIR', 'internal'],
    ['ENOTDIR', 'internal'],
    ['EINVAL', 'internal'],
    ['EEXIST', 'internal'],
    ['ENOTEMPTY', 'internal'],
    ['ENOTFOUND', 'internal'],
    ['ECONNRESET', 'transient'],
    ['ECONNREFUSED', 'transient'],
    ['ECONNABORTED', 'transient'],
    ['ETIMEDOUT', 'transient'],
    ['EPIPE', 'transient'],
    ['EAI_AGAIN', 'transient'],
    ['EHOSTUNREACH', 'transient'],
    ['ENETUNREACH', 'transient'],
    ['UND_ERR_SOCKET', 'transient'],
    ['UND_ERR_CONNECT_TIMEOUT', 'transient'],
    ['UND_ERR_HEADERS_TIMEOUT', 'transient'],
    ['UND_ERR_BODY_TIMEOUT', 'transient'],
    ['UND_ERR_INVALID_ARG', 'internal'],
    ['ERR_SOMETHING_UNLISTED', 'transient'],
    ['__proto__', 'transient'],
    ['constructor', 'transient'],
  ])('code %s → %s', (code, kind) => {
    expect(errorKind(coded(code))).toBe(kind);
  });

  it('a real ENOENT from the file system is internal', async () => {
    const { readFile } = await import('node:fs/promises');
    const error = await readFile('/definitely/not/here/aiecs').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENOENT' });
    expect(errorKind(error)).toBe('internal');
  });

  it.each<[number, ErrorKind]>([
    [400, 'caller'],
    [404, 'caller'],
    [409, 'caller'],
    [422, 'caller'],
    [401, 'internal'],
    [407, 'internal'],
    [408, 'transient'],
    [429, 'transient'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [504, 'transient'],
    [501, 'internal'],
    [505, 'internal'],
  ])('HTTP %i → %s (status, statusCode, response.status)', (status, kind) => {
    expect(errorKind(Object.assign(new Error('http'), { status }))).toBe(kind);
    expect(errorKind({ statusCode: status })).toBe(kind);
    expect(errorKind(Object.assign(new Error('axios'), { code: 'ERR_BAD_RESPONSE', response: { status } }))).toBe(kind);
  });

  it('a status that is not an HTTP error, or not an integer, does not decide', () => {
    for (const status of [200, 302, 404.5, '404', Number.NaN])
      expect(errorKind(Object.assign(new TypeError('x'), { status }))).toBe('internal');
    for (const status of [200, 302, '503']) expect(errorKind({ status })).toBe('transient');
  });

  it('a code wins over a status; retryable wins over both', () => {
    expect(errorKind(coded('ENOENT', { status: 503 }))).toBe('internal');
    expect(errorKind(coded('ECONNRESET', { retryable: false }))).toBe('internal');
    expect(errorKind(coded('ENOENT', { retryable: true }))).toBe('transient');
    expect(errorKind({ status: 404, retryable: true })).toBe('transient');
    expect(errorKind({ status: 503, retryable: false })).toBe('internal');
  });

  it.each<[string, unknown]>([
    ['TypeError', new TypeError('x')],
    ['RangeError', new RangeError('x')],
    ['SyntaxError', new SyntaxError('x')],
    ['ReferenceError', new ReferenceError('x')],
    ['a subclass of TypeError', new (class NotAFunction extends TypeError {})('x')],
    ['a TypeError from another realm', runInNewContext('new TypeError("x")')],
  ])('%s → internal', (_name, error) => {
    expect(errorKind(error)).toBe('internal');
  });

  it("looks at the cause: fetch's TypeError('fetch failed') is as retryable as its socket error", () => {
    expect(errorKind(new TypeError('fetch failed', { cause: coded('ECONNREFUSED') }))).toBe('transient');
    expect(errorKind(new TypeError('fetch failed', { cause: coded('UND_ERR_SOCKET') }))).toBe('transient');
    expect(errorKind(new TypeError('fetch failed', { cause: coded('ENOTFOUND') }))).toBe('internal');
    expect(errorKind(new TypeError('fetch failed', { cause: new Error('bad port') }))).toBe('internal');
    expect(errorKind(new Error('wrapped', { cause: new Error('deeper', { cause: coded('ENOENT') }) }))).toBe('internal');
    expect(errorKind(new Error('wrapped', { cause: new InputValidationError([]) }))).toBe('caller');
    expect(errorKind(new Error('wrapped', { cause: { retryable: false } }))).toBe('internal');
    // The error's own word wins over its cause's.
    expect(errorKind(Object.assign(new Error('outer'), { retryable: false, cause: coded('ECONNRESET') }))).toBe('internal');
    expect(errorKind(coded('ECONNRESET', { cause: coded('ENOENT') }))).toBe('transient');
  });

  it('survives circular and very long cause chains, and throwing getters', () => {
    const a: { cause?: unknown } = {};
    const b = { cause: a };
    a.cause = b;
    expect(errorKind(a)).toBe('transient');
    let chain: unknown = coded('ENOENT');
    for (let i = 0; i < 100; i++) chain = new Error(`level ${i}`, { cause: chain });
    expect(errorKind(chain)).toBe('transient');
    const hostile = Object.defineProperty(new TypeError('x'), 'code', {
      get() {
        throw new Error('no');
      },
    });
    expect(() => errorKind(hostile)).not.toThrow();
  });

  it('framework errors keep their kind whatever their fields say', () => {
    expect(errorKind(Object.assign(new AbortedError(), { status: 503 }))).toBe('caller');
    expect(errorKind(new TimeoutError(5, 'attempt', site))).toBe('transient');
    expect(errorKind(new ToolExecutionError(site, 'failed', { cause: coded('ENOENT') }))).toBe('internal');
    expect(new ToolExecutionError(site, 'failed', { cause: { status: 404 } }).kind).toBe('caller');
  });

  it('unknown errors stay transient', () => {
    for (const value of [new Error('x'), 'boom', undefined, null, 42, { message: 'x' }, coded('EWHATEVER')])
      expect(errorKind(value)).toBe('transient');
  });

  it('RETRY_CLASSIFICATION is frozen data', () => {
    expect(Object.isFrozen(RETRY_CLASSIFICATION)).toBe(true);
    expect(Object.isFrozen(RETRY_CLASSIFICATION.codes)).toBe(true);
    expect(Object.isFrozen(RETRY_CLASSIFICATION.statusRanges[0])).toBe(true);
    expect(() => {
      (RETRY_CLASSIFICATION.codes as Record<string, ErrorKind>).ENOENT = 'transient';
    }).toThrow(TypeError);
    expect(RETRY_CLASSIFICATION.codes.ENOENT).toBe('internal');
  });
});
