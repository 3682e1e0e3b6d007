import { checkCircuitBreakerOptions, CircuitOpenError, errorKind, type CircuitBreakerOptions } from '@aiecs/core';
import {
  BrokenCircuitError,
  circuitBreaker as cockatielCircuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleAll,
  IsolatedCircuitError,
  SamplingBreaker,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { eventBase } from '../events/eventBase';
import type { CircuitStateName } from '../events/ToolEvents';
import type { Call } from '../pipeline/Call';
import { defineConcern } from './Concern';
import { layeredPolicy } from './layeredPolicy';

const DEFAULT_THRESHOLD = 5;

/**
 * A caller's error (kind `'caller'`: a `SecurityError` from `readConfinedFile`, an input the method itself
 * refuses) says nothing about the backend's health. In a closed circuit it crosses the breaker's policy as a
 * value, so the breaker never counts it (a thrown error counts as a failure). A half-open trial is the
 * exception: a value there would close the circuit on a backend nobody reached, so it stays a failure.
 */
class CallerFault {
  constructor(readonly error: unknown) {}
}

/** cockatiel's state as the events, metrics and health name it. */
export function circuitStateName(state: CircuitState): CircuitStateName {
  switch (state) {
    case CircuitState.Open:
      return 'open';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Isolated:
      return 'isolated';
    default:
      return 'closed';
  }
}

/** When each breaker last opened and how long it stays open (cockatiel keeps both private). */
const openings = new WeakMap<CircuitBreakerPolicy, { openedAt: number; readonly halfOpenAfterMs: number }>();

/**
 * The state health and metrics report: cockatiel moves an open circuit to half-open only when the next
 * call arrives, so an open circuit whose `halfOpenAfterMs` has passed (it would let the next call
 * through as a trial) is reported `half-open` without waiting for traffic.
 */
export function reportedCircuitState(policy: CircuitBreakerPolicy): CircuitStateName {
  const state = policy.state;
  if (state === CircuitState.Open) {
    const opening = openings.get(policy);
    if (opening !== undefined && Date.now() >= opening.openedAt + opening.halfOpenAfterMs) return 'half-open';
  }
  return circuitStateName(state);
}

/**
 * The operation's breaker (one per tool instance and operation). It handles every error: cockatiel
 * counts an error its filter does not handle as a *success* of a half-open trial, which would close
 * the circuit on, say, an error excluded by `retryOn`.
 */
function createBreaker(options: CircuitBreakerOptions): CircuitBreakerPolicy {
  const breaker = options.sampling
    ? new SamplingBreaker({
        threshold: options.sampling.threshold,
        duration: options.sampling.durationMs,
        minimumRps: options.sampling.minimumRps,
      })
    : new ConsecutiveBreaker(options.threshold ?? DEFAULT_THRESHOLD);
  const policy = cockatielCircuitBreaker(handleAll, { halfOpenAfter: options.halfOpenAfterMs, breaker });
  // cockatiel stamps `openedAt` with Date.now() as it emits the change: the same clock, the same instant.
  const opening = { openedAt: 0, halfOpenAfterMs: options.halfOpenAfterMs };
  openings.set(policy, opening);
  policy.onStateChange((state) => {
    if (state === CircuitState.Open) opening.openedAt = Date.now();
  });
  return policy;
}

/** `@CircuitBreaker`: an open circuit fails fast with `CircuitOpenError` and never reaches retry or the method. */
export const circuitBreaker = defineConcern({
  name: 'circuitBreaker',
  reads: ['circuitBreaker'],
  configKeys: ['circuitBreaker'],
  ...layeredPolicy('circuitBreaker', checkCircuitBreakerOptions),
  create: (plan, { site, events }) => {
    const policy = createBreaker(plan);
    let seen = policy.state;
    // State changes are reported by the call that caused them, so the event names its user and task.
    const report = (call: Call): void => {
      const state = policy.state;
      if (state === seen) return;
      const previous = seen;
      seen = state;
      events.emit('circuitStateChanged', { ...eventBase(call), state: circuitStateName(state), previous: circuitStateName(previous) });
    };
    return {
      policy,
      wrap: (next) => (call, input) =>
        policy
          .execute(() =>
            next(call, input).catch((error: unknown) =>
              errorKind(error) === 'caller' && policy.state !== CircuitState.HalfOpen ? new CallerFault(error) : Promise.reject(error),
            ),
          )
          .then(
            (value) => {
              report(call);
              if (value instanceof CallerFault) throw value.error;
              return value;
            },
            (error: unknown) => {
              report(call);
              if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError)
                throw new CircuitOpenError(site, { cause: error });
              throw error;
            },
          ),
    };
  },
});
