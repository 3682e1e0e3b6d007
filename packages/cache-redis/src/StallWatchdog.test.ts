import { StallWatchdog } from './StallWatchdog';

describe('StallWatchdog', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function watch(live = (): boolean => true): { dog: StallWatchdog; stalls: number[] } {
    const stalls: number[] = [];
    const started = Date.now();
    const dog = new StallWatchdog(200, live, () => stalls.push(Date.now() - started));
    return { dog, stalls };
  }

  it('calls onStall once a waiting command has had no answer for the timeout, not before 1x nor after 1.25x', () => {
    const { dog, stalls } = watch();
    jest.advanceTimersByTime(30);
    dog.sent(); // sent 30 ms in: just before the 50 ms look
    jest.advanceTimersByTime(199);
    expect(stalls).toEqual([]);
    jest.advanceTimersByTime(51);
    expect(stalls).toHaveLength(1);
    expect(stalls[0]).toBeGreaterThanOrEqual(230);
    expect(stalls[0]).toBeLessThanOrEqual(30 + 250);
    dog.stop();
  });

  it('counts no stall while answers keep coming, while nothing waits, or while the connection is not live', () => {
    let live = true;
    const { dog, stalls } = watch(() => live);
    for (let i = 0; i < 20; i++) {
      dog.sent();
      jest.advanceTimersByTime(60);
      dog.settled(); // a slow but answering server: each command answered within the timeout
    }
    jest.advanceTimersByTime(1_000); // idle
    live = false;
    dog.sent();
    jest.advanceTimersByTime(1_000); // reconnecting: nothing could be answered
    expect(stalls).toEqual([]);
    live = true;
    jest.advanceTimersByTime(260);
    expect(stalls).toHaveLength(1);
    dog.stop();
  });

  it('starts over after a stall, and stop() ends the looks', () => {
    const { dog, stalls } = watch();
    dog.sent();
    jest.advanceTimersByTime(260);
    expect(stalls).toHaveLength(1);
    jest.advanceTimersByTime(250); // the same command still waits: a second stall a timeout later
    expect(stalls).toHaveLength(2);
    dog.stop();
    jest.advanceTimersByTime(10_000);
    expect(stalls).toHaveLength(2);
  });
});
