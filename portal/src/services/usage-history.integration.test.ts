import { type Database, migrateDatabase, openDatabase } from "@zhengyun/db/client";
import { completeProvisioning } from "@zhengyun/db/requests/platform";
import { allocationItems, clusterCapacity, usagePoints } from "@zhengyun/db/schema";
import { RESOURCES } from "@zhengyun/db/schema/enums";
import { compactUsage, recordUsageSample } from "@zhengyun/db/usage/history";
import { compact, DAY_MS, HOUR_MS, samplePoint, type UsagePoint } from "@zhengyun/db/usage/series";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrg, requestIn, testDatabase } from "../../test/harness.js";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function liveSystem() {
  const org = await makeOrg(db);
  const { system, request } = await requestIn(org, "provisioning");
  await completeProvisioning(db.db, request.id, { ok: true });
  return { org, system };
}

const pointsOf = async (systemId: string) =>
  (await db.db.select().from(usagePoints).where(eq(usagePoints.systemId, systemId))).map((r): UsagePoint & { resource: string } => ({
    resource: r.resource,
    bucket: r.bucket.getTime(),
    resolution: r.resolution,
    samples: r.samples,
    usedAvg: r.usedAvg,
    usedMax: r.usedMax,
    grantedAvg: r.grantedAvg,
    grantedMax: r.grantedMax,
  }));

describe("usage history", () => {
  it("records one reading per held resource per sync, merging readings of one 5-minute bucket", async () => {
    const { system, org } = await liveSystem();
    await db.db
      .update(allocationItems)
      .set({ used: 1 })
      .where(and(eq(allocationItems.systemId, system.id), eq(allocationItems.resource, "vcpu")));
    const at = new Date("2026-12-01T10:01:00Z");
    expect(await recordUsageSample(db.db, system.id, at)).toBe(3);
    await db.db
      .update(allocationItems)
      .set({ used: 2 })
      .where(and(eq(allocationItems.systemId, system.id), eq(allocationItems.resource, "vcpu")));
    await recordUsageSample(db.db, system.id, new Date("2026-12-01T10:04:00Z"));
    const rows = await db.db.select().from(usagePoints).where(eq(usagePoints.systemId, system.id));
    expect(rows.map((r) => r.resource).sort()).toEqual(["memory_gib", "storage_standard_gib", "vcpu"]);
    const vcpu = rows.find((r) => r.resource === "vcpu")!;
    expect(vcpu).toMatchObject({ departmentId: org.dept.id, resolution: "5m", samples: 2, usedAvg: 1.5, usedMax: 2, grantedAvg: 2, grantedMax: 2 });
    expect(vcpu.bucket.toISOString()).toBe("2026-12-01T10:00:00.000Z");
  });

  it.each(["PostgreSQL", "PGlite"])("the retention job leaves in the database exactly what the pure rule computes (%s)", async (backend) => {
    const outer = db;
    if (backend === "PGlite") {
      db = await openDatabase({ dataDir: "memory://" });
      await migrateDatabase(db);
      await db.db.insert(clusterCapacity).values(RESOURCES.map((resource) => ({ resource, amount: 1_000_000 })));
    }
    try {
      await retention();
    } finally {
      if (backend === "PGlite") {
        await db.close();
        db = outer;
      }
    }
  });

  async function retention() {
    const { system, org } = await liveSystem();
    const now = new Date("2026-12-03T12:34:00Z");
    const readings: UsagePoint[] = [];
    // Every 20 minutes over the last 100 days, and a few readings from three years ago.
    for (let t = now.getTime() - 100 * DAY_MS; t < now.getTime(); t += 20 * 60_000) readings.push(samplePoint(t, (t / HOUR_MS) % 7, 8));
    for (let i = 0; i < 5; i++) readings.push(samplePoint(now.getTime() - 1100 * DAY_MS + i * HOUR_MS, 3, 8));
    const rows = readings.map((p) => ({ ...p, systemId: system.id, departmentId: org.dept.id, resource: "vcpu" as const, bucket: new Date(p.bucket) }));
    for (let i = 0; i < rows.length; i += 1000) await db.db.insert(usagePoints).values(rows.slice(i, i + 1000));
    const result = await compactUsage(db.db, now, 1000);
    expect(result.removed).toBeGreaterThan(0);
    const stored = (await pointsOf(system.id)).map(({ resource: _r, ...p }) => p);
    const expected = compact(readings, now.getTime());
    const key = (p: UsagePoint) => `${p.bucket}/${p.resolution}`;
    expect(stored.map(key).sort()).toEqual(expected.map(key).sort());
    for (const p of expected) {
      const s = stored.find((x) => key(x) === key(p))!;
      expect([s.samples, s.usedMax, s.grantedMax]).toEqual([p.samples, p.usedMax, p.grantedMax]);
      expect(s.usedAvg).toBeCloseTo(p.usedAvg, 9);
    }
    expect(stored.some((p) => p.resolution === "1d")).toBe(true);
    expect(stored.some((p) => p.resolution === "1h")).toBe(true);
    // A second pass finds nothing due.
    expect(await compactUsage(db.db, now)).toEqual({ removed: 0, written: 0 });
  }
});
