import type { CallOptions } from '@aiecs/core';
import { operationKeyFunction } from '../cache/callKey';
import type { StageServices } from '../concerns/Concern';
import type { OperationPlan } from '../planning/OperationPlan';
import type { Handler } from './Handler';
import { PIPELINE_ORDER, type StageName } from './pipelineOrder';
import { Call, DEFAULT_TASK_ID, DEFAULT_USER_ID, type OperationMethod } from './Call';
import { OpenCall, type PreparedCall, type PreparingOperation } from './PreparedCall';

/** An operation ready to run: its door, its plan, its stages and the policies behind them. */
export interface CompiledOperation {
  readonly plan: OperationPlan;
  /** Active stages, outermost first. */
  readonly stages: readonly StageName[];
  /** The cockatiel policies of stages that have one (retry, circuitBreaker, bulkhead, attemptTimeout). */
  readonly policies: Readonly<Partial<Record<StageName, object>>>;
  /** The one door: makes the call's immutable context (user, task, deadline, key) and runs the stages. */
  enter(method: OperationMethod, input: unknown, options: CallOptions | undefined): Promise<unknown>;
  /** The same door, without entering yet: the call to answer from the cache now or to run later. */
  prepare(method: OperationMethod, input: unknown, options: CallOptions | undefined): PreparedCall;
}

const NO_KEY = (): undefined => undefined;

/**
 * Builds the operation's handler once: the stages its plan uses, in `PIPELINE_ORDER`. Stateful
 * policies (breaker, bulkhead) are created here, so all calls of the operation on this tool share them.
 */
export function composePipeline(plan: OperationPlan, services: StageServices): CompiledOperation {
  const built = PIPELINE_ORDER.flatMap((concern) => {
    const part = plan[concern.name];
    return part === undefined ? [] : [{ name: concern.name, stage: concern.create(part as never, services) }];
  });
  let handler: Handler = () => Promise.reject(new Error('unreachable: invoke is the innermost stage'));
  for (let i = built.length - 1; i >= 0; i--) handler = built[i]!.stage.wrap(handler);
  const policies: Partial<Record<StageName, object>> = {};
  for (const { name, stage } of built) if (stage.policy) policies[name] = stage.policy;

  const { site } = services;
  const keyOf = plan.cacheLookup ? operationKeyFunction(site.tool, site.operation, services.cache.acceptsRawKeys === true) : NO_KEY;
  const run = handler;
  const preparing: PreparingOperation = {
    site,
    handler: run,
    // Only a store whose reads answer at once lets a prepared call be answered before it enters.
    readsAtOnce: plan.cacheLookup !== undefined && services.cache.answersSynchronously === true ? services.cache : undefined,
    events: services.events,
  };
  return {
    plan,
    stages: built.map((b) => b.name),
    policies,
    enter: (method, input, options) => run(Call.open(site, method, input, options, keyOf), input),
    prepare: (method, input, options) => {
      const userId = options?.userId ?? DEFAULT_USER_ID;
      const taskId = options?.taskId ?? DEFAULT_TASK_ID;
      return new OpenCall(preparing, method, input, options, userId, taskId, keyOf(userId, taskId, input));
    },
  };
}
