import { SecurityError } from '@aiecs/core';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { customersToolFor, SEED, seedCustomers, snapshot, type CustomersToolClass } from '../src/CustomersTool';
import { pgliteInThread, type SqlDatabase } from '../src/pgliteThread';

// PGlite boots a real PostgreSQL (WebAssembly) in a worker thread of this process: seconds on a busy machine.
jest.setTimeout(120_000);

/** The shared corpus of SQL injections when it is beside the repository, else the vendored copy. */
function corpusLines(): string[] {
  for (const dir of [
    path.resolve(__dirname, '../../../../shared/security-corpus'),
    path.resolve(__dirname, '../../../packages/executor/test/security-corpus'),
  ]) {
    try {
      return readFileSync(path.join(dir, 'sqli-attempts.txt'), 'utf8')
        .split(/\r?\n/)
        .filter((l) => l.length > 0);
    } catch {
      /* next */
    }
  }
  throw new Error('no SQL injection corpus found');
}

/** Classic payloads, and the class the grammar covers beyond the corpus. */
const PAYLOADS = [
  ...corpusLines(),
  "x'; DROP TABLE customers; --",
  "'; DELETE FROM customers; --",
  "' UNION SELECT 1, token, token FROM secrets--",
  "1' ORDER BY 3--",
  "' GROUP BY id HAVING 1=1 --",
  "x' AND (SELECT COUNT(*) FROM secrets)>0 --",
  "' OR pg_sleep(1) IS NULL --",
  "'; UPDATE customers SET email = 'pwned@evil.example'; --",
  'ＵＮＩＯＮ ＳＥＬＥＣＴ null--',
];

let db: SqlDatabase;
let Customers: CustomersToolClass;
let before: unknown;

beforeAll(async () => {
  db = pgliteInThread();
  await seedCustomers(db);
  Customers = customersToolFor(db);
  before = await snapshot(db);
});
afterAll(() => db.close());

describe('the payloads are real', () => {
  it('drops the table when pasted into SQL text (what the tool never does)', async () => {
    const scratch = pgliteInThread();
    try {
      await seedCustomers(scratch);
      await scratch.exec(`SELECT id FROM customers WHERE name = 'x'; DROP TABLE customers; --'`);
      const tables = await scratch.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = 'customers'");
      expect(tables.rows).toEqual([]);
    } finally {
      await scratch.close();
    }
  });
});

describe('@Sanitize off: bound parameters alone keep the database safe (safety by construction)', () => {
  it.each(PAYLOADS)('%s reaches the database as a value: no rows, nothing changed', async (payload) => {
    await using tool = new Customers({ enableSecurityChecks: false, logLevel: 'silent' });
    await expect(tool.run('findByName', { name: payload })).resolves.toEqual([]);
    await expect(tool.run('search', { email: payload })).resolves.toEqual([]);
    expect(tool.queries).toBe(2);
    expect(await snapshot(db)).toEqual(before);
  });
});

describe('@Sanitize on: the same payloads are refused before any query (the safety net)', () => {
  it.each(PAYLOADS)('%s is refused with SecurityError(sqlInjection)', async (payload) => {
    await using tool = new Customers({ logLevel: 'silent' });
    for (const [op, input] of [
      ['findByName', { name: payload }],
      ['search', { email: payload }],
    ] as const) {
      const error = await tool.run(op, input as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecurityError);
      expect(error).toMatchObject({ rule: 'sqlInjection', kind: 'caller' });
    }
    expect(tool.queries).toBe(0);
    expect(tool.executor.getMetrics()).toMatchObject({ failures: 2, retries: 0 });
    expect(await snapshot(db)).toEqual(before);
  });

  it('still answers ordinary queries, apostrophes and SQL words included', async () => {
    await using tool = new Customers({ logLevel: 'silent' });
    await expect(tool.run('findByName', { name: "Miles O'Brien" })).resolves.toEqual([SEED[1]]);
    await expect(tool.run('search', { email: 'example.com', city: 'London' })).resolves.toEqual(SEED);
    await expect(tool.run('search', { email: 'select', city: 'Union; Drop -- Order' })).resolves.toEqual([]);
    await expect(tool.run('search', { email: '100%_' })).resolves.toEqual([]); // % and _ match literally
  });
});
