// A process of its own for one case (`case <name>`: serves measuring rounds to the parent over IPC)
// or for the 10k-concurrency check (`concurrency`), the memory job (`memory`) or a pinned worker round trip
// (`round-trip ours|bare`): sends the result and
// exits. Started by harness.ts.
import { concurrentMisses } from './cases/concurrency';
import { measureMemory } from './cases/memory';
import { findCase } from './cases/index';
import { serveCase } from './harness';

async function main(): Promise<void> {
  const [job, name] = process.argv.slice(2);
  if (!process.send) throw new Error('runCase.ts is started by the bench (npm run bench), with an IPC channel');
  if (job === 'concurrency') {
    process.send(await concurrentMisses(), () => process.disconnect());
  } else if (job === 'memory') {
    process.send(await measureMemory(), () => process.disconnect());
  } else if (job === 'round-trip' && name !== undefined) {
    // Loaded here only: it starts worker threads.
    const { pinnedRoundTripJob } = await import('./cases/runInExecutor');
    process.send(await pinnedRoundTripJob(name), () => process.disconnect());
  } else if (job === 'case' && name !== undefined && findCase(name)) {
    await serveCase(findCase(name)!);
  } else {
    throw new Error(`usage: runCase.ts case <name> | concurrency | memory | round-trip ours|bare (got ${job} ${name})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
