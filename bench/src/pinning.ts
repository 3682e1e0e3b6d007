// Pinning a measuring process to one CPU. On this VM a process that waits for another (a worker thread,
// a redis-server) lets its CPU go idle, and waking it costs 50-70 µs at random: rounds of the same code
// came out 15 or 80 µs. Two parties on one CPU hand over without an idle CPU to wake.
import { execFileSync } from 'node:child_process';

/**
 * Binds every thread of this process, and the threads and processes it starts later, to CPU 0 (Linux
 * `taskset`); false when `taskset` is missing (nothing is pinned then).
 */
export function pinToOneCpu(): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
