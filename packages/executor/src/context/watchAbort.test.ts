import { EventEmitter } from 'node:events';
import { watchAbort } from './watchAbort';

/** Lets the event loop turn once (the watches started before it subscribe). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const listeners = (signal: AbortSignal): number => EventEmitter.getEventListeners(signal, 'abort').length;

describe('watchAbort', () => {
  it('adds no listener for a watch ended in the turn it started in, and never calls it back', async () => {
    const controller = new AbortController();
    const callback = jest.fn();
    watchAbort(controller.signal, callback).end();
    await nextTurn();
    expect(listeners(controller.signal)).toBe(0);
    controller.abort();
    expect(callback).not.toHaveBeenCalled();
  });

  it('listens from the next turn: an abort then calls back at once, and only once', async () => {
    const controller = new AbortController();
    const callback = jest.fn();
    watchAbort(controller.signal, callback);
    expect(listeners(controller.signal)).toBe(0);
    await nextTurn();
    expect(listeners(controller.signal)).toBe(1);
    controller.abort();
    expect(callback).toHaveBeenCalledTimes(1);
    expect(listeners(controller.signal)).toBe(0);
  });

  it('calls back at the end of the turn when the signal aborted during it', async () => {
    const controller = new AbortController();
    const callback = jest.fn();
    watchAbort(controller.signal, callback);
    controller.abort();
    expect(callback).not.toHaveBeenCalled();
    await nextTurn();
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('removes its listener when ended after subscribing', async () => {
    const controller = new AbortController();
    const callback = jest.fn();
    const watch = watchAbort(controller.signal, callback);
    await nextTurn();
    watch.end();
    expect(listeners(controller.signal)).toBe(0);
    controller.abort();
    expect(callback).not.toHaveBeenCalled();
  });

  it('subscribes every live watch of a long turn, however many ended in it (ended ones are dropped as it grows)', async () => {
    const controller = new AbortController();
    const live = Array.from({ length: 300 }, () => jest.fn());
    const ended = Array.from({ length: 3000 }, () => jest.fn());
    for (let i = 0; i < ended.length; i++) {
      if (i % 10 === 0) watchAbort(controller.signal, live[i / 10]!);
      watchAbort(controller.signal, ended[i]!).end();
    }
    await nextTurn();
    // Watches on one signal share one listener.
    expect(listeners(controller.signal)).toBe(1);
    controller.abort();
    for (const callback of live) expect(callback).toHaveBeenCalledTimes(1);
    for (const callback of ended) expect(callback).not.toHaveBeenCalled();
  });
});
