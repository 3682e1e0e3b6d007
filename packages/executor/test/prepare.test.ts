import {
  AbortedError,
  CacheResult,
  InputValidationError,
  PIPELINE_CONTEXT,
  Tool,
  ToolExecutionError,
  UnknownOperationError,
} from '@aiecs/core';
import { BaseTool, createApp, MemoryCacheStore, type CacheStore, type CallEndedEvent } from '../src';
import { quiet } from './fixtures';

@Tool({ name: 'lookup' })
class LookupTool extends BaseTool {
  runs = 0;

  @CacheResult()
  async find(input: { id: number }, ctx = PIPELINE_CONTEXT): Promise<{ id: number; user: string }> {
    this.runs++;
    return { id: input.id, user: ctx.userId };
  }

  @CacheResult()
  async hang(_input: object, ctx = PIPELINE_CONTEXT): Promise<never> {
    return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
  }

  async uncached(_input: object): Promise<number> {
    this.runs++;
    return 1;
  }
}

/** A store that counts reads; `synchronous: false` answers them with promises, as a network store does. */
function countingStore(synchronous: boolean): CacheStore & { reads: number } {
  const memory = new MemoryCacheStore({ maxSize: 100 });
  const store = {
    reads: 0,
    answersSynchronously: synchronous,
    get: (key: string) => {
      store.reads++;
      const value = memory.get(key);
      return synchronous ? value : Promise.resolve(value);
    },
    set: (key: string, value: unknown, ttlMs: number) => memory.set(key, value, ttlMs),
    delete: (key: string) => memory.delete(key),
    clear: (prefix?: string) => memory.clear(prefix),
    close: () => memory.close(),
  };
  return store;
}

function appWith(cacheStore?: CacheStore) {
  const ended: CallEndedEvent[] = [];
  const app = createApp({ tools: [LookupTool], ...quiet, cacheStore, listeners: [{ callEnded: (e) => void ended.push(e) }] });
  return { app, ended, tool: app.tool(LookupTool) };
}

