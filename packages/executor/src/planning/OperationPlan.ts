import type { StageName, StagePlan } from '../pipeline/pipelineOrder';

/**
 * Everything the executor needs to run one operation: for each concern it uses, that concern's plan
 * (declarations, class policies and configuration merged). Plain data: policies are built from it.
 */
export type OperationPlan = {
  readonly tool: string;
  readonly operation: string;
} & { readonly [S in StageName]?: StagePlan<S> };
