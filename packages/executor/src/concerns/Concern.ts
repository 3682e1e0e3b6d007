import type { Constructor, OperationDeclaration, OperationSite, PolicyDeclarations } from '@aiecs/core';
import type { CacheStore } from '../cache/CacheStore';
import type { SingleFlight } from '../cache/SingleFlight';
import type { OperationConfig, ToolConfig } from '../config/ToolConfig';
import type { EventBus } from '../events/EventBus';
import type { Middleware } from '../pipeline/Handler';
import type { DelayTimers } from '../policies/DelayTimers';
import type { Invoker } from '../runtime/Invoker';

/** Keys of what the decorators record that a concern reads (everything but the name and `@Operation`'s description). */
export type DeclarationKey = Exclude<keyof OperationDeclaration, 'name' | 'operation'>;

/** What a concern's plan is derived from, highest precedence first. */
export interface PlanSources {
  readonly site: OperationSite;
  /** `operations[op]` from configuration. */
  readonly configured: OperationConfig;
  /** The operation's own decorators (and a conventional `<Op>Schema`). */
  readonly declared: Partial<OperationDeclaration>;
  /** Decorators on the tool class. */
  readonly toolWide: PolicyDeclarations;
  /** The tool-wide options. */
  readonly config: ToolConfig;
  readonly toolClass: Constructor;
}

/** What a stage may use: the runtime's shared services and the tool's event bus. */
export interface StageServices {
  readonly site: OperationSite;
  /** The tool instance whose method runs. */
  readonly target: object;
  readonly cache: CacheStore;
  readonly flights: SingleFlight;
  readonly timers: DelayTimers;
  readonly invoker: Invoker;
  readonly events: EventBus;
  /** The operation's overall timeout now (`setOperationTimeout` can change it at run time). */
  readonly timeoutMs: () => number;
}

/** A built stage, and the cockatiel policy behind it when there is one (for `executor.policies(op)` and health). */
export interface Stage {
  readonly wrap: Middleware;
  readonly policy?: object;
}

/**
 * One concern, defined in one place: which declarations and configuration keys it reads, how its
 * configuration is checked (the same check its decorator runs), how its plan (plain data) is derived,
 * and how its stage is built from the plan. `PIPELINE_ORDER` lists the concerns.
 */
export interface Concern<
  Name extends string = string,
  Plan = unknown,
  Reads extends DeclarationKey = DeclarationKey,
  Keys extends keyof OperationConfig = keyof OperationConfig,
> {
  readonly name: Name;
  /** Declarations the plan reads. */
  readonly reads: readonly Reads[];
  /** Keys of an `operations[op]` configuration entry it owns. */
  readonly configKeys: readonly Keys[];
  /** Checks its keys of a configuration entry; `path` (`operations.read`) prefixes the option named in the error. */
  check?(configured: OperationConfig, path: string): void;
  /** The plan, or `undefined` when the operation does not use the concern. */
  plan(sources: PlanSources): Plan | undefined;
  /** Builds the stage (stateful policies are created here: once per tool instance and operation). */
  create(plan: Plan, services: StageServices): Stage;
}

/** Defines a concern, keeping its literal name and keys in the type (so `PIPELINE_ORDER` can be checked). */
export function defineConcern<Name extends string, Plan, Reads extends DeclarationKey = never, Keys extends keyof OperationConfig = never>(
  concern: Concern<Name, Plan, Reads, Keys>,
): Concern<Name, Plan, Reads, Keys> {
  return concern;
}
