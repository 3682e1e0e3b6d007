import { PGlite } from '@electric-sql/pglite';
import { customersToolFor, seedCustomers, snapshot } from './CustomersTool';

/** A short tour: the same payloads with @Sanitize off (bound parameters alone) and on (refused first). */
async function main(): Promise<void> {
  const db = new PGlite();
  try {
    await seedCustomers(db);
    const before = JSON.stringify(await snapshot(db));
    const Customers = customersToolFor(db);
    for (const enableSecurityChecks of [false, true]) {
      await using tool = new Customers({ enableSecurityChecks, logLevel: 'silent' });
      console.log(`\n@Sanitize ${enableSecurityChecks ? 'on' : 'off'}:`);
      for (const name of [
        "Miles O'Brien",
        "x'; DROP TABLE customers; --",
        "' OR '1'='1",
        "' UNION SELECT 1, token, token FROM secrets--",
      ]) {
        const outcome = await tool.run('findByName', { name }).then(
          (rows) => `${rows.length} row(s)`,
          (error: Error) => `${error.name}: ${error.message}`,
        );
        console.log(`  ${JSON.stringify(name)} -> ${outcome}`);
      }
    }
    console.log(`\ndatabase unchanged: ${JSON.stringify(await snapshot(db)) === before}`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
