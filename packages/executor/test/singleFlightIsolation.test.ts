import { EventEmitter } from 'node:events';
import { AbortedError, CacheResult, TimeoutError, type ToolContext } from '@aiecs/core';
import { BaseTool } from '../src';
import { Call } from '../src/pipeline/Call';
import { recordingLogger } from './fixtures';

/** Two cached operations taking `ms`: one stops when its signal aborts, one ignores its signal. */
class Backend extends BaseTool {
  runs = 0;
  signals: AbortSignal[] = [];

  @CacheResult({ ttlMs: 0 })
  async honours(input: { id: number; ms: number }, ctx: ToolContext): Promise<string> {
    this.runs++;
    const signal = ctx.signal;
    this.signals.push(signal);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, input.ms);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
    return `value ${input.id}`;
  }

  @CacheResult({ ttlMs: 0 })
  async ignores(input: { id: number; ms: number }, ctx: ToolContext): Promise<string> {
    this.runs++;
    this.signals.push(ctx.signal);
    await new Promise((resolve) => setTimeout(resolve, input.ms));
    return `value ${input.id}`;
  }
}

type Operation = 'honours' | 'ignores';

/** Records how `promise` settles and when (epoch ms under the fake clock). */
function watch(promise: Promise<unknown>) {
  const state: { settled?: PromiseSettledResult<unknown>; at?: number } = {};
  promise.then(
    (value) => Object.assign(state, { settled: { status: 'fulfilled', value }, at: Date.now() }),
    (reason: unknown) => Object.assign(state, { settled: { status: 'rejected', reason }, at: Date.now() }),
  );
  return state;
}

/** Live `whenAborted` subscriptions on every `Call`, counted while the test runs. */
let liveListeners = 0;
beforeEach(() => {
  jest.useFakeTimers({ now: 0 });
  liveListeners = 0;
  const original = Call.prototype.whenAborted;
  jest.spyOn(Call.prototype, 'whenAborted').mockImplementation(function (this: Call, listener) {
    let active = true;
    liveListeners++;
    const end = (): void => {
      if (active) liveListeners--;
      active = false;
    };
    const unsubscribe = original.call(this, (reason) => {
      end();
      listener(reason);
    });
    return () => {
      end();
      unsubscribe();
    };
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
});

function backend(timeoutMs = 10_000): Backend {
  return new Backend({ logger: recordingLogger(), retryAttempts: 1, timeoutMs });
}

describe.each<Operation>(['honours', 'ignores'])('single flight isolates its callers (a method that %s its signal)', (op) => {
  it.each([2, 3])('the first of %i callers aborts: the others still get the result', async (n) => {
    const tool = backend();
    const controllers = Array.from({ length: n }, () => new AbortController());
    const results = controllers.map((controller) => watch(tool.run(op, { id: 1, ms: 200 }, { signal: controller.signal })));
    await jest.advanceTimersByTimeAsync(20);
    controllers[0]!.abort(new Error('first caller gave up'));
    await jest.advanceTimersByTimeAsync(0);
    expect(results[0]!.settled?.status).toBe('rejected');
    expect((results[0]!.settled as PromiseRejectedResult).reason).toBeInstanceOf(AbortedError);
    expect(tool.signals[0]!.aborted).toBe(false);

    await jest.advanceTimersByTimeAsync(180);
    for (const result of results.slice(1)) expect(result.settled).toEqual({ status: 'fulfilled', value: 'value 1' });
    expect(tool.runs).toBe(1);
    expect(tool.executor.runtime.flights.size).toBe(0);
    expect(liveListeners).toBe(0);
    for (const { signal } of controllers) expect(EventEmitter.getEventListeners(signal, 'abort')).toHaveLength(0);
    await tool.executor.close();
  });

  it('first caller 50 ms deadline, second 500 ms, method 200 ms: TimeoutError at 50 ms, the result at 200 ms', async () => {
    const tool = backend();
    const first = watch(tool.run(op, { id: 2, ms: 200 }, { deadlineMs: 50 }));
    const second = watch(tool.run(op, { id: 2, ms: 200 }, { deadlineMs: 500 }));
    await jest.advanceTimersByTimeAsync(50);
    expect(first.at).toBe(50);
    expect((first.settled as PromiseRejectedResult).reason).toBeInstanceOf(TimeoutError);
    expect(second.settled).toBeUndefined();
    // The first caller's deadline does not reach the shared execution.
    expect(tool.signals[0]!.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(150);
    expect(second).toEqual({ settled: { status: 'fulfilled', value: 'value 2' }, at: 200 });
    expect(tool.runs).toBe(1);
    expect(liveListeners).toBe(0);
    await tool.executor.close();
  });

  it.each([2, 3])('all %i callers abort: the method signal aborts (when the last one leaves) and nothing is left behind', async (n) => {
    // No operation timeout: the callers' signals are all that bound the call, so no timer is expected.
    const tool = backend(0);
    const controllers = Array.from({ length: n }, () => new AbortController());
    const results = controllers.map((controller) => watch(tool.run(op, { id: 3, ms: 200 }, { signal: controller.signal })));
    for (const [i, controller] of controllers.entries()) {
      await jest.advanceTimersByTimeAsync(10);
      expect(tool.signals[0]!.aborted).toBe(false);
      controller.abort(new Error(`caller ${i} gave up`));
    }
    await jest.advanceTimersByTimeAsync(0);
    expect(tool.signals[0]!.aborted).toBe(true);
    expect(results.every((r) => r.settled?.status === 'rejected' && r.settled.reason instanceof AbortedError)).toBe(true);
    expect(tool.executor.runtime.flights.size).toBe(0);
    await jest.advanceTimersByTimeAsync(500);
    expect(tool.runs).toBe(1);
    expect(liveListeners).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    await tool.executor.close();
  });
});
