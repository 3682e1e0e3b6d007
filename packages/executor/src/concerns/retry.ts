import { checkRetryOptions, type RetryOptions } from '@aiecs/core';
import { handleWhen, retry as cockatielRetry, type RetryPolicy } from 'cockatiel';
import { eventBase } from '../events/eventBase';
import type { EventBus } from '../events/EventBus';
import type { Call } from '../pipeline/Call';
import type { Handler } from '../pipeline/Handler';
import { createBackoff, DEFAULT_MAX_DELAY_MS } from '../policies/backoff';
import { isRetryable, type ErrorClassifier } from '../policies/isRetryable';
import { defineConcern, type PlanSources } from './Concern';

/** A resolved retry plan (plain data; the cockatiel policy is built from it with the stage). */
export interface RetryPlan {
  /** Total attempts, the first included (cockatiel's `maxAttempts` is `attempts - 1`). */
  readonly attempts: number;
  readonly backoff: NonNullable<RetryOptions['backoff']>;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: boolean;
  /** Narrows what is retried (never widens past errors of kind `transient`). */
  readonly retryOn?: (error: unknown) => boolean;
  /** The tool's `classifyError`: consulted before `errorKind` to decide an error's kind (`undefined` = the table). */
  readonly classifyError?: ErrorClassifier;
}

/**
 * Configuration merges over the operation's `@Retry`, which replaces the class's, over the tool-wide
 * `retryAttempts`/`retryBackoffMs`. An operation declared `destructive` or `idempotent: false` makes one
 * attempt unless its own `@Retry` or its configuration sets `attempts` explicitly.
 */
export function retryPlan({ configured, declared, toolWide, config }: PlanSources): RetryPlan | undefined {
  const merged: RetryOptions = { ...(declared.retry ?? toolWide.retry), ...configured.retry };
  const effects = declared.operation ?? {};
  const repeatsSideEffects = effects.destructive === true || effects.idempotent === false;
  const attempts = repeatsSideEffects
    ? (configured.retry?.attempts ?? declared.retry?.attempts ?? 1)
    : (merged.attempts ?? config.retryAttempts);
  if (attempts <= 1) return undefined;
  return {
    attempts,
    backoff: merged.backoff ?? 'exponential',
    initialDelayMs: merged.initialDelayMs ?? config.retryBackoffMs,
    maxDelayMs: merged.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
    jitter: merged.jitter ?? true,
    retryOn: merged.retryOn,
    classifyError: config.classifyError,
  };
}

/**
 * Whether `plan` retries `error`: its kind (the plan's `classifyError`, else `errorKind`) is `transient`,
 * and `retryOn`, when given, agrees.
 */
export function retryGuard(plan: RetryPlan): (error: unknown) => boolean {
  const { classifyError, retryOn } = plan;
  if (retryOn === undefined) return classifyError === undefined ? isRetryable : (error) => isRetryable(error, classifyError);
  return (error) => isRetryable(error, classifyError) && retryOn(error);
}

/**
 * The operation's cockatiel `RetryPolicy`, built once, with the guards this project needs: `attempts`
 * counts every attempt; only errors of kind `transient` (see {@link retryGuard}) are retried. Its
 * backoff timer is unref'd: cockatiel's wait does not watch abort signals, so it may outlive an aborted
 * call, but it never holds the process and never starts an attempt (see `retryStage`).
 */
export function createRetryPolicy(plan: RetryPlan): RetryPolicy {
  return cockatielRetry(handleWhen(retryGuard(plan)), { maxAttempts: plan.attempts - 1, backoff: createBackoff(plan) }).dangerouslyUnref();
}

/**
 * Runs attempts under `policy`. The first attempt runs outside cockatiel (most calls succeed first
 * time); its failure is replayed into the policy as the policy's own first attempt, so the backoff
 * sequence and cockatiel's events are exactly cockatiel's. No attempt starts once the call is aborted.
 * `shouldRetry` is the policy's guard ({@link retryGuard}); an error it refuses skips the policy.
 */
export function retryStage(
  policy: RetryPolicy,
  events: EventBus,
  shouldRetry: (error: unknown) => boolean = isRetryable,
): (next: Handler) => Handler {
  return (next) => (call: Call, input: unknown) =>
    next(call, input).then(undefined, (firstError: unknown) => {
      if (call.aborted || !shouldRetry(firstError)) throw firstError;
      let lastError = firstError;
      let failedAt = performance.now();
      return policy.execute(({ attempt }) => {
        if (attempt === 0) throw firstError;
        if (call.aborted) throw call.abortReason;
        events.emit('retry', { ...eventBase(call), attempt: call.attempt + 1, delayMs: performance.now() - failedAt, error: lastError });
        return next(call, input).then(undefined, (error: unknown) => {
          lastError = error;
          failedAt = performance.now();
          throw error;
        });
      });
    });
}

/** `@Retry` (or the tool-wide `retryAttempts`), as a cockatiel policy built once per operation. */
export const retry = defineConcern({
  name: 'retry',
  reads: ['retry'],
  configKeys: ['retry'],
  check: (configured, path) => {
    if (configured.retry !== undefined) checkRetryOptions(configured.retry, `${path}.retry`);
  },
  plan: retryPlan,
  create: (plan, { events }) => {
    const policy = createRetryPolicy(plan);
    return { policy, wrap: retryStage(policy, events, retryGuard(plan)) };
  },
});
