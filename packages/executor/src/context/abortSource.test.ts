import type { ToolContext } from '@aiecs/core';
import { makeCall } from '../concerns/concern.testkit';
import { abortSourceOf } from './abortSource';

describe('abortSourceOf', () => {
  it("is the context's own signal for a context the pipeline did not make", () => {
    const signal = new AbortController().signal;
    const context = { userId: 'u', taskId: 't', operation: 'op', attempt: 1, signal } as ToolContext;
    expect(abortSourceOf(context)).toBe(signal);
  });

  it("tells each listener once when the attempt aborts, with the attempt's reason, and never a removed one", () => {
    const attempt = makeCall().beginAttempt();
    const source = abortSourceOf(attempt);
    const told = jest.fn(() => expect(source.aborted).toBe(true));
    const removed = jest.fn();
    source.addEventListener('abort', told, { once: true });
    source.addEventListener('abort', removed, { once: true });
    source.removeEventListener('abort', removed);
    expect(source.aborted).toBe(false);
    expect(source.reason).toBeUndefined();

    const reason = new Error('attempt timed out');
    attempt.abort(reason);
    attempt.abort(new Error('a second abort changes nothing'));
    expect(told).toHaveBeenCalledTimes(1);
    expect(removed).not.toHaveBeenCalled();
    expect(source.reason).toBe(reason);
    // The attempt's own signal, read later, agrees with the source.
    expect(attempt.signal.reason).toBe(reason);
  });

  it("aborts with the call: the call's deadline or caller reaches the running attempt's source", () => {
    const call = makeCall();
    const source = abortSourceOf(call.beginAttempt());
    const told = jest.fn();
    source.addEventListener('abort', told);
    const reason = new Error('deadline');
    call.abort(reason);
    expect(told).toHaveBeenCalledTimes(1);
    expect(source.reason).toBe(reason);
  });

  it('is already aborted for an attempt begun after its call was aborted', () => {
    const call = makeCall();
    const reason = new Error('caller left');
    call.abort(reason);
    const source = abortSourceOf(call.beginAttempt());
    expect(source.aborted).toBe(true);
    expect(source.reason).toBe(reason);
  });
});
