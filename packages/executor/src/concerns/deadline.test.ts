import { AbortedError, ConfigurationError, TimeoutError } from '@aiecs/core';
import { deadline } from './deadline';
import {
  build,
  closeServices,
  configErrorOf,
  deferred,
  eventBase,
  fakeNext,
  makeCall,
  never,
  PATH,
  rejection,
  services,
  sources,
  watch,
  useFakeClock,
  useRealClock,
} from './concern.testkit';

beforeEach(useFakeClock);
afterEach(() => {
  closeServices();
  useRealClock();
});

/** The deadline stage over `next`, with the operation's timeout `timeoutMs` (read per call). */
function bounded(timeoutMs: number | (() => number), next = fakeNext(never())) {
  const plan = { timeoutMs: typeof timeoutMs === 'number' ? timeoutMs : timeoutMs() };
  const { stage, log } = build(deadline, plan, services({ timeoutMs }));
  return { run: stage.wrap(next), log, next };
}

describe('deadline plan and check', () => {
  it("is always active; the operation's configured timeoutMs wins over the tool's", () => {
    expect(deadline.plan(sources({ config: { timeoutMs: 5000 } }))).toEqual({ timeoutMs: 5000 });
    expect(deadline.plan(sources({ config: { timeoutMs: 5000 }, configured: { timeoutMs: 250 } }))).toEqual({ timeoutMs: 250 });
    expect(deadline.plan(sources({ config: { timeoutMs: 0 } }))).toEqual({ timeoutMs: 0 });
  });

  it('refuses a negative or infinite timeoutMs, naming operations.read.timeoutMs', () => {
    for (const bad of [-1, Infinity]) {
      const error = configErrorOf(() => deadline.check!({ timeoutMs: bad }, PATH));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ option: `${PATH}.timeoutMs`, value: bad });
    }
    expect(() => deadline.check!({ timeoutMs: 0 }, PATH)).not.toThrow();
  });
});

describe('deadline stage', () => {
  it('rejects with TimeoutError(call) at the deadline though next never settles, and aborts the call', async () => {
    const { run, log, next } = bounded(1000);
    const call = makeCall();
    const result = watch(run(call, { q: 1 }));
    expect(next).toHaveBeenCalledWith(call, { q: 1 });

    await jest.advanceTimersByTimeAsync(999);
    expect(result.settled).toBeUndefined();
    expect(call.aborted).toBe(false);

    await jest.advanceTimersByTimeAsync(1);
    const error = rejection(result) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ scope: 'call', timeoutMs: 1000, tool: 'files', operation: 'read' });
    expect(call.aborted).toBe(true);
    expect(call.abortReason).toBe(error);
    expect(call.current!.signal.aborted).toBe(true);
    expect(log.of('timeout')).toEqual([{ ...eventBase(1), scope: 'call', timeoutMs: 1000 }]);
  });

  it("uses the caller's deadlineMs when it comes first", async () => {
    const { run, log } = bounded(1000);
    const result = watch(run(makeCall({ deadlineMs: 300 }), {}));
    await jest.advanceTimersByTimeAsync(300);
    expect(rejection(result)).toMatchObject({ scope: 'call', timeoutMs: 300 });
    expect(log.of('timeout')[0]).toMatchObject({ timeoutMs: 300 });
  });

  it('reads the operation timeout at each call (setOperationTimeout)', async () => {
    let timeoutMs = 1000;
    const { run } = bounded(() => timeoutMs);
    timeoutMs = 50;
    const result = watch(run(makeCall(), {}));
    await jest.advanceTimersByTimeAsync(50);
    expect(rejection(result)).toMatchObject({ timeoutMs: 50 });
  });

  it('sets no deadline when the timeout is 0 and the caller gives none', async () => {
    const gate = deferred();
    const { run, log } = bounded(0, fakeNext(gate.promise));
    const call = makeCall();
    const result = watch(run(call, {}));
    await jest.advanceTimersByTimeAsync(24 * 3600_000);
    expect(result.settled).toBeUndefined();
    gate.resolve('late but fine');
    await jest.advanceTimersByTimeAsync(0);
    expect(result.settled).toEqual({ status: 'fulfilled', value: 'late but fine' });
    expect(call.aborted).toBe(false);
    expect(log.all).toEqual([]);
  });

  it('returns an in-time result and leaves nothing armed', async () => {
    const { run, log } = bounded(1000, fakeNext());
    const call = makeCall();
    await expect(run(call, {})).resolves.toBe('result');
    await jest.advanceTimersByTimeAsync(5000);
    expect(call.aborted).toBe(false);
    expect(log.all).toEqual([]);
  });

  it("rejects with AbortedError when the caller's signal aborts, and aborts the call", async () => {
    const controller = new AbortController();
    const { run } = bounded(1000);
    const call = makeCall({ signal: controller.signal });
    const result = watch(run(call, {}));
    await jest.advanceTimersByTimeAsync(10);

    controller.abort('user pressed stop');
    await jest.advanceTimersByTimeAsync(0);
    const error = rejection(result);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error).toMatchObject({ kind: 'caller', cause: 'user pressed stop' });
    expect(call.abortReason).toBe(error);
  });

  it("reports no timeout once the caller's abort has released the call", async () => {
    const controller = new AbortController();
    const { run, log } = bounded(1000);
    const result = watch(run(makeCall({ signal: controller.signal }), {}));
    controller.abort('user pressed stop');
    await jest.advanceTimersByTimeAsync(0);
    expect(rejection(result)).toBeInstanceOf(AbortedError);

    await jest.advanceTimersByTimeAsync(1000);
    expect(log.of('timeout')).toEqual([]);
  });

  it('rejects with AbortedError when the caller aborts in the turn the call started in, though the work succeeds in it', async () => {
    const controller = new AbortController();
    const { run } = bounded(1000, fakeNext());
    const call = makeCall({ signal: controller.signal });
    const result = run(call, {});
    controller.abort('changed my mind');
    const error = await result.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(AbortedError);
    expect(error).toMatchObject({ cause: 'changed my mind' });
    expect(call.abortReason).toBe(error);
  });

  it('does not call next when the signal is already aborted', async () => {
    const next = fakeNext();
    const { run } = bounded(1000, next);
    const call = makeCall({ signal: AbortSignal.abort('gone') });
    await expect(run(call, {})).rejects.toBeInstanceOf(AbortedError);
    expect(next).not.toHaveBeenCalled();
    expect(call.aborted).toBe(true);
  });
});
