import { measure } from './measure';
import {
  build,
  closeServices,
  deferred,
  eventBase,
  fakeNext,
  makeCall,
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

describe('measure plan', () => {
  it('is active for @MeasureTime or when the tool logs execution time, else undefined', () => {
    expect(measure.plan(sources({ declared: { measure: true } }))).toEqual({});
    expect(measure.plan(sources({ config: { logExecutionTime: true } }))).toEqual({});
    expect(measure.plan(sources({ declared: { measure: false } }))).toBeUndefined();
    expect(measure.plan(sources())).toBeUndefined();
  });
});

describe('measure stage', () => {
  /** Runs one call through the stage; next settles `ms` after it starts, with `settle`. */
  async function timed(ms: number, settle: (gate: ReturnType<typeof deferred>) => void) {
    const { stage, log } = build(measure, {});
    const gate = deferred();
    const next = fakeNext(gate.promise);
    const call = makeCall();
    const result = stage
      .wrap(next)(call, { q: 1 })
      .then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
    await jest.advanceTimersByTimeAsync(ms);
    expect(log.all).toEqual([]);
    settle(gate);
    return { result: await result, log, next, call };
  }

  it('reports a successful attempt with its duration and number, and returns its value', async () => {
    const { result, log, next, call } = await timed(42, (gate) => gate.resolve('done'));
    expect(result).toEqual({ value: 'done' });
    expect(next).toHaveBeenCalledWith(call, { q: 1 });
    expect(log.all).toEqual([{ name: 'attemptMeasured', event: { ...eventBase(1), durationMs: 42, outcome: 'success' } }]);
  });

  it('reports a failed attempt and rethrows its error', async () => {
    const boom = transient();
    const { result, log } = await timed(7, (gate) => gate.reject(boom));
    expect(result).toEqual({ error: boom });
    expect(log.of('attemptMeasured')).toEqual([{ ...eventBase(1), durationMs: 7, outcome: 'failure' }]);
  });
});
