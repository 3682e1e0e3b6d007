import { Retry, Sanitize, ValidateInput, type ToolContext } from '@aiecs/core';
import { IsString } from '@aiecs/validation';
import { AbortedError, InputValidationError, SecurityError, ToolExecutionError } from '@aiecs/core';
import { BaseTool } from '../src';
import { recordingLogger, settleWithTimers } from './fixtures';

class TextInput {
  @IsString() text!: string;
}

class TransientError extends Error {}

class Flaky extends BaseTool {
  attempts: number[] = [];
  startedAt: number[] = [];
  failuresLeft = 0;

  @Retry({ jitter: false })
  async call(_input: object, ctx: ToolContext) {
    this.attempts.push(ctx.attempt);
    this.startedAt.push(Date.now());
    if (this.failuresLeft-- > 0) throw new TransientError(`fail #${ctx.attempt}`);
    return `ok on attempt ${ctx.attempt}`;
  }

  @Retry({ attempts: 5, jitter: false, retryOn: (e) => e instanceof TransientError })
  async picky(input: { kind: string }) {
    this.attempts.push(1);
    throw input.kind === 'transient' ? new TransientError('again') : new Error('permanent');
  }

  @ValidateInput(TextInput)
  @Sanitize()
  async strict(input: TextInput) {
    this.attempts.push(1);
    return input.text;
  }

  @Retry({ attempts: 4, jitter: false })
  async abortable(_input: object, ctx: ToolContext) {
    this.attempts.push(ctx.attempt);
    throw new TransientError('always');
  }
}

describe('retry', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('retryAttempts counts total attempts, with exponential backoff from retryBackoffMs', async () => {
    const logger = recordingLogger();
    const tool = new Flaky({ retryAttempts: 3, retryBackoffMs: 100, logger, timeoutMs: 0 });
    tool.failuresLeft = 2;
    const result = await settleWithTimers(tool.run('call', {}));
    expect(result).toEqual({ status: 'fulfilled', value: 'ok on attempt 3' });
    expect(tool.attempts).toEqual([1, 2, 3]);
    expect(tool.startedAt).toEqual([0, 100, 300]);
    expect(tool.executor.getMetrics().retries).toBe(2);
    const retries = logger.lines.filter((l) => l.message === 'retrying operation');
    expect(retries.map((l) => l.fields)).toEqual([
      expect.objectContaining({ operation: 'call', attempt: 2, error: 'Error: fail #1' }),
      expect.objectContaining({ operation: 'call', attempt: 3, error: 'Error: fail #2' }),
    ]);
  });

  it('gives up after the last attempt with a ToolExecutionError carrying the cause', async () => {
    const tool = new Flaky({ retryAttempts: 3, retryBackoffMs: 10, logger: recordingLogger(), timeoutMs: 0 });
    tool.failuresLeft = 10;
    const result = await settleWithTimers(tool.run('call', {}));
    expect(tool.attempts).toEqual([1, 2, 3]);
    expect(result.status).toBe('rejected');
    const error = (result as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error).toMatchObject({ tool: 'flaky', operation: 'call' });
    expect(error.cause).toBeInstanceOf(TransientError);
  });

  it('retryAttempts 1 means a single attempt', async () => {
    const tool = new Flaky({ retryAttempts: 1, logger: recordingLogger() });
    tool.failuresLeft = 1;
    await settleWithTimers(tool.run('call', {}));
    expect(tool.attempts).toEqual([1]);
  });

  it('retryOn narrows what is retried', async () => {
    const tool = new Flaky({ logger: recordingLogger(), timeoutMs: 0 });
    await settleWithTimers(tool.run('picky', { kind: 'permanent' }));
    expect(tool.attempts).toHaveLength(1);
    tool.attempts = [];
    await settleWithTimers(tool.run('picky', { kind: 'transient' }));
    expect(tool.attempts).toHaveLength(5);
  });

  it('never retries validation or security errors (they never reach the method)', async () => {
    const tool = new Flaky({ logger: recordingLogger() });
    expect((await settleWithTimers(tool.run('strict', { text: 1 } as never))).status).toBe('rejected');
    expect((await settleWithTimers(tool.run('strict', { text: '../../etc/passwd' }))).status).toBe('rejected');
    await expect(tool.run('strict', { text: 1 } as never)).rejects.toBeInstanceOf(InputValidationError);
    await expect(tool.run('strict', { text: '../x' })).rejects.toBeInstanceOf(SecurityError);
    expect(tool.attempts).toHaveLength(0);
    expect(tool.executor.getMetrics().retries).toBe(0);
  });

  it('never retries after the caller aborts, and releases the caller at once', async () => {
    const tool = new Flaky({ retryBackoffMs: 1000, logger: recordingLogger(), timeoutMs: 0 });
    const controller = new AbortController();
    const pending = tool.run('abortable', {}, { signal: controller.signal });
    await jest.advanceTimersByTimeAsync(500); // attempt 1 failed, waiting for attempt 2
    controller.abort();
    const result = await settleWithTimers(pending);
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(AbortedError);
    expect(tool.attempts).toEqual([1]);
    expect(jest.getTimerCount()).toBe(0);
  });
});
