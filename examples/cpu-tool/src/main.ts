import { runCpuTool } from './cpuTool';

runCpuTool().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
