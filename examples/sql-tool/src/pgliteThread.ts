import { Worker } from 'node:worker_threads';

/** What the tool needs from a database: bound-parameter queries (PGlite itself has this shape). */
export interface SqlDatabase {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

// Runs in the worker, as plain Node CommonJS: PGlite's Node build loads its WebAssembly with dynamic
// `import()`, which Jest's module sandbox refuses (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG); a worker
// thread is outside that sandbox. Same process, same embedded PostgreSQL, no server.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { PGlite } = require('@electric-sql/pglite');
const db = new PGlite();
parentPort.on('message', async ({ id, op, sql, params }) => {
  try {
    const result = op === 'query' ? await db.query(sql, params) : op === 'exec' ? await db.exec(sql) : await db.close();
    parentPort.postMessage({ id, ok: true, rows: result && result.rows ? result.rows : undefined });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, message: String(error && error.message || error) });
  }
});
`;

/** An in-memory PGlite database in a worker thread, behind the `SqlDatabase` interface. */
export function pgliteInThread(): SqlDatabase {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const pending = new Map<number, { resolve: (value: { rows: unknown[] }) => void; reject: (error: Error) => void }>();
  let next = 0;
  worker.on('message', (reply: { id: number; ok: boolean; rows?: unknown[]; message?: string }) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiting?.resolve({ rows: reply.rows ?? [] });
    else waiting?.reject(new Error(reply.message));
  });
  worker.on('error', (error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  });
  const send = (op: string, sql?: string, params?: readonly unknown[]) =>
    new Promise<{ rows: unknown[] }>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, sql, params });
    });
  return {
    query: <T>(sql: string, params: readonly unknown[] = []) => send('query', sql, params) as Promise<{ rows: T[] }>,
    exec: (sql: string) => send('exec', sql),
    close: async () => {
      await send('close').catch(() => undefined);
      await worker.terminate();
    },
  };
}
