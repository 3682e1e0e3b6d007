import { AbortedError, Bulkhead, Retry, Timeout, TimeoutError } from '@aiecs/core';
import { BaseTool } from '../src';
import type { FixedDelayTimer } from '../src/policies/FixedDelayTimer';
import { recordingLogger, runProbe } from './fixtures';

const ATTEMPT_MS = 5000;

/** A method that ignores its signal and never settles, under a per-attempt timeout of 5 s. */
class Hung extends BaseTool {
  started = 0;

  @Timeout(ATTEMPT_MS)
  @Retry({ attempts: 1 })
  async op(_input: object): Promise<never> {
    this.started++;
    return new Promise<never>(() => undefined);
  }

  @Timeout({ ms: ATTEMPT_MS, strategy: 'cooperative' })
  @Retry({ attempts: 1 })
  async cooperative(_input: object): Promise<never> {
    this.started++;
    return new Promise<never>(() => undefined);
  }

  @Bulkhead({ limit: 1 })
  @Timeout(ATTEMPT_MS)
  @Retry({ attempts: 1 })
  async guarded(_input: object): Promise<never> {
    this.started++;
    return new Promise<never>(() => undefined);
  }
}

/** What the shared 5 s attempt timer still holds: pending expiries, and whether its Node timer keeps the process alive. */
function pending(timer: FixedDelayTimer): { pending: boolean; referenced: boolean } {
  const internals = timer as unknown as { head: unknown; referenced: boolean };
  return { pending: internals.head !== undefined, referenced: internals.referenced };
}

const options = { logger: recordingLogger(), timeoutMs: 0 };

describe('no timer outlives its call', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it.each(['op', 'cooperative'] as const)('%s: the call deadline cancels the running attempt timer', async (operation) => {
    const tool = new Hung(options);
    const timer = tool.executor.runtime.timers.forDelay(ATTEMPT_MS);
    const call = tool.run(operation, {}, { deadlineMs: 100 }).catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(0);
    expect(pending(timer)).toEqual({ pending: true, referenced: true });
    await jest.advanceTimersByTimeAsync(100);
    await expect(call).resolves.toBeInstanceOf(TimeoutError);
    expect(pending(timer)).toEqual({ pending: false, referenced: false });
    expect(tool.started).toBe(1);
  });

  it('the operation timeout (timeoutMs) cancels it too', async () => {
    const tool = new Hung({ ...options, timeoutMs: 100 });
    const timer = tool.executor.runtime.timers.forDelay(ATTEMPT_MS);
    const call = tool.run('op', {}).catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(100);
    await expect(call).resolves.toBeInstanceOf(TimeoutError);
    expect(pending(timer)).toEqual({ pending: false, referenced: false });
  });

  it("the caller's abort cancels it", async () => {
    const tool = new Hung(options);
    const timer = tool.executor.runtime.timers.forDelay(ATTEMPT_MS);
    const controller = new AbortController();
    const call = tool.run('op', {}, { signal: controller.signal }).catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(10);
    expect(pending(timer).pending).toBe(true);
    controller.abort(new Error('caller left'));
    await expect(call).resolves.toBeInstanceOf(AbortedError);
    expect(pending(timer)).toEqual({ pending: false, referenced: false });
  });

  it('the attempt releases what it holds at the deadline: the bulkhead slot is free for the next call', async () => {
    const tool = new Hung(options);
    const first = tool.run('guarded', {}, { deadlineMs: 100 }).catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(100);
    await expect(first).resolves.toBeInstanceOf(TimeoutError);
    const second = tool.run('guarded', {}, { deadlineMs: 200 }).catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(100);
    await expect(second).resolves.toBeInstanceOf(TimeoutError);
    expect(tool.started).toBe(2); // the second call ran; it was not refused by a slot the first still held
  });

  it('no abort listener stays on a call whose attempt settled in time', async () => {
    class Quick extends BaseTool {
      @Timeout(ATTEMPT_MS)
      async op(_input: object): Promise<string> {
        return 'ok';
      }
    }
    const tool = new Quick(options);
    const timer = tool.executor.runtime.timers.forDelay(ATTEMPT_MS);
    const controller = new AbortController();
    await expect(tool.run('op', {}, { signal: controller.signal, deadlineMs: 100 })).resolves.toBe('ok');
    expect(pending(timer)).toEqual({ pending: false, referenced: false });
    controller.abort(); // after the call: nothing left to notify
  });
});

describe('a process running such a call exits on its own', () => {
  it('exits well before the 5 s attempt timer would fire', () => {
    const result = runProbe('timerProbe.ts');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [done, lingered] = result.stdout.trim().split('\n');
    expect(done).toBe('done');
    expect(lingered).toMatch(/^lingered \d+$/);
    expect(Number(lingered!.split(' ')[1])).toBeLessThan(1000);
  }, 40_000);
});
