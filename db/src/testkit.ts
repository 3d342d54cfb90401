// Test kit shared by every workspace's tests: a database of one's own, migrated, and polling for a
// condition. Real PostgreSQL (DATABASE_URL) only.

import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll } from "vitest";
import { type Database, migrateDatabase, openDatabase } from "./client.js";
import { RESOURCES } from "./schema/enums.js";
import { clusterCapacity, zonePools } from "./schema/index.js";

let shared: Database | undefined;

/** One pool per test file, closed after the file. */
export async function testDatabase(): Promise<Database> {
  if (!shared) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    shared = await openDatabase({ url, poolSize: 30 });
    afterAll(async () => {
      await shared?.close();
      shared = undefined;
    });
  }
  return shared;
}

export interface IsolatedDatabase {
  database: Database;
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of its own, migrated, with the zone pools and capacity the workflow needs: for tests
 * that tamper with the audit log as its owner, and for controllers, which work on every allocation
 * of their database.
 */
export async function isolatedDatabase(prefix = "zy_iso"): Promise<IsolatedDatabase> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error("DATABASE_URL is not set");
  const name = `${prefix}_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ url: url.toString(), poolSize: 20 });
  await migrateDatabase(database);
  await database.db.insert(zonePools).values([
    { zone: "internal", cidr: "10.128.0.0/12" },
    { zone: "external", cidr: "10.64.0.0/12" },
  ]);
  await database.db.insert(clusterCapacity).values(RESOURCES.map((resource) => ({ resource, amount: 1_000_000 })));
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        // FORCE ends this test's leftover sessions; a session of another role (someone inspecting
        // the database as postgres) makes it fail, so give that a moment to go away.
        for (let attempt = 1; ; attempt++) {
          try {
            await c.query(`drop database if exists ${name} with (force)`);
            break;
          } catch (err) {
            if (attempt >= 5) throw err;
            await new Promise((r) => setTimeout(r, 1_000 * attempt));
          }
        }
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Polls `fn` until it returns a value other than undefined (an error counts as "not yet" and is
 * reported if time runs out).
 */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}
