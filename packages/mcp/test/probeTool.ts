import { Operation, PIPELINE_CONTEXT, Tool } from '@aiecs/core';
import { BaseTool, type ToolEntry } from '@aiecs/executor';
import type { SampleCounters } from '../../tool-definitions/test/sampleApp';

/** A tool that reports the sample app's counters, so a test can see inside a child process. */
export function probeTools(counters: SampleCounters): readonly ToolEntry[] {
  @Tool({ name: 'probe', description: 'Test probe' })
  class ProbeTool extends BaseTool {
    @Operation({ readOnly: true, description: 'The sample counters' })
    async counters(): Promise<{ waitAborts: number; appends: number; sumRuns: Record<string, number> }> {
      return { waitAborts: counters.waitAborts, appends: counters.appends, sumRuns: Object.fromEntries(counters.sumRuns) };
    }

    @Operation({ readOnly: true, description: 'The id the call arrived with (ctx.toolCallId) and its user' })
    async whoami(_input: unknown, ctx = PIPELINE_CONTEXT): Promise<{ toolCallId?: string; userId: string }> {
      return { userId: ctx.userId, ...(ctx.toolCallId === undefined ? {} : { toolCallId: ctx.toolCallId }) };
    }
  }
  return [ProbeTool];
}
