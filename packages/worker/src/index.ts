export { workerPool } from './workerPool';
export { WorkerInvoker, type WorkerPoolOptions } from './WorkerInvoker';
export { findUncloneable } from './cloneable';
