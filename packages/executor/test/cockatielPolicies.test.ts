import { CircuitBreaker, Retry, Timeout } from '@aiecs/core';
import type { CircuitBreakerPolicy, RetryPolicy } from 'cockatiel';
import { AttemptTimeoutPolicy, BaseTool } from '../src';
import { quiet } from './fixtures';

class Remote extends BaseTool {
  failuresLeft = 2;

  @Retry({ attempts: 3, initialDelayMs: 1, jitter: false })
  @Timeout(1_000)
  @CircuitBreaker({ threshold: 10, halfOpenAfterMs: 1_000 })
  async call(_input: object): Promise<string> {
    if (this.failuresLeft-- > 0) throw new Error('flaky');
    return 'ok';
  }
}

describe('cockatiel policies behind the stages', () => {
  it("executor.policies(op) exposes the operation's cockatiel RetryPolicy, built once; its events fire per retry", async () => {
    const tool = new Remote({ ...quiet, timeoutMs: 0 });
    const policies = tool.executor.policies('call');
    expect(tool.executor.policies('call')).toBe(policies);
    const retry = policies.retry as RetryPolicy;
    const retries: number[] = [];
    const gaveUp: unknown[] = [];
    retry.onRetry((event) => retries.push(event.attempt));
    retry.onGiveUp((event) => gaveUp.push(event));
    await expect(tool.run('call', {})).resolves.toBe('ok');
    expect(retries).toEqual([1, 2]);
    expect(gaveUp).toEqual([]);
    expect(tool.executor.getMetrics().retries).toBe(2);
    expect(policies.attemptTimeout).toBeInstanceOf(AttemptTimeoutPolicy);
    expect((policies.circuitBreaker as CircuitBreakerPolicy).state).toBeDefined();
  });

  it('plans are plain data: cockatiel objects are created with the stages', () => {
    const tool = new Remote(quiet);
    const { plan } = tool.executor.describe('call');
    expect(plan.retry).toEqual({
      attempts: 3,
      backoff: 'exponential',
      initialDelayMs: 1,
      maxDelayMs: 30_000,
      jitter: false,
      retryOn: undefined,
    });
    expect(plan.attemptTimeout).toEqual({ ms: 1_000 });
    expect(JSON.parse(JSON.stringify(plan))).toMatchObject({ tool: 'remote', operation: 'call', deadline: { timeoutMs: 30_000 } });
  });
});
