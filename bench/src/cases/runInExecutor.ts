// @RunInExecutor, CPU-bound off-thread vs in-process: reported, not measured, until the executor implements it.
import { CpuTool } from '../fixtures';

export interface RunInExecutorStatus {
  readonly implemented: boolean;
  /** Whether the executor's plan records the declaration. */
  readonly recorded: boolean;
  readonly stages: readonly string[];
  readonly note: string;
}

/** Stage names that would mean the operation leaves the calling thread. */
const OFF_THREAD_STAGE = /worker|executor|thread|pool/i;

export async function runInExecutorStatus(): Promise<RunInExecutorStatus> {
  const tool = new CpuTool({ logLevel: 'error' });
  const { plan, stages } = tool.executor.describe('spin');
  await tool.close();
  const implemented = stages.some((stage) => OFF_THREAD_STAGE.test(stage));
  return {
    implemented,
    recorded: plan.invoke?.runInExecutor !== undefined,
    stages,
    note: implemented
      ? 'an off-thread stage exists: add a CPU-bound case (worker vs in-process) to this bench'
      : 'not implemented yet (runs in-process); no numbers measured',
  };
}
