import type { retry } from '../concerns/retry';
import { PIPELINE_ORDER, STAGE_NAMES, type UnreadBy } from './pipelineOrder';

type AnyConcern = (typeof PIPELINE_ORDER)[number];

describe('PIPELINE_ORDER', () => {
  it('lists each concern once, instrument outermost and invoke innermost', () => {
    expect(new Set(STAGE_NAMES).size).toBe(PIPELINE_ORDER.length);
    expect(STAGE_NAMES[0]).toBe('instrument');
    expect(STAGE_NAMES[STAGE_NAMES.length - 1]).toBe('invoke');
  });

  it('the type system refuses an order that leaves a declaration or configuration key unread', () => {
    const complete: [UnreadBy<AnyConcern>] extends [never] ? 'complete' : 'incomplete' = 'complete';
    // Without the retry concern, `@Retry` (declaration `retry`) and `operations.<op>.retry` go unread:
    const withoutRetry: UnreadBy<Exclude<AnyConcern, typeof retry>> = 'retry';
    // @ts-expect-error nothing else is left unread, so any other key is a type error
    const notMissing: UnreadBy<Exclude<AnyConcern, typeof retry>> = 'timeout';
    expect([complete, withoutRetry, notMissing]).toEqual(['complete', 'retry', 'timeout']);
  });
});
