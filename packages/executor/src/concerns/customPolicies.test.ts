import { ConfigurationError, type PolicyLike } from '@aiecs/core';
import { handleAll, retry as cockatielRetry } from 'cockatiel';
import { customPolicies } from './customPolicies';
import { build, closeServices, configErrorOf, fail, fakeNext, makeCall, ok, PATH, SITE, sources, transient } from './concern.testkit';

afterEach(closeServices);

/** A policy that records when it is entered and left, in `trace`. */
function tracing(name: string, trace: string[]): PolicyLike {
  return {
    async execute(fn) {
      trace.push(`${name}>`);
      try {
        return await fn({ signal: new AbortController().signal });
      } finally {
        trace.push(`<${name}`);
      }
    },
  };
}

describe('customPolicies plan and check', () => {
  const [a, b, c] = [tracing('a', []), tracing('b', []), tracing('c', [])];

  it("takes the operation's @UsePolicy (else the class's), then appends configured ones; undefined when none", () => {
    expect(
      customPolicies.plan(sources({ declared: { policies: [a] }, toolWide: { policies: [b] }, configured: { policies: [c] } })),
    ).toEqual([a, c]);
    expect(customPolicies.plan(sources({ toolWide: { policies: [b] } }))).toEqual([b]);
    expect(customPolicies.plan(sources({ configured: { policies: [c] } }))).toEqual([c]);
    expect(customPolicies.plan(sources({ declared: { policies: [] } }))).toBeUndefined();
    expect(customPolicies.plan(sources())).toBeUndefined();
  });

  it('refuses a non-array or a non-policy entry, naming operations.read.policies[.i]', () => {
    const check = (policies: unknown) => () => customPolicies.check!({ policies: policies as PolicyLike[] }, PATH);
    expect(configErrorOf(check('retry'))).toMatchObject({ option: `${PATH}.policies`, value: 'retry' });
    expect(configErrorOf(check([a, { run: () => 1 }]))).toMatchObject({ option: `${PATH}.policies.1` });
    expect(configErrorOf(check([null]))).toBeInstanceOf(ConfigurationError);
    expect(check([a, () => b])).not.toThrow();
  });
});

describe('customPolicies stage', () => {
  it('runs the policies in the listed order, first outermost, around next with call and input unchanged', async () => {
    const trace: string[] = [];
    const next = fakeNext();
    next.mockImplementation(async () => {
      trace.push('next');
      return 'result';
    });
    const { stage } = build(customPolicies, [tracing('A', trace), tracing('B', trace)]);
    const call = makeCall();

    await expect(stage.wrap(next)(call, { q: 1 })).resolves.toBe('result');
    expect(trace).toEqual(['A>', 'B>', 'next', '<B', '<A']);
    expect(next).toHaveBeenCalledWith(call, { q: 1 });
  });

  it('calls a factory once per stage, with the site, and uses the policy it returns', async () => {
    const trace: string[] = [];
    const factory = jest.fn(() => tracing('made', trace));
    const { stage } = build(customPolicies, [factory]);
    const run = stage.wrap(fakeNext());
    await run(makeCall(), {});
    await run(makeCall(), {});
    expect(factory).toHaveBeenCalledTimes(1);
    expect(factory).toHaveBeenCalledWith(SITE);
    expect(trace).toEqual(['made>', '<made', 'made>', '<made']);
  });

  it('runs a real cockatiel policy around next (a retry calls next again)', async () => {
    const next = fakeNext(fail(transient()), ok('second try'));
    const { stage } = build(customPolicies, [cockatielRetry(handleAll, { maxAttempts: 1 })]);
    await expect(stage.wrap(next)(makeCall(), {})).resolves.toBe('second try');
    expect(next).toHaveBeenCalledTimes(2);
  });
});
