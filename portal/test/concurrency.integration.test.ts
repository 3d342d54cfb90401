import type { TRPCError } from "@trpc/server";
import type { Database } from "@zhengyun/db/client";
import { networkSegments, resourceRequests } from "@zhengyun/db/schema";
import { and, eq, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { makeOrg, requestIn, testDatabase } from "./harness.js";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});

describe("concurrent approvals", () => {
  it("50 ops approvals racing for a department's last headroom never over-allocate its ceiling", async () => {
    // Ceiling: 10 vCPU. 50 requests of 1 vCPU each wait for ops; only 10 can fit.
    const org = await makeOrg(db, { ceiling: { vcpu: 10, memory_gib: 1000, storage_standard_gib: 100_000, segments: 100 } });
    const pending = [];
    for (let i = 0; i < 50; i++) pending.push((await requestIn(org, "dept_approved", { level: 2, vcpu: 1 })).request);

    const results = await Promise.allSettled(pending.map((r, i) => org.as(i % 2 ? "ops" : "ops2").requests.approve({ id: r.id })));
    const approved = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");

    expect(approved).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const r of refused) {
      const err = r.reason as TRPCError;
      expect((err.cause as { code?: string }).code).toBe("CEILING_EXCEEDED");
      expect(err.message).toMatch(/department ceiling exceeded: vcpu 11 > 10/);
    }
    const overview = await org.as("deptAdmin").departments.overview({ id: org.dept.id });
    expect(overview.held.vcpu).toBe(10);
    // Refused requests stay where they were, ready for a later decision.
    const [{ n }] = (await db.db
      .select({ n: sql<number>`count(*)::int` })
      .from(resourceRequests)
      .where(and(eq(resourceRequests.departmentId, org.dept.id), eq(resourceRequests.state, "dept_approved")))) as [{ n: number }];
    expect(n).toBe(40);
  });

  it("segments allocated by concurrent approvals never overlap", async () => {
    const org = await makeOrg(db);
    const pending = [];
    for (let i = 0; i < 20; i++) pending.push((await requestIn(org, "dept_approved", { level: 1, segmentPrefix: 24 + (i % 5), zone: "internal" })).request);
    await Promise.all(pending.map((r, i) => org.as(i % 2 ? "ops" : "ops2").requests.approve({ id: r.id })));
    const segs = await db.db
      .select({ cidr: networkSegments.cidr })
      .from(networkSegments)
      .where(and(eq(networkSegments.zone, "internal"), isNull(networkSegments.releasedAt)));
    // Ask PostgreSQL itself whether any two live internal segments overlap.
    const result = (await db.db.execute(sql`
      select count(*)::int as overlaps from network_segments a join network_segments b
        on a.id < b.id and a.zone = b.zone and a.cidr && b.cidr
      where a.released_at is null and b.released_at is null`)) as unknown as { rows: { overlaps: number }[] };
    const overlaps = result.rows[0]!.overlaps;
    expect(segs.length).toBeGreaterThanOrEqual(20);
    expect(overlaps).toBe(0);
  });

  it("the exclusion constraint refuses an overlapping segment written directly, in the same zone only", async () => {
    const org = await makeOrg(db);
    const { request, system } = await requestIn(org, "provisioning", { level: 1, segmentPrefix: 28, zone: "external" });
    const [seg] = await db.db.select().from(networkSegments).where(eq(networkSegments.requestId, request.id));
    const insert = (zone: "internal" | "external") =>
      db.db.insert(networkSegments).values({ zone, cidr: seg!.cidr, systemId: system.id, requestId: request.id });
    await expect(insert("external")).rejects.toThrow();
    const ok = await insert("internal").returning({ id: networkSegments.id });
    await db.db.update(networkSegments).set({ releasedAt: new Date() }).where(eq(networkSegments.id, ok[0]!.id));
  });
});
