import { InputValidationError, isAiecsError, ToolExecutionError } from '@aiecs/core';
import { instrument } from './instrument';
import {
  build,
  closeServices,
  deferred,
  eventBase,
  fail,
  fakeNext,
  makeCall,
  services,
  sources,
  transient,
  useFakeClock,
  useRealClock,
} from './concern.testkit';

beforeEach(useFakeClock);
afterEach(() => {
  closeServices();
  useRealClock();
});

describe('instrument', () => {
  it('is active for every operation, whatever the sources', () => {
    expect(instrument.plan(sources())).toEqual({});
    expect(instrument.plan(sources({ config: { enableCache: false, logExecutionTime: false } }))).toEqual({});
  });

  it('passes call and input to next, returns its value and reports the call as it starts and ends', async () => {
    const { stage, log } = build(instrument, {});
    const gate = deferred();
    const next = fakeNext(gate.promise);
    const call = makeCall();
    const input = { path: 'a.txt' };

    const pending = stage.wrap(next)(call, input);
    expect(next).toHaveBeenCalledWith(call, input);
    expect(log.all).toEqual([{ name: 'callStarted', event: eventBase(0) }]);

    await jest.advanceTimersByTimeAsync(25);
    gate.resolve('result');
    await expect(pending).resolves.toBe('result');
    expect(log.of('callEnded')).toEqual([{ ...eventBase(1), durationMs: 25, outcome: 'success' }]);
  });

  it("wraps a method's own error in ToolExecutionError (cause kept, kind derived) and reports its code and kind", async () => {
    const { stage, log } = build(instrument, {});
    const boom = transient('disk on fire');

    const error = await stage
      .wrap(fakeNext(fail(boom)))(makeCall(), {})
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error).toMatchObject({ message: 'files.read: disk on fire', cause: boom, kind: 'transient', tool: 'files', operation: 'read' });
    expect(log.of('callEnded')[0]).toMatchObject({
      ...eventBase(1),
      outcome: 'failure',
      errorCode: 'TOOL_EXECUTION',
      errorKind: 'transient',
    });
  });

  it('classifies an error that says retryable: false as internal', async () => {
    const { stage, log } = build(instrument, {});
    const error = await stage
      .wrap(fakeNext(fail(Object.assign(new Error('bad'), { retryable: false }))))(makeCall(), {})
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'internal' });
    expect(log.of('callEnded')[0]).toMatchObject({ errorKind: 'internal' });
  });

  it("hands the framework's own errors to the caller unchanged", async () => {
    const { stage, log } = build(instrument, {});
    const invalid = new InputValidationError([{ path: 'path', constraints: { isString: 'path must be a string' } }], 'read');

    await expect(stage.wrap(fakeNext(fail(invalid)))(makeCall(), {})).rejects.toBe(invalid);
    expect(log.of('callEnded')[0]).toMatchObject({ outcome: 'failure', errorCode: 'INPUT_VALIDATION', errorKind: 'caller' });
  });

  it('hands an AiecsError from another copy of @aiecs/core (branded, not instanceof) to the caller unchanged', async () => {
    // What a second copy of the package in node_modules throws: isAiecsError recognises it by its brand.
    class ForeignCopyError extends Error {
      readonly code = 'INPUT_VALIDATION';
      readonly kind = 'caller';
    }
    Object.defineProperty(ForeignCopyError.prototype, Symbol.for('aiecs.error'), { value: true });
    const foreign = new ForeignCopyError('bad input');
    expect(isAiecsError(foreign)).toBe(true);
    const { stage, log } = build(instrument, {});

    await expect(stage.wrap(fakeNext(fail(foreign)))(makeCall(), {})).rejects.toBe(foreign);
    expect(log.of('callEnded')[0]).toMatchObject({ errorCode: 'INPUT_VALIDATION', errorKind: 'caller' });
  });

  it('reports what the cache did for the call (set by cacheLookup) in callEnded', async () => {
    const { stage, log } = build(instrument, {});
    const call = makeCall();
    await stage.wrap(async (c) => {
      c.cacheOutcome = 'hit';
      return 'cached';
    })(call, {});
    expect(log.of('callEnded')[0]).toMatchObject({ outcome: 'success', cache: 'hit' });
  });

  it("runs the whole call, its callStarted and callEnded included, inside a listener's aroundCall scope", async () => {
    const svc = services();
    const inScope: string[] = [];
    let scoped = false;
    svc.events.subscribe({
      aroundCall: (_event, run) => {
        scoped = true;
        void run()
          .finally(() => (scoped = false))
          .catch(() => undefined);
      },
      callStarted: () => void inScope.push(`callStarted in scope: ${scoped}`),
      callEnded: () => void inScope.push(`callEnded in scope: ${scoped}`),
    });
    const { stage } = build(instrument, {}, svc);
    await expect(stage.wrap(fakeNext(Promise.resolve('value')))(makeCall(), {})).resolves.toBe('value');
    expect(inScope).toEqual(['callStarted in scope: true', 'callEnded in scope: true']);
  });
});
