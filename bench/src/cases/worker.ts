// The tools and the bare piscina task of the @RunInExecutor rows (see runInExecutor.ts). A worker thread
// loads this module itself: keep it free of side effects.
import { PIPELINE_CONTEXT, RunInExecutor, Tool } from '@aiecs/core';
import { BaseTool } from '@aiecs/executor';

/** A fixed amount of CPU work: `rounds` of an integer hash (no allocation, not optimised away). */
export function burn(rounds: number): number {
  let x = 0;
  for (let i = 0; i < rounds; i++) x = (x * 31 + i) % 1_000_003;
  return x;
}

@Tool({ name: 'bench-cpu' })
export class BenchCpuTool extends BaseTool {
  @RunInExecutor()
  async burn(input: { rounds: number }, _ctx = PIPELINE_CONTEXT): Promise<number> {
    return burn(input.rounds);
  }

  @RunInExecutor()
  async trivial(input: { n: number }, _ctx = PIPELINE_CONTEXT): Promise<number> {
    return input.n;
  }
}

/** piscina's handler for the bare `run()` row: the same trivial body, nothing around it. */
export default function trivialTask(task: { n: number }): number {
  return task.n;
}
