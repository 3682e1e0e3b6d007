import { AbortedError, CircuitOpenError, ConfigurationError, InputValidationError, SecurityError, TimeoutError } from '@aiecs/core';
import { fallback } from './fallback';
import { build, closeServices, eventBase, fail, fakeNext, makeCall, SITE, sources, transient } from './concern.testkit';

afterEach(closeServices);

describe('fallback plan', () => {
  it("prefers the operation's @Fallback to the class's, and is undefined without either", () => {
    const own = { value: 'own' };
    const classWide = { value: 'class' };
    expect(fallback.plan(sources({ declared: { fallback: own }, toolWide: { fallback: classWide } }))).toBe(own);
    expect(fallback.plan(sources({ toolWide: { fallback: classWide } }))).toBe(classWide);
    expect(fallback.plan(sources())).toBeUndefined();
  });
});

describe('fallback stage', () => {
  it('passes call, input and a success through untouched', async () => {
    const { stage, log } = build(fallback, { value: 'n/a' });
    const next = fakeNext();
    const call = makeCall();
    await expect(stage.wrap(next)(call, 7)).resolves.toBe('result');
    expect(next).toHaveBeenCalledWith(call, 7);
    expect(log.all).toEqual([]);
  });

  it.each([
    ['a plain error (transient)', transient()],
    ['an attempt timeout (transient)', new TimeoutError(100, 'attempt', SITE)],
    ['an open circuit (rejected)', new CircuitOpenError(SITE)],
    ['a misconfiguration (internal)', new ConfigurationError('x', 1, 'bad')],
  ])('answers with the value instead of %s and reports fallbackUsed', async (_what, error) => {
    const { stage, log } = build(fallback, { value: { items: [] } });
    await expect(stage.wrap(fakeNext(fail(error)))(makeCall(), {})).resolves.toEqual({ items: [] });
    expect(log.all).toEqual([{ name: 'fallbackUsed', event: { ...eventBase(1), error } }]);
  });

  it('calls a function value with the error', async () => {
    const boom = transient();
    const value = jest.fn((error: unknown) => `stale (${(error as Error).message})`);
    const { stage } = build(fallback, { value });
    await expect(stage.wrap(fakeNext(fail(boom)))(makeCall(), {})).resolves.toBe('stale (flaky backend)');
    expect(value).toHaveBeenCalledWith(boom);
  });

  it.each([
    ['InputValidationError', new InputValidationError([], 'read')],
    ['SecurityError', new SecurityError('path', 'pathTraversal', 'no')],
    ['AbortedError', new AbortedError()],
  ])("does not replace %s (kind 'caller')", async (_name, error) => {
    const { stage, log } = build(fallback, { value: 'n/a' });
    await expect(stage.wrap(fakeNext(fail(error)))(makeCall(), {})).rejects.toBe(error);
    expect(log.all).toEqual([]);
  });
});
