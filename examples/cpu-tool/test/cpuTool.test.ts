import { threadId } from 'node:worker_threads';
import { runCpuTool } from '../src/cpuTool';

// Worker threads load the example's TypeScript themselves (tsx): seconds on a busy machine.
jest.setTimeout(120_000);

describe('cpu-tool example', () => {
  it('runs the searches on worker threads while the main thread keeps answering pings', async () => {
    const lines: string[] = [];
    const report = await runCpuTool((line) => lines.push(line), 20_000);
    expect(report.results).toHaveLength(4);
    for (const result of report.results) {
      expect(result.scanned).toBe(20_000);
      expect(result.threadId).not.toBe(threadId);
      expect(result.hits).toHaveLength(3);
      expect(result.hits[0]!.score).toBeGreaterThanOrEqual(result.hits[2]!.score);
      expect(result.hits[0]!.score).toBeGreaterThan(0);
    }
    // The first query's best hit shares its words.
    expect(report.results[0]!.hits[0]!.text).toMatch(/worker|pool|timeout/);
    // Pings every ~10 ms were answered during the searches, none held up by them for long.
    expect(report.pings).toBeGreaterThanOrEqual(Math.floor(report.searchMs / 100));
    expect(lines.at(-1)).toContain('4 searches took');
  });
});
