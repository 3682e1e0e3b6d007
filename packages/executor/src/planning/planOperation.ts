import { getToolMetadata, type Constructor, type OperationSite } from '@aiecs/core';
import type { PlanSources } from '../concerns/Concern';
import type { ToolConfig } from '../config/ToolConfig';
import { PIPELINE_ORDER } from '../pipeline/pipelineOrder';
import type { OperationPlan } from './OperationPlan';

/** The sources of `operation`'s plan: configuration, its decorators, the class's decorators, the tool options. */
export function planSources(toolClass: Constructor, site: OperationSite, config: ToolConfig): PlanSources {
  const metadata = getToolMetadata(toolClass);
  return {
    site,
    configured: config.operations[site.operation] ?? {},
    declared: metadata.operations.get(site.operation) ?? {},
    toolWide: metadata.toolPolicies,
    config,
    toolClass,
  };
}

/** Each concern derives its part of the plan; concerns the operation does not use are absent. */
export function planOperation(sources: PlanSources): OperationPlan {
  const plan: Record<string, unknown> = { tool: sources.site.tool, operation: sources.site.operation };
  for (const concern of PIPELINE_ORDER) {
    const part = concern.plan(sources);
    if (part !== undefined) plan[concern.name] = part;
  }
  return plan as OperationPlan;
}
