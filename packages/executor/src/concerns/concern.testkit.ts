/**
 * Shared builders for the concern tests (`concerns/*.test.ts`): plan sources, real services with a
 * recording event listener, calls, a fake `next`, and the configuration-error comparison. Not a test
 * file (jest's testMatch is `*.test.ts`); excluded from the build by `tsconfig.build.json`.
 */
import { ConfigurationError, type Constructor, type OperationDeclaration, type OperationSite, type PolicyDeclarations } from '@aiecs/core';
import { MemoryCacheStore } from '../cache/MemoryCacheStore';
import { SingleFlight } from '../cache/SingleFlight';
import { DEFAULT_TOOL_CONFIG, type OperationConfig, type ToolConfig } from '../config/ToolConfig';
import { EventBus } from '../events/EventBus';
import { TOOL_EVENT_NAMES, type ToolEventBase, type ToolEventListener, type ToolEventMap, type ToolEventName } from '../events/ToolEvents';
import { Call, type OperationMethod } from '../pipeline/Call';
import { DelayTimers } from '../policies/DelayTimers';
import { inProcessInvoker } from '../runtime/Invoker';
import type { Concern, PlanSources, Stage, StageServices } from './Concern';

/** The operation every concern test runs: tool `files`, operation `read`. */
export const SITE: OperationSite = Object.freeze({ tool: 'files', operation: 'read' });
/** The prefix `check` gets for `operations.read`. */
export const PATH = 'operations.read';
export const USER = 'user-1';
export const TASK = 'task-1';

// ---------------------------------------------------------------------------------------------- plan

export interface SourceParts {
  readonly configured?: OperationConfig;
  readonly declared?: Partial<OperationDeclaration>;
  readonly toolWide?: PolicyDeclarations;
  readonly config?: Partial<ToolConfig>;
  readonly toolClass?: Constructor;
}

/** Plan sources for `files.read`: nothing configured or declared, the default tool options, unless given. */
export function sources(parts: SourceParts = {}): PlanSources {
  return {
    site: SITE,
    configured: parts.configured ?? {},
    declared: parts.declared ?? {},
    toolWide: parts.toolWide ?? {},
    config: { ...DEFAULT_TOOL_CONFIG, ...parts.config },
    toolClass: parts.toolClass ?? class NoSchemas {},
  };
}

/** The ConfigurationError `fn` throws (fails the test if it throws nothing or something else). */
export function configErrorOf(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError; nothing was thrown');
}

/**
 * Asserts that a concern's `check` throws the same ConfigurationError as its decorator (same value,
 * same reason), naming the full configuration path `option` where the decorator names `decoratorOption`.
 */
export function expectSameErrorAsDecorator(check: () => void, decorator: () => unknown, option: string, decoratorOption: string): void {
  const fromCheck = configErrorOf(check);
  const fromDecorator = configErrorOf(decorator);
  expect(fromDecorator.option).toBe(decoratorOption);
  expect(fromCheck.option).toBe(option);
  expect(fromCheck.value).toBe(fromDecorator.value);
  expect(fromCheck.message).toBe(fromDecorator.message.replace(decoratorOption, option));
}

// -------------------------------------------------------------------------------------------- events

export type RecordedEvent = { [E in ToolEventName]: { readonly name: E; readonly event: ToolEventMap[E] } }[ToolEventName];

/** Every event a bus delivered, in order. */
export class EventLog {
  readonly all: RecordedEvent[] = [];

  constructor(bus: EventBus) {
    const listener = Object.fromEntries(
      TOOL_EVENT_NAMES.map((name) => [name, (event: never) => this.all.push({ name, event } as RecordedEvent)]),
    );
    bus.subscribe(listener as ToolEventListener);
  }

  /** Names of the delivered events, in order. */
  names(): ToolEventName[] {
    return this.all.map((e) => e.name);
  }

  /** The delivered events named `name`. */
  of<E extends ToolEventName>(name: E): Array<ToolEventMap[E]> {
    return this.all.filter((e) => e.name === name).map((e) => e.event as ToolEventMap[E]);
  }
}

/** The fields every event of a call made by `makeCall()` carries. */
export function eventBase(attempt = 0, who: { userId?: string; taskId?: string } = {}): ToolEventBase {
  return { tool: SITE.tool, operation: SITE.operation, userId: who.userId ?? USER, taskId: who.taskId ?? TASK, attempt };
}

// ------------------------------------------------------------------------------------------ services

export interface TestServices extends StageServices {
  /** Everything emitted on `events`. */
  readonly log: EventLog;
}

export type ServiceParts = Partial<Omit<StageServices, 'timeoutMs'>> & { readonly timeoutMs?: number | (() => number) };

const opened: Array<{ close(): unknown }> = [];

