import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortedError, ToolExecutionError, type ErrorKind } from '@aiecs/core';
import { BaseTool, isRetryable, type ToolConfigInput } from '../src';
import { recordingLogger, settleWithTimers } from './fixtures';

/** A tool whose operations fail with whatever `nextError` makes, counting attempts. */
class Failing extends BaseTool {
  attempts = 0;
  nextError: () => unknown = () => new Error('unset');
  url = '';

  async fail(_input: object): Promise<never> {
    this.attempts++;
    throw this.nextError();
  }

  async readMissing(_input: object): Promise<string> {
    this.attempts++;
    return readFile(join(tmpdir(), `aiecs-no-such-file-${process.pid}-${Date.now()}`), 'utf8');
  }

  async fetchClosedPort(_input: object): Promise<number> {
    this.attempts++;
    return (await fetch(this.url)).status;
  }
}

const codeError = (code: string, message = code): Error => Object.assign(new Error(message), { code });

function tool(config: ToolConfigInput = {}): Failing {
  return new Failing({ retryBackoffMs: 1, timeoutMs: 0, logger: recordingLogger(), ...config });
}

/** Runs `fail` once with `error` thrown by every attempt; returns how many attempts ran and what the caller got. */
async function attemptsFor(error: unknown, config?: ToolConfigInput): Promise<{ attempts: number; caught: unknown; retries: number }> {
  const t = tool(config);
  t.nextError = () => error;
  const caught = await t.run('fail', {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { attempts: t.attempts, caught, retries: t.executor.getMetrics().retries };
}

describe('retry classification (default retryAttempts 3)', () => {
  it('a real ENOENT is attempted once and reaches the caller fast (default backoff), kind internal', async () => {
    const t = new Failing({ timeoutMs: 0, logger: recordingLogger() }); // retryAttempts 3, retryBackoffMs 1000
    const started = performance.now();
    const caught = await t.run('readMissing', {}).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(500);
    expect(t.attempts).toBe(1);
    expect(caught).toBeInstanceOf(ToolExecutionError);
    expect(caught).toMatchObject({ kind: 'internal', cause: expect.objectContaining({ code: 'ENOENT' }) });
    expect(t.executor.getMetrics().retries).toBe(0);
  });

  it.each<[string, number, ErrorKind, unknown]>([
    ['ECONNRESET', 3, 'transient', codeError('ECONNRESET', 'socket hang up')],
    ['ETIMEDOUT', 3, 'transient', codeError('ETIMEDOUT')],
    ['UND_ERR_SOCKET', 3, 'transient', codeError('UND_ERR_SOCKET', 'other side closed')],
    ['EACCES', 1, 'internal', codeError('EACCES')],
    ['ENOTFOUND (permanent DNS)', 1, 'internal', codeError('ENOTFOUND', 'getaddrinfo ENOTFOUND nosuch.example')],
    ['{ status: 404 }', 1, 'caller', Object.assign(new Error('Not Found'), { status: 404 })],
    ['{ status: 400 }', 1, 'caller', { status: 400, message: 'Bad Request' }],
    ['{ statusCode: 503 }', 3, 'transient', Object.assign(new Error('Service Unavailable'), { statusCode: 503 })],
    ['{ status: 429 }', 3, 'transient', Object.assign(new Error('Too Many Requests'), { status: 429 })],
    ['{ status: 408 }', 3, 'transient', Object.assign(new Error('Request Timeout'), { status: 408 })],
    [
      'axios-like { response: { status: 500 } }',
      3,
      'transient',
      Object.assign(new Error('Request failed'), { code: 'ERR_BAD_RESPONSE', response: { status: 500 } }),
    ],
    ['a TypeError', 1, 'internal', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a RangeError', 1, 'internal', new RangeError('Invalid array length')],
    [
      'a SyntaxError (JSON.parse)',
      1,
      'internal',
      (() => {
        try {
          JSON.parse('{');
        } catch (e) {
          return e;
        }
      })(),
    ],
    [
      'fetch-like TypeError with cause code ECONNREFUSED',
      3,
      'transient',
      new TypeError('fetch failed', { cause: codeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9') }),
    ],
    [
      'fetch-like TypeError with a cause without a code (bad port)',
      1,
      'internal',
      new TypeError('fetch failed', { cause: new Error('bad port') }),
    ],
    ['retryable: false on an ECONNRESET', 1, 'internal', Object.assign(codeError('ECONNRESET'), { retryable: false })],
    ['retryable: true on a TypeError', 3, 'transient', Object.assign(new TypeError('x'), { retryable: true })],
    ['an unknown Error', 3, 'transient', new Error('something odd')],
  ])('%s: %i attempt(s), kind %s', async (_name, attempts, kind, error) => {
    const result = await attemptsFor(error);
    expect(result.attempts).toBe(attempts);
    expect(result.retries).toBe(attempts - 1);
    expect(result.caught).toBeInstanceOf(ToolExecutionError);
    expect(result.caught).toMatchObject({ kind, cause: error });
  });

  it('a real fetch to a closed port (TypeError "fetch failed", cause ECONNREFUSED) is retried', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const t = tool();
    t.url = `http://127.0.0.1:${port}/`;
    const caught = await t.run('fetchClosedPort', {}).catch((e: unknown) => e);
    expect(caught).toMatchObject({
      kind: 'transient',
      cause: expect.objectContaining({ name: 'TypeError', cause: expect.objectContaining({ code: 'ECONNREFUSED' }) }),
    });
    expect(t.attempts).toBe(3);
  });
});

describe('classifyError (per tool)', () => {
  it('decides before the table: ENOTFOUND made transient, ECONNRESET made internal', async () => {
    const classifyError = (e: unknown): ErrorKind | undefined => {
      const code = (e as { code?: unknown }).code;
      if (code === 'ENOTFOUND') return 'transient';
      if (code === 'ECONNRESET') return 'internal';
      return undefined;
    };
    expect((await attemptsFor(codeError('ENOTFOUND'), { classifyError })).attempts).toBe(3);
    expect((await attemptsFor(codeError('ECONNRESET'), { classifyError })).attempts).toBe(1);
    // `undefined` falls back to errorKind's table.
    expect((await attemptsFor(codeError('ETIMEDOUT'), { classifyError })).attempts).toBe(3);
    expect((await attemptsFor(codeError('ENOENT'), { classifyError })).attempts).toBe(1);
    // Without the override, the table.
    expect((await attemptsFor(codeError('ENOTFOUND'))).attempts).toBe(1);
    expect((await attemptsFor(codeError('ECONNRESET'))).attempts).toBe(3);
  });

  it('sees every failure, the first included, and is still narrowed by retryOn', async () => {
    const seen: unknown[] = [];
    const error = codeError('ENOENT');
    const classifyError = (e: unknown): ErrorKind => (seen.push(e), 'transient');
    expect((await attemptsFor(error, { classifyError })).attempts).toBe(3);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every((e) => e === error)).toBe(true);
    const narrowed = await attemptsFor(error, { classifyError, operations: { fail: { retry: { retryOn: () => false } } } });
    expect(narrowed.attempts).toBe(1);
  });

  it('a value that is not a kind falls back to the table', async () => {
    const classifyError = (() => 'retry') as unknown as (e: unknown) => ErrorKind;
    expect((await attemptsFor(codeError('ENOENT'), { classifyError })).attempts).toBe(1);
    expect((await attemptsFor(codeError('ECONNRESET'), { classifyError })).attempts).toBe(3);
  });

  it('isRetryable takes the same override', () => {
    expect(isRetryable(codeError('ENOTFOUND'))).toBe(false);
    expect(isRetryable(codeError('ENOTFOUND'), () => 'transient')).toBe(true);
    expect(isRetryable(codeError('ECONNRESET'), () => undefined)).toBe(true);
  });
});

describe('metrics.retries', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('does not count a retry whose backoff the caller aborted (no attempt started)', async () => {
    const t = new Failing({
      retryBackoffMs: 1000,
      timeoutMs: 0,
      logger: recordingLogger(),
      operations: { fail: { retry: { jitter: false } } },
    });
    t.nextError = () => codeError('ECONNRESET');
    const controller = new AbortController();
    const pending = t.run('fail', {}, { signal: controller.signal });
    await jest.advanceTimersByTimeAsync(10); // attempt 1 failed; waiting in the backoff
    expect(t.attempts).toBe(1);
    controller.abort();
    const result = await settleWithTimers(pending);
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(AbortedError);
    expect(t.attempts).toBe(1);
    expect(t.executor.getMetrics().retries).toBe(0);
  });
});
