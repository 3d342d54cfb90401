// Work claiming on real PostgreSQL: leases, SKIP LOCKED, expiry and takeover, backoff.

import { claimWork, queueDepth, releaseLease, renewLease, requestCheck } from "@zhengyun/controller/claims/claims";
import { isolatedDatabase } from "@zhengyun/controller/testing/fixtures";
import { reconcileStates } from "@zhengyun/db/schema";
import { eventually } from "@zhengyun/db/testkit";
import { makeOrg, requestIn } from "@zhengyun/portal/test/harness";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

describe("work claims", async () => {
  const isolated = await isolatedDatabase();
  const { database } = isolated;
  const pool = database.pool!;
  afterAll(() => isolated.drop());

  const org = await makeOrg(database, { level: 2 });
  const systems: string[] = [];
  for (let i = 0; i < 4; i++) systems.push((await requestIn(org, "provisioning", { level: 2 })).system.id);

  beforeEach(async () => {
    await database.db.update(reconcileStates).set({ leaseOwner: null, leaseExpiresAt: null, notBefore: null, failedGeneration: null, attempts: 0 });
  });

  it("hands each system to one claimant, even when they claim at the same moment", async () => {
    const owners = ["a", "b", "c", "d", "e", "f"];
    const claims = await Promise.all(owners.map((owner) => claimWork(pool, owner, 2, 60_000)));
    const claimed = claims.flat().map((c) => c.systemId);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(new Set(claimed)).toEqual(new Set(systems));
    expect(claims.flat().every((c) => c.generation === 1 && c.observedGeneration === 0 && !c.interrupted)).toBe(true);
    expect(await claimWork(pool, "late", 10, 60_000)).toEqual([]);
    expect(await queueDepth(pool)).toBe(4);
  });

  it("lets another replica take over a lease that expired, and the old holder can no longer renew it", async () => {
    const [first] = await claimWork(pool, "dead", 1, 200);
    expect(first).toBeDefined();
    const others = await claimWork(pool, "other", 10, 60_000);
    expect(others.map((c) => c.systemId)).not.toContain(first!.systemId);
    // The lease runs out by the database's clock, which is the one claims compare with.
    await eventually(
      "the 200 ms lease to expire",
      async () => {
        const { rows } = await pool.query<{ expired: boolean }>("select lease_expires_at < now() as expired from reconcile_states where system_id = $1", [
          first!.systemId,
        ]);
        return rows[0]?.expired ? true : undefined;
      },
      10_000,
      50,
    );
    const taken = await claimWork(pool, "successor", 10, 60_000);
    expect(taken.map((c) => c.systemId)).toEqual([first!.systemId]);
    expect(await renewLease(pool, first!.systemId, "dead", 60_000)).toBe(false);
    expect(await renewLease(pool, first!.systemId, "successor", 60_000)).toBe(true);
  });

  it("reports a run that its holder never finished as interrupted", async () => {
    const [claim] = await claimWork(pool, "x", 1, 60_000);
    await database.db
      .update(reconcileStates)
      .set({ runStartedAt: new Date(), leaseExpiresAt: new Date(Date.now() - 1) })
      .where(eq(reconcileStates.systemId, claim!.systemId));
    const [again] = (await claimWork(pool, "y", 10, 60_000)).filter((c) => c.systemId === claim!.systemId);
    expect(again?.interrupted).toBe(true);
    await database.db.update(reconcileStates).set({ runStartedAt: null });
  });

  it("waits out the backoff, unless a newer generation arrived", async () => {
    const [claim] = await claimWork(pool, "x", 1, 60_000);
    const id = claim!.systemId;
    await database.db
      .update(reconcileStates)
      .set({ leaseOwner: null, leaseExpiresAt: null, attempts: 3, failedGeneration: 1, notBefore: new Date(Date.now() + 60_000) })
      .where(eq(reconcileStates.systemId, id));
    const blocked = await claimWork(pool, "y", 10, 60_000);
    expect(blocked.map((c) => c.systemId)).not.toContain(id);
    await database.db.execute(sql`update allocations set generation = generation + 1 where system_id = ${id}`);
    const retried = await claimWork(pool, "z", 10, 60_000);
    expect(retried.map((c) => c.systemId)).toContain(id);
  });

  it("claims a ready system only when its check is due", async () => {
    const id = systems[0]!;
    await database.db.execute(sql`update allocations set observed_generation = generation, phase = 'ready' where system_id = ${id}`);
    await database.db.execute(sql`update resource_requests set state = 'active' where system_id = ${id}`);
    const [claim] = (await claimWork(pool, "x", 10, 60_000)).filter((c) => c.systemId === id);
    expect(claim?.checkDue).toBe(true);
    await releaseLease(pool, id, "x", { checkInMs: 60_000 });
    expect((await claimWork(pool, "y", 10, 60_000)).map((c) => c.systemId)).not.toContain(id);
    await requestCheck(pool, id);
    expect((await claimWork(pool, "z", 10, 60_000)).map((c) => c.systemId)).toContain(id);
  });
});