/** Real services for `files.read` (memory cache of 100, single flight, delay timers, in-process invoker, a recorded bus). */
export function services(parts: ServiceParts = {}): TestServices {
  const timers = parts.timers ?? new DelayTimers();
  const cache = parts.cache ?? new MemoryCacheStore({ maxSize: 100 });
  opened.push(timers, cache);
  const events = parts.events ?? new EventBus();
  const timeoutMs = parts.timeoutMs ?? 0;
  return {
    site: SITE,
    target: parts.target ?? {},
    cache,
    flights: parts.flights ?? new SingleFlight(),
    timers,
    invoker: parts.invoker ?? inProcessInvoker,
    events,
    timeoutMs: typeof timeoutMs === 'function' ? timeoutMs : () => timeoutMs,
    log: new EventLog(events),
  };
}

/** Closes the timers and caches `services()` opened; call it in `afterEach`. */
export function closeServices(): void {
  for (const resource of opened.splice(0)) resource.close();
}

/** Builds `concern`'s stage from `plan` on fresh services (or the given ones). */
export function build<P>(
  concern: Concern<string, P>,
  plan: NoInfer<P>,
  svc: TestServices = services(),
): { stage: Stage; svc: TestServices; log: EventLog } {
  return { stage: concern.create(plan, svc), svc, log: svc.log };
}

/** `concern`'s plan for `parts`; fails the test when the concern is inactive. */
export function planOf<P>(concern: Concern<string, P>, parts: SourceParts = {}): P {
  const plan = concern.plan(sources(parts));
  if (plan === undefined) throw new Error(`${concern.name} planned nothing for ${JSON.stringify(parts)}`);
  return plan;
}

// ---------------------------------------------------------------------------------------------- clock

/** Jest fake timers from epoch 0 (they also drive the global `performance.now()` the stages time with). Undo with `useRealClock`. */
export function useFakeClock(): void {
  jest.useFakeTimers({ now: 0 });
}

/** Back to real timers. */
export function useRealClock(): void {
  jest.useRealTimers();
}

// ---------------------------------------------------------------------------------------------- calls

export interface CallParts {
  readonly method?: OperationMethod;
  readonly userId?: string;
  readonly taskId?: string;
  readonly signal?: AbortSignal;
  readonly deadlineMs?: number;
  readonly key?: string;
}

/** A real call of `files.read` by `user-1` for `task-1` (no signal, deadline or cache key unless given). */
export function makeCall(parts: CallParts = {}): Call {
  return new Call(
    SITE,
    parts.method ?? (async () => 'method result'),
    parts.userId ?? USER,
    parts.taskId ?? TASK,
    parts.signal,
    parts.deadlineMs,
    parts.key,
  );
}

/** A promise whose settlement the test controls. */
export function deferred<T = unknown>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** What one call of a fake `next` answers: a value, a rejection, or a promise the test controls. */
export type Outcome = { readonly value: unknown } | { readonly error: unknown } | Promise<unknown>;
export const ok = (value: unknown): Outcome => ({ value });
export const fail = (error: unknown): Outcome => ({ error });
/** A promise that never settles (a method that ignores its signal). */
export const never = (): Promise<unknown> => new Promise(() => {});

export type FakeNext = jest.Mock<Promise<unknown>, [call: Call, input: unknown]>;

/**
 * A fake inner handler. Like the real innermost stage, each call first starts an attempt
 * (`call.beginAttempt()`); the n-th call answers with the n-th outcome (the last one repeats;
 * default: resolves to `'result'`).
 */
export function fakeNext(...outcomes: Outcome[]): FakeNext {
  let calls = 0;
  return jest.fn((call: Call, _input: unknown): Promise<unknown> => {
    call.beginAttempt();
    const outcome = outcomes.length === 0 ? ok('result') : outcomes[Math.min(calls++, outcomes.length - 1)]!;
    if (outcome instanceof Promise) return outcome;
    return 'error' in outcome ? Promise.reject(outcome.error) : Promise.resolve(outcome.value);
  });
}

/** Records how `promise` settles (`settled` stays undefined while pending), so fake timers can advance without an unhandled rejection. */
export function watch(promise: Promise<unknown>): { settled?: PromiseSettledResult<unknown> } {
  const state: { settled?: PromiseSettledResult<unknown> } = {};
  promise.then(
    (value) => (state.settled = { status: 'fulfilled', value }),
    (reason: unknown) => (state.settled = { status: 'rejected', reason }),
  );
  return state;
}

/** The reason `state` (from `watch`) was rejected with; fails the test if it is pending or fulfilled. */
export function rejection(state: { settled?: PromiseSettledResult<unknown> }): unknown {
  if (state.settled?.status !== 'rejected') throw new Error(`expected a rejection, got ${JSON.stringify(state.settled)}`);
  return state.settled.reason;
}

/** An error `next` may throw; kind `transient` (retryable, replaced by a fallback). */
export const transient = (message = 'flaky backend'): Error => new Error(message);
