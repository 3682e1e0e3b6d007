// The pool's task handler, inside each worker thread (piscina loads it by file name): runs one
// operation body of a tool it builds from the tool's module, and answers with plain data.
import { BroadcastChannel, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { findUncloneable } from './cloneable';
import { errorFromWire, errorToWire } from './errorWire';
import { toolInstance } from './loadTool';
import {
  CANCELLED,
  callState,
  contextFields,
  QUEUED,
  RUNNING,
  type AbortMessage,
  type CallTask,
  type PoolWorkerData,
  type ProgressMessage,
  type ToolRef,
  type WarmTask,
  type WorkerReply,
  type WorkerTask,
} from './messages';
import { WorkerContext } from './WorkerContext';

const pool = workerData as PoolWorkerData;
/** The tools this worker knows, by id: those it started with, then those sent whole. */
const tools = new Map<number, ToolRef>(pool.preload.map((ref) => [ref.id, ref]));
/** The calls this worker runs now, by id (one at a time with piscina's default of one task per worker). */
const running = new Map<number, WorkerContext>();
const aborts = new BroadcastChannel(pool.abortChannel);
let abortsSeen = Atomics.load(pool.abortsPosted, 0);

function onAbortMessage(message: AbortMessage): void {
  running.get(message.id)?.abort(errorFromWire(message.reason));
}

aborts.onmessage = (event) => onAbortMessage((event as { data: AbortMessage }).data);
// The channel must not keep an idle worker alive (piscina ends workers itself).
(aborts as unknown as { unref(): void }).unref();

/** Reads pending abort messages now (a body in a synchronous loop never lets the event loop deliver them). */
function pollAborts(): void {
  const posted = Atomics.load(pool.abortsPosted, 0);
  if (posted === abortsSeen) return;
  abortsSeen = posted;
  for (let entry = receiveMessageOnPort(aborts as never); entry !== undefined; entry = receiveMessageOnPort(aborts as never)) {
    onAbortMessage(entry.message as AbortMessage);
  }
}

async function runCall(task: CallTask): Promise<WorkerReply> {
  const [id, toolOrRef, operation, input] = task;
  const ref = typeof toolOrRef === 'number' ? tools.get(toolOrRef) : toolOrRef;
  if (ref === undefined) return { unknownTool: true };
  if (typeof toolOrRef !== 'number') tools.set(ref.id, ref);
  // A cooperative call the main thread cancelled while it was queued: do nothing.
  const state = callState(task);
  if (state !== undefined && Atomics.compareExchange(state, 0, QUEUED, RUNNING) === CANCELLED) return { cancelled: true };
  let reports = 0;
  const context = new WorkerContext(contextFields(task), pollAborts, (progress, total, message) => {
    const report: ProgressMessage = { aiecsProgress: id, progress, total, message };
    parentPort?.postMessage(report);
    reports++;
  });
  running.set(id, context);
  try {
    const tool = (await toolInstance(ref)) as Record<string, unknown>;
    const method = tool[operation];
    if (typeof method !== 'function')
      throw new TypeError(`${ref.className}.${operation} is not a method in the worker's copy of the class`);
    const value: unknown = await method.call(tool, input, context);
    const problem = findUncloneable(value);
    return problem === undefined ? [value, reports] : { uncloneable: problem };
  } catch (error) {
    return { error: errorToWire(error), reports };
  } finally {
    running.delete(id);
  }
}

/** Longest a `warmUp()` task waits for the others to start (a worker that cannot start must not hang it). */
const BARRIER_TIMEOUT_MS = 60_000;

async function warm(tools: WarmTask['tools'], barrier?: WarmTask['barrier']): Promise<WorkerReply> {
  // A tool that fails to build fails its first call with the reason; warming is best effort.
  await Promise.allSettled(tools.map((tool) => toolInstance(tool)));
  if (barrier !== undefined) awaitOthers(barrier);
  return [undefined, 0];
}

/** Blocks this worker until every warm task of the same `warmUp()` has started (each on a worker of its own). */
function awaitOthers({ arrived, parties }: NonNullable<WarmTask['barrier']>): void {
  Atomics.add(arrived, 0, 1);
  Atomics.notify(arrived, 0);
  const until = Date.now() + BARRIER_TIMEOUT_MS;
  for (let now = Atomics.load(arrived, 0); now < parties && Date.now() < until; now = Atomics.load(arrived, 0)) {
    Atomics.wait(arrived, 0, now, until - Date.now());
  }
}

/** piscina's handler: never throws (a rejected task means the worker itself failed). */
function handle(task: WorkerTask): Promise<WorkerReply> {
  return Array.isArray(task) ? runCall(task as CallTask) : warm((task as WarmTask).tools, (task as WarmTask).barrier);
}

// piscina awaits the export before the worker reports ready: the known tools are loaded by then.
export default warm(pool.preload).then(() => handle);
