import { type Database, migrateDatabase, openDatabase } from "@zhengyun/db/client";
import { usagePoints } from "@zhengyun/db/schema";
import { compact } from "@zhengyun/db/usage/series";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seed } from "./seed.js";

let database: Database;
beforeAll(async () => {
  database = await openDatabase({ dataDir: "memory://" });
  await migrateDatabase(database);
  await seed(database.db, "demo");
}, 240_000);
afterAll(async () => {
  await database?.close();
});

describe("demo usage history", () => {
  it("gives every system holding a grant six weeks of history that retention leaves as it is", async () => {
    const [n] = await database.db.select({ n: count() }).from(usagePoints);
    expect(n!.n).toBeGreaterThan(1000);
    const rows = await database.db.select().from(usagePoints).where(eq(usagePoints.resource, "vcpu"));
    const bySystem = new Map<string, typeof rows>();
    for (const r of rows) bySystem.set(r.systemId, [...(bySystem.get(r.systemId) ?? []), r]);
    for (const list of bySystem.values()) {
      const points = list.map((r) => ({ ...r, bucket: r.bucket.getTime() }));
      expect(compact(points, Date.now()).length).toBe(points.length);
    }
  });
});
