import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ConfigurationError } from '@aiecs/core';
import { MemoryCacheStore } from './MemoryCacheStore';

/** The private sweep timer, read only to prove it is unref'd and released. */
function sweepTimerOf(store: MemoryCacheStore): NodeJS.Timeout | undefined {
  return (store as unknown as { sweepTimer?: NodeJS.Timeout }).sweepTimer;
}

describe('MemoryCacheStore', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('returns stored values and undefined on a miss', () => {
    const store = new MemoryCacheStore({ maxSize: 10 });
    store.set('a', { n: 1 }, 0);
    expect(store.get('a')).toEqual({ n: 1 });
    expect(store.get('b')).toBeUndefined();
    expect(store.has('a')).toBe(true);
    expect(store.has('b')).toBe(false);
    expect(store.size).toBe(1);
  });

  it('keeps falsy values other than undefined', () => {
    const store = new MemoryCacheStore({ maxSize: 10 });
    store.set('zero', 0, 0);
    store.set('null', null, 0);
    store.set('empty', '', 0);
    expect(store.get('zero')).toBe(0);
    expect(store.get('null')).toBeNull();
    expect(store.get('empty')).toBe('');
  });

  it('does not cache undefined: storing it removes the key', () => {
    const store = new MemoryCacheStore({ maxSize: 10 });
    store.set('a', 1, 0);
    store.set('a', undefined, 0);
    expect(store.has('a')).toBe(false);
    expect(store.size).toBe(0);
  });

  it('expires an entry once its ttl has elapsed', () => {
    const store = new MemoryCacheStore({ maxSize: 10 });
    store.set('a', 'v', 1000);
    jest.advanceTimersByTime(999);
    expect(store.get('a')).toBe('v');
    jest.advanceTimersByTime(1);
    expect(store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('uses defaultTtlMs when set() gets no ttl', () => {
    const store = new MemoryCacheStore({ maxSize: 10, defaultTtlMs: 500 });
    (store.set as (key: string, value: unknown) => void)('a', 'v');
    jest.advanceTimersByTime(500);
    expect(store.has('a')).toBe(false);
  });

  it('never expires an entry stored with ttl 0', () => {
    const store = new MemoryCacheStore({ maxSize: 10, defaultTtlMs: 500 });
    store.set('a', 'v', 0);
    jest.advanceTimersByTime(365 * 24 * 3600 * 1000);
    expect(store.get('a')).toBe('v');
  });

  it('evicts the least recently used entry, get() refreshing recency', () => {
    const store = new MemoryCacheStore({ maxSize: 3 });
    store.set('a', 1, 0);
    store.set('b', 2, 0);
    store.set('c', 3, 0);
    expect(store.get('a')).toBe(1); // a is now the most recent; b is the LRU
    store.set('d', 4, 0);
    expect(store.has('b')).toBe(false);
    expect([store.get('a'), store.get('c'), store.get('d')]).toEqual([1, 3, 4]);
    expect(store.size).toBe(3);
  });

  it('has() does not refresh recency', () => {
    const store = new MemoryCacheStore({ maxSize: 2 });
    store.set('a', 1, 0);
    store.set('b', 2, 0);
    expect(store.has('a')).toBe(true);
    store.set('c', 3, 0);
    expect(store.has('a')).toBe(false);
    expect(store.has('b')).toBe(true);
  });

  it('overwriting a key replaces its value and ttl without growing', () => {
    const store = new MemoryCacheStore({ maxSize: 2 });
    store.set('a', 1, 100);
    store.set('a', 2, 0);
    jest.advanceTimersByTime(1000);
    expect(store.get('a')).toBe(2);
    expect(store.size).toBe(1);
  });

  it('deletes single keys and clears everything', () => {
    const store = new MemoryCacheStore({ maxSize: 10 });
    store.set('a', 1, 0);
    store.set('b', 2, 1000);
    store.delete('a');
    store.delete('missing');
    expect(store.has('a')).toBe(false);
    expect(store.get('b')).toBe(2);
    store.clear();
    expect(store.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stores nothing and never throws when maxSize is 0', () => {
    const store = new MemoryCacheStore({ maxSize: 0 });
    expect(() => {
      store.set('a', 1, 0);
      store.set('b', 2, 1000);
      store.delete('a');
      store.clear();
    }).not.toThrow();
    expect(store.get('a')).toBeUndefined();
    expect(store.has('b')).toBe(false);
    expect(store.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    store.close();
  });

  it('does not read the clock on a hit of a non-expiring entry', () => {
    const now = jest.fn(() => 1_000);
    const store = new MemoryCacheStore({ maxSize: 10, now });
    store.set('a', 'v', 0);
    expect(store.get('a')).toBe('v');
    expect(store.has('a')).toBe(true);
    expect(now).not.toHaveBeenCalled();
    store.set('b', 'v', 10);
    expect(store.get('b')).toBe('v');
    expect(now).toHaveBeenCalledTimes(2);
    store.close();
  });

  it('uses the injected clock for expiry', () => {
    let t = 0;
    const store = new MemoryCacheStore({ maxSize: 10, now: () => t, sweepIntervalMs: 0 });
    store.set('a', 'v', 100);
    t = 99;
    expect(store.get('a')).toBe('v');
    t = 100;
    expect(store.get('a')).toBeUndefined();
  });

  describe('sweep', () => {
    it('starts lazily: no timer until an entry with a ttl is stored', () => {
      const store = new MemoryCacheStore({ maxSize: 10, sweepIntervalMs: 1000 });
      expect(jest.getTimerCount()).toBe(0);
      store.set('a', 1, 0);
      expect(jest.getTimerCount()).toBe(0);
      store.set('b', 2, 5000);
      expect(jest.getTimerCount()).toBe(1);
      store.set('c', 3, 5000);
      expect(jest.getTimerCount()).toBe(1);
      store.close();
    });

    it('removes expired entries without any get()', () => {
      const store = new MemoryCacheStore({ maxSize: 10, sweepIntervalMs: 1000 });
      store.set('short', 1, 1500);
      store.set('long', 2, 10_000);
      store.set('forever', 3, 0);
      expect(store.size).toBe(3);
      jest.advanceTimersByTime(1000);
      expect(store.size).toBe(3);
      jest.advanceTimersByTime(1000); // sweep at t=2000 sees `short` expired
      expect(store.size).toBe(2);
      jest.advanceTimersByTime(8000);
      expect(store.size).toBe(1);
      expect(store.get('forever')).toBe(3);
      store.close();
    });

    it('stops its timer once nothing can expire, and re-arms on the next expiring set', () => {
      const store = new MemoryCacheStore({ maxSize: 10, sweepIntervalMs: 1000 });
      store.set('a', 1, 500);
      jest.advanceTimersByTime(1000);
      expect(store.size).toBe(0);
      expect(jest.getTimerCount()).toBe(0);
      store.set('b', 2, 500);
      expect(jest.getTimerCount()).toBe(1);
      store.close();
    });

    it('stops when expiring entries are overwritten, deleted or evicted', () => {
      const store = new MemoryCacheStore({ maxSize: 1, sweepIntervalMs: 1000 });
      store.set('a', 1, 500);
      store.set('b', 2, 0); // evicts the expiring `a`
      store.set('c', 3, 500); // evicts `b`
      store.set('c', 4, 0); // overwrite drops the expiry
      jest.advanceTimersByTime(1000);
      expect(jest.getTimerCount()).toBe(0);
      store.set('d', 5, 500);
      store.delete('d');
      jest.advanceTimersByTime(1000);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('can be disabled with sweepIntervalMs 0 (lazy expiry only)', () => {
      const store = new MemoryCacheStore({ maxSize: 10, sweepIntervalMs: 0 });
      store.set('a', 1, 100);
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(200);
      expect(store.size).toBe(1);
      expect(store.get('a')).toBeUndefined();
      expect(store.size).toBe(0);
    });

    it('sweep() can be called directly and reports how many entries it removed', () => {
      const store = new MemoryCacheStore({ maxSize: 10, sweepIntervalMs: 0 });
      store.set('a', 1, 100);
      store.set('b', 2, 100);
      store.set('c', 3, 0);
      jest.advanceTimersByTime(100);
      expect(store.sweep()).toBe(2);
      expect(store.sweep()).toBe(0);
    });
  });

  describe('close', () => {
    it('clears the sweep timer and the entries, and is idempotent', () => {
      const store = new MemoryCacheStore({ maxSize: 10, sweepIntervalMs: 1000 });
      store.set('a', 1, 5000);
      expect(jest.getTimerCount()).toBe(1);
      store.close();
      expect(jest.getTimerCount()).toBe(0);
      expect(sweepTimerOf(store)).toBeUndefined();
      expect(store.size).toBe(0);
      expect(() => store.close()).not.toThrow();
    });
  });

  describe('option validation', () => {
    it.each<[string, Record<string, unknown>, string]>([
      ['negative maxSize', { maxSize: -1 }, 'MemoryCacheStore.maxSize'],
      ['fractional maxSize', { maxSize: 1.5 }, 'MemoryCacheStore.maxSize'],
      ['missing maxSize', {}, 'MemoryCacheStore.maxSize'],
      ['NaN maxSize', { maxSize: Number.NaN }, 'MemoryCacheStore.maxSize'],
      ['negative defaultTtlMs', { maxSize: 1, defaultTtlMs: -5 }, 'MemoryCacheStore.defaultTtlMs'],
      ['infinite defaultTtlMs', { maxSize: 1, defaultTtlMs: Number.POSITIVE_INFINITY }, 'MemoryCacheStore.defaultTtlMs'],
      ['string sweepIntervalMs', { maxSize: 1, sweepIntervalMs: '10' }, 'MemoryCacheStore.sweepIntervalMs'],
      ['sweepIntervalMs beyond timer range', { maxSize: 1, sweepIntervalMs: 2 ** 31 }, 'MemoryCacheStore.sweepIntervalMs'],
    ])('rejects %s with a ConfigurationError naming the option', (_label, options, option) => {
      let caught: unknown;
      try {
        new MemoryCacheStore(options as never);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigurationError);
      expect((caught as ConfigurationError).option).toBe(option);
      expect((caught as Error).message).toContain(option);
    });

    it('rejects a clock that is not a function', () => {
      expect(() => new MemoryCacheStore({ maxSize: 1, now: 5 as never })).toThrow(/MemoryCacheStore\.now/);
    });

    it('rejects an invalid ttl passed to set()', () => {
      const store = new MemoryCacheStore({ maxSize: 1 });
      expect(() => store.set('a', 1, -1)).toThrow(ConfigurationError);
      expect(() => store.set('a', 1, Number.NaN)).toThrow(/ttlMs/);
      expect(store.size).toBe(0);
    });
  });
});

describe('MemoryCacheStore sweep timer does not keep the process alive', () => {
  it('marks the timer unref()ed', () => {
    const store = new MemoryCacheStore({ maxSize: 10, sweepIntervalMs: 1000 });
    store.set('a', 1, 60_000);
    const timer = sweepTimerOf(store);
    expect(timer).toBeDefined();
    expect(timer!.hasRef()).toBe(false);
    store.close();
  });

  it('lets a child process holding an expiring entry exit by itself', () => {
    const repoRoot = path.resolve(__dirname, '../../../..');
    // Maps `@aiecs/<pkg>` to its sources (no build needed) and compiles TypeScript on the fly.
    const script = `
      const Module = require('node:module');
      const path = require('node:path');
      const root = ${JSON.stringify(repoRoot)};
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        const m = /^@aiecs\\/([^/]+)$/.exec(request);
        return resolve.call(this, m ? path.join(root, 'packages', m[1], 'src', 'index.ts') : request, ...rest);
      };
      require(path.join(root, 'node_modules', 'ts-node')).register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
      const { MemoryCacheStore } = require(${JSON.stringify(path.join(__dirname, 'MemoryCacheStore.ts'))});
      const store = new MemoryCacheStore({ maxSize: 10, sweepIntervalMs: 100 });
      store.set('k', 'v', 3_600_000);
      process.stdout.write(store.sweepTimer === undefined ? 'no-timer' : 'timer-armed');
    `;
    const started = Date.now();
    // Generous bounds: on a loaded 2-core machine compiling the sources alone can take several seconds.
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(child.error).toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('timer-armed');
    expect(child.signal).toBeNull(); // not killed by the timeout
    expect(child.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);
});
