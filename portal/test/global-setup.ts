import { migrateDatabase, openDatabase } from "@zhengyun/db/client";
import { clusterCapacity, zonePools } from "@zhengyun/db/schema";
import { RESOURCES } from "@zhengyun/db/schema/enums";
import { sql } from "drizzle-orm";

/**
 * Migrates the test database once per run and makes sure platform rows the tests rely on exist.
 * @public Vitest's `globalSetup` of the db project (named by path in vitest.config.ts).
 */
export async function setup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("portal tests need a real PostgreSQL: set DATABASE_URL (npm test does it via scripts/ensure-postgres.sh)");
  const database = await openDatabase({ url, poolSize: 2 });
  try {
    await migrateDatabase(database);
    await database.db
      .insert(zonePools)
      .values([
        { zone: "internal", cidr: "10.128.0.0/12" },
        { zone: "external", cidr: "10.64.0.0/12" },
      ])
      .onConflictDoNothing();
    // Capacity large enough that tests of department ceilings are not limited by the platform.
    await database.db
      .insert(clusterCapacity)
      .values(RESOURCES.map((resource) => ({ resource, amount: 1_000_000_000 })))
      .onConflictDoUpdate({ target: clusterCapacity.resource, set: { amount: sql`excluded.amount` } });
  } finally {
    await database.close();
  }
}
