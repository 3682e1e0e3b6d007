import { FixedDelayTimer } from './FixedDelayTimer';

describe('FixedDelayTimer', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('fires each callback delayMs after it was scheduled, with one Node timer', () => {
    const timer = new FixedDelayTimer(100);
    const fired: Array<[string, number]> = [];
    timer.schedule(() => fired.push(['a', Date.now()]));
    jest.advanceTimersByTime(30);
    timer.schedule(() => fired.push(['b', Date.now()]));
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(200);
    expect(fired).toEqual([
      ['a', 100],
      ['b', 130],
    ]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a cancelled callback never runs; the next one still fires on time', () => {
    const timer = new FixedDelayTimer(100);
    const fired: number[] = [];
    const first = timer.schedule(() => fired.push(1));
    jest.advanceTimersByTime(50);
    timer.schedule(() => fired.push(Date.now()));
    timer.cancel(first);
    timer.cancel(first); // idempotent
    jest.advanceTimersByTime(200);
    expect(fired).toEqual([150]);
  });

  it('does not keep the process alive while nothing is pending', () => {
    jest.useRealTimers();
    const timer = new FixedDelayTimer(60_000);
    const entry = timer.schedule(() => undefined);
    const handle = (timer as unknown as { timer: NodeJS.Timeout }).timer;
    expect(handle.hasRef()).toBe(true);
    timer.cancel(entry);
    expect(handle.hasRef()).toBe(false);
    timer.schedule(() => undefined);
    expect(handle.hasRef()).toBe(true);
    timer.close();
  });

  it('close() drops pending callbacks and the timer', () => {
    const timer = new FixedDelayTimer(10);
    const fired: number[] = [];
    const entry = timer.schedule(() => fired.push(1));
    timer.close();
    timer.cancel(entry);
    jest.advanceTimersByTime(100);
    expect(fired).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });
});
