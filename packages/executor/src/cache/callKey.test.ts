import { cacheKeyText, hashCacheKeyText } from './cacheKey';
import { operationKeyFunction, toolKeyPrefix } from './callKey';

describe('operation cache keys', () => {
  const text = (user: string, task: string, input: unknown) => cacheKeyText(['file', 'read', user, task, input]);

  it('are the canonical text of tool, operation, user, task and input, whatever caller came before', () => {
    const keyOf = operationKeyFunction('file', 'read', true);
    const calls: Array<[string, string, unknown]> = [
      ['u1', 't1', { path: 'a' }],
      ['u2', 't1', { path: 'a' }],
      ['u1', 't2', { path: 'a' }],
      ['u1', 't1', { path: 'a' }],
      ['u1', 't1', { path: 'b' }],
    ];
    const keys = calls.map(([user, task, input]) => keyOf(user, task, input));
    expect(keys).toEqual(calls.map(([user, task, input]) => text(user, task, input)));
    expect(new Set(keys).size).toBe(4);
  });

  it('every key of a tool starts with its prefix, raw or hashed; another tool never shares it', () => {
    const raw = operationKeyFunction('file', 'read', true)('u', 't', { path: 'a' })!;
    const hashed = operationKeyFunction('file', 'read', false)('u', 't', { path: 'a' })!;
    const long = operationKeyFunction('file', 'read', true)('u', 't', { path: Array.from({ length: 600 }, (_, i) => `p${i}`) })!;
    for (const key of [raw, hashed, long]) expect(key.startsWith(toolKeyPrefix('file'))).toBe(true);
    expect(hashed.endsWith(hashCacheKeyText(text('u', 't', { path: 'a' })))).toBe(true);
    expect(raw.startsWith(toolKeyPrefix('file-x'))).toBe(false);
    expect(operationKeyFunction('file-x', 'read', true)('u', 't', { path: 'a' })!.startsWith(toolKeyPrefix('file'))).toBe(false);
  });

  it('an input the encoding refuses has no key (the call bypasses the cache)', () => {
    expect(operationKeyFunction('file', 'read', true)('u', 't', { m: new Map() })).toBeUndefined();
  });
});
