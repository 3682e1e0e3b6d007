import { Bulkhead, BulkheadRejectedError } from '@aiecs/core';
import { BulkheadPolicy } from 'cockatiel';
import { bulkhead } from './bulkhead';
import {
  build,
  closeServices,
  deferred,
  eventBase,
  expectSameErrorAsDecorator,
  fail,
  fakeNext,
  makeCall,
  PATH,
  sources,
  transient,
} from './concern.testkit';

afterEach(closeServices);

describe('bulkhead plan and check', () => {
  it('takes configuration over the operation over the class, and is undefined without any', () => {
    const configured = { limit: 1 };
    const declared = { limit: 2 };
    const toolWide = { limit: 3, queue: 4 };
    expect(
      bulkhead.plan(sources({ configured: { bulkhead: configured }, declared: { bulkhead: declared }, toolWide: { bulkhead: toolWide } })),
    ).toBe(configured);
    expect(bulkhead.plan(sources({ declared: { bulkhead: declared }, toolWide: { bulkhead: toolWide } }))).toBe(declared);
    expect(bulkhead.plan(sources({ toolWide: { bulkhead: toolWide } }))).toBe(toolWide);
    expect(bulkhead.plan(sources())).toBeUndefined();
  });

  it('refuses what @Bulkhead refuses, naming operations.read.bulkhead.*', () => {
    const check = (options: { limit: number; queue?: number }) => () => bulkhead.check!({ bulkhead: options }, PATH);
    expectSameErrorAsDecorator(check({ limit: -3 }), () => Bulkhead({ limit: -3 }), `${PATH}.bulkhead.limit`, 'Bulkhead.limit');
    expectSameErrorAsDecorator(
      check({ limit: 2, queue: 1.5 }),
      () => Bulkhead({ limit: 2, queue: 1.5 }),
      `${PATH}.bulkhead.queue`,
      'Bulkhead.queue',
    );
    expect(check({ limit: 2, queue: 0 })).not.toThrow();
  });
});

describe('bulkhead stage', () => {
  it("exposes the cockatiel BulkheadPolicy with the plan's slots", () => {
    const { stage } = build(bulkhead, { limit: 2, queue: 3 });
    expect(stage.policy).toBeInstanceOf(BulkheadPolicy);
    expect(stage.policy).toMatchObject({ executionSlots: 2, queueSlots: 3 });
  });

  it('runs `limit` calls, queues `queue`, and rejects the rest with BulkheadRejectedError without running them', async () => {
    const { stage, log } = build(bulkhead, { limit: 1, queue: 1 });
    const gate = deferred();
    const next = fakeNext(gate.promise, { value: 'queued one ran' });
    const run = stage.wrap(next);

    const running = run(makeCall(), 'first');
    const queued = run(makeCall(), 'second');
    const error = await run(makeCall({ userId: 'user-3' }), 'third').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BulkheadRejectedError);
    expect(error).toMatchObject({ limit: 1, queue: 1, tool: 'files', operation: 'read', kind: 'rejected' });
    expect(log.all).toEqual([{ name: 'bulkheadRejected', event: { ...eventBase(0, { userId: 'user-3' }), limit: 1, queue: 1 } }]);
    expect(next.mock.calls.map(([, input]) => input)).toEqual(['first']);

    gate.resolve('first ran');
    await expect(running).resolves.toBe('first ran');
    await expect(queued).resolves.toBe('queued one ran');
    expect(next.mock.calls.map(([, input]) => input)).toEqual(['first', 'second']);
  });

  it('defaults the queue to 0', async () => {
    const { stage } = build(bulkhead, { limit: 1 });
    const run = stage.wrap(fakeNext(deferred().promise));
    void run(makeCall(), {});
    await expect(run(makeCall(), {})).rejects.toMatchObject({ limit: 1, queue: 0 });
  });

  it("passes next's own errors through untranslated", async () => {
    const boom = transient();
    const { stage, log } = build(bulkhead, { limit: 1 });
    await expect(stage.wrap(fakeNext(fail(boom)))(makeCall(), {})).rejects.toBe(boom);
    expect(log.all).toEqual([]);
  });
});
