import { SecurityError } from '@aiecs/core';
import { sanitize } from './sanitize';
import { build, closeServices, fakeNext, makeCall, sources } from './concern.testkit';

afterEach(closeServices);

describe('sanitize plan', () => {
  it('is @Sanitize options, unless security checks are off or nothing is declared', () => {
    const declared = { sanitize: { exclude: ['raw'] } };
    expect(sanitize.plan(sources({ declared }))).toBe(declared.sanitize);
    expect(sanitize.plan(sources({ declared, config: { enableSecurityChecks: false } }))).toBeUndefined();
    expect(sanitize.plan(sources())).toBeUndefined();
  });
});

describe('sanitize stage', () => {
  it('passes a clean input on unchanged, with the same call', async () => {
    const { stage } = build(sanitize, {});
    const next = fakeNext();
    const call = makeCall();
    const input = { path: 'docs/readme.md', tags: ['a', 'b'] };

    await expect(stage.wrap(next)(call, input)).resolves.toBe('result');
    expect(next).toHaveBeenCalledWith(call, input);
  });

  it('rejects a string matching a rule with SecurityError naming field and rule, without calling next', async () => {
    const { stage } = build(sanitize, {});
    const next = fakeNext();

    const error = await stage.wrap(next)(makeCall(), { nested: { path: '../../etc/passwd' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecurityError);
    expect(error).toMatchObject({ field: 'nested.path', rule: 'pathTraversal', kind: 'caller' });
    expect(next).not.toHaveBeenCalled();
  });

  it('honours the plan: excluded fields and deselected rules are not checked', async () => {
    const next = fakeNext();
    await expect(build(sanitize, { exclude: ['path'] }).stage.wrap(next)(makeCall(), { path: '../x' })).resolves.toBe('result');
    await expect(build(sanitize, { rules: ['sqlInjection'] }).stage.wrap(next)(makeCall(), { path: '../x' })).resolves.toBe('result');
    expect(next).toHaveBeenCalledTimes(2);
  });
});
