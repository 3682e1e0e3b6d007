export { workerPool } from './workerPool';
export { WorkerInvoker } from './WorkerInvoker';
export { DEFAULT_POOL, type PoolOptions, type WorkerPoolOptions, type WorkerResourceLimits } from './poolOptions';
export { findUncloneable } from './cloneable';
