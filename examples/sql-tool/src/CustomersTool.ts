import { ConfigurationError, Operation, Sanitize, Tool, ValidateInput } from '@aiecs/core';
import { BaseTool, type ToolBinding, type ToolConfigInput } from '@aiecs/executor';
import { IsOptional, IsString, MaxLength, MinLength } from '@aiecs/validation';
import type { SqlDatabase } from './pgliteThread';

/** One row of the `customers` table. */
export interface Customer {
  readonly id: number;
  readonly name: string;
  readonly email: string;
}

/** Input of `findByName`: the exact name to look up. */
export class FindInput {
  @IsString() @MinLength(1) @MaxLength(200) name!: string;
}

/** Input of `search`: a fragment of the email address, and an optional city. */
export class SearchInput {
  @IsString() @MinLength(1) @MaxLength(200) email!: string;
  @IsOptional() @IsString() @MaxLength(100) city?: string;
}

/** The schema and rows `seedCustomers` creates. */
export const SEED: readonly Customer[] = Object.freeze([
  { id: 1, name: 'Ada Lovelace', email: 'ada@example.com' },
  { id: 2, name: "Miles O'Brien", email: 'miles@example.com' },
  { id: 3, name: 'Grace Hopper', email: 'grace@example.com' },
]);

/** Creates and fills the `customers` table (and a `secrets` table an injection would go after). */
export async function seedCustomers(db: SqlDatabase): Promise<void> {
  await db.exec(`
    CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, email text NOT NULL, city text);
    CREATE TABLE secrets (id integer PRIMARY KEY, token text NOT NULL);
    INSERT INTO secrets VALUES (1, 'root-token');
  `);
  for (const c of SEED)
    await db.query('INSERT INTO customers (id, name, email, city) VALUES ($1, $2, $3, $4)', [c.id, c.name, c.email, 'London']);
}

/** Every row of every table, in order: what "the database is unchanged" compares. */
export async function snapshot(db: SqlDatabase): Promise<unknown> {
  const tables = await db.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
  const rows: Record<string, unknown[]> = {};
  for (const { tablename } of tables.rows)
    rows[tablename] = (await db.query(`SELECT * FROM "${tablename.replace(/"/g, '""')}" ORDER BY 1`)).rows;
  return rows;
}

/**
 * Queries over the `customers` table. Every value reaches PostgreSQL as a **bound parameter** (`$1`), never as
 * SQL text: that is the defence, and it holds with `@Sanitize` switched off (`enableSecurityChecks: false`).
 * `@Sanitize()` is the safety net in front of it: it refuses inputs shaped like injections before the query
 * runs, so they show up as `SecurityError`s (in logs and metrics) instead of as odd empty results.
 */
export abstract class CustomersToolBase extends BaseTool {
  /** The database the tool queries; its creator closes it. */
  abstract readonly db: SqlDatabase;
  /** Queries sent to the database (the test shows refused calls never reach it). */
  queries = 0;

  @Operation({ readOnly: true, description: 'Finds customers by exact name' })
  @ValidateInput(FindInput)
  @Sanitize()
  async findByName(input: FindInput): Promise<Customer[]> {
    this.queries++;
    const result = await this.db.query<Customer>('SELECT id, name, email FROM customers WHERE name = $1 ORDER BY id', [input.name]);
    return result.rows;
  }

  @Operation({ readOnly: true, description: 'Finds customers whose email contains a fragment, optionally in one city' })
  @ValidateInput(SearchInput)
  @Sanitize()
  async search(input: SearchInput): Promise<Customer[]> {
    this.queries++;
    // LIKE with a bound pattern: the fragment's own % and _ are escaped, so they match literally.
    const pattern = `%${input.email.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const result = await this.db.query<Customer>(
      'SELECT id, name, email FROM customers WHERE email LIKE $1 AND ($2::text IS NULL OR city = $2) ORDER BY id',
      [pattern, input.city ?? null],
    );
    return result.rows;
  }
}

/** A tool class over a concrete class for `customersToolFor(db)`. */
export type CustomersToolClass = new (config?: ToolConfigInput & ToolBinding) => CustomersToolBase;

/** A tool class (named `customers`) over `db`; register it like any class (`createApp({ tools: [customersToolFor(db)] })`). */
export function customersToolFor(db: SqlDatabase): CustomersToolClass {
  if (db === null || typeof db !== 'object' || typeof (db as SqlDatabase).query !== 'function')
    throw new ConfigurationError('customersToolFor.db', db, 'expected a SQL database (PGlite, or `pgliteInThread()`)');
  @Tool({ name: 'customers', description: 'Looks customers up in an embedded PostgreSQL database' })
  class CustomersTool extends CustomersToolBase {
    readonly db = db;
  }
  return CustomersTool;
}