describe('PreparedCall: a call prepared at the door', () => {
  it('answers a hit from the in-memory cache without running the method, recorded as a hit', async () => {
    const { app, ended, tool } = appWith();
    await app.run('lookup.find', { id: 1 }, { userId: 'u1' });
    const answer = app.prepare('lookup.find', { id: 1 }, { userId: 'u1', toolCallId: 'call-7' }).fromCache();
    expect(answer).toBeInstanceOf(Promise);
    await expect(answer).resolves.toEqual({ id: 1, user: 'u1' });
    expect(tool.runs).toBe(1);
    expect(ended.map((e) => e.cache)).toEqual(['miss', 'hit']);
    expect(ended[1]).toMatchObject({ outcome: 'success', toolCallId: 'call-7' });
    expect(app.getMetrics().lookup!.cacheHits).toBe(1);
    await app.close();
  });

  it('records nothing when the cache cannot answer, and run() then makes the call once', async () => {
    const { app, ended, tool } = appWith();
    const prepared = app.prepare('lookup.find', { id: 2 }, { userId: 'u1' });
    expect(prepared.fromCache()).toBeUndefined();
    expect(ended).toHaveLength(0);
    expect(app.getMetrics().lookup!.requests).toBe(0);
    await expect(prepared.run()).resolves.toEqual({ id: 2, user: 'u1' });
    expect(tool.runs).toBe(1);
    expect(ended.map((e) => e.cache)).toEqual(['miss']);
    // The entry it stored is the next prepared call's hit, for the same user only.
    expect(app.prepare('lookup.find', { id: 2 }, { userId: 'u2' }).fromCache()).toBeUndefined();
    await expect(app.prepare('lookup.find', { id: 2 }, { userId: 'u1' }).fromCache()).resolves.toEqual({ id: 2, user: 'u1' });
    expect(tool.runs).toBe(1);
    await app.close();
  });

  it('reads a synchronous store once per hit, and never reads a store that answers with promises', async () => {
    const sync = countingStore(true);
    const a = appWith(sync);
    await a.app.run('lookup.find', { id: 3 });
    sync.reads = 0;
    await a.app.prepare('lookup.find', { id: 3 }).fromCache();
    expect(sync.reads).toBe(1);
    await a.app.close();

    const async = countingStore(false);
    const b = appWith(async);
    await b.app.run('lookup.find', { id: 3 });
    await b.app.run('lookup.find', { id: 3 }); // a hit, through the pipeline's own bounded read
    expect(b.tool.runs).toBe(1);
    async.reads = 0;
    const prepared = b.app.prepare('lookup.find', { id: 3 });
    expect(prepared.fromCache()).toBeUndefined();
    expect(async.reads).toBe(0);
    await expect(prepared.run()).resolves.toEqual({ id: 3, user: 'anonymous' });
    expect(b.tool.runs).toBe(1);
    await b.app.close();
  });

  it('is never answered from the cache for an operation without @CacheResult', async () => {
    const { app, tool } = appWith();
    await app.run('lookup.uncached', {});
    expect(app.prepare('lookup.uncached', {}).fromCache()).toBeUndefined();
    await app.prepare('lookup.uncached', {}).run();
    expect(tool.runs).toBe(2);
    await app.close();
  });

  it('runs with the signal given to run(): aborting it aborts the call', async () => {
    const { app } = appWith();
    const controller = new AbortController();
    const prepared = app.prepare('lookup.hang', {}, { userId: 'u1' });
    expect(prepared.fromCache()).toBeUndefined();
    const running = prepared.run({ signal: controller.signal });
    setTimeout(() => controller.abort('stop'), 5);
    await expect(running).rejects.toBeInstanceOf(AbortedError);
    await app.close();
  });

  it('makes at most one call', async () => {
    const { app, tool } = appWith();
    await app.run('lookup.find', { id: 4 });
    const answered = app.prepare('lookup.find', { id: 4 });
    await answered.fromCache();
    expect(answered.fromCache()).toBeUndefined();
    await expect(answered.run()).rejects.toThrow(/already made/);
    const ran = app.prepare('lookup.find', { id: 5 });
    await ran.run();
    await expect(ran.run()).rejects.toBeInstanceOf(ToolExecutionError);
    expect(tool.runs).toBe(2);
    await app.close();
  });

  it('refuses at run() what the door refuses, never answering it from the cache, and never throws', async () => {
    const { app, ended } = appWith();
    const unknown = app.prepare('lookup.missing', {});
    expect(unknown.fromCache()).toBeUndefined();
    await expect(unknown.run()).rejects.toBeInstanceOf(UnknownOperationError);

    const badInput = app.prepare('lookup.find', 'id=1' as never);
    expect(badInput.fromCache()).toBeUndefined();
    await expect(badInput.run()).rejects.toBeInstanceOf(InputValidationError);

    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap exploded');
        },
      },
    );
    const refusedOptions = app.prepare('lookup.find', { id: 1 }, hostile as never);
    expect(refusedOptions.fromCache()).toBeUndefined();
    await expect(refusedOptions.run()).rejects.toBeInstanceOf(InputValidationError);

    const badControl = app.prepare('lookup.find', { id: 6 });
    await expect(badControl.run({ signal: {} as AbortSignal })).rejects.toMatchObject({
      errors: [expect.objectContaining({ path: '(context).signal' })],
    });
    // Each refusal of an operation is reported once, when it was run (an unknown name, as with app.run, is not).
    expect(ended.map((e) => e.errorCode)).toEqual(['INPUT_VALIDATION', 'INPUT_VALIDATION', 'INPUT_VALIDATION']);

    const tool = app.tool(LookupTool);
    await app.close();
    const closed = tool.executor.prepare('find', { id: 1 });
    expect(closed.fromCache()).toBeUndefined();
    await expect(closed.run()).rejects.toThrow(/closed/);
  });
});
