import { randomUUID } from "node:crypto";
import { and, eq, gt, inArray, isNotNull, lte } from "drizzle-orm";
import type { Db } from "../client.js";
import { AppError } from "../errors.js";
import { allocationItems, allocations, requestTransitions, resourceRequests } from "../schema/index.js";
import { IN_FLIGHT_STATES } from "../vocabulary.js";
import { applyGrant, releaseRequestSegments, releaseSystemSegments } from "./grant.js";
import { lockRequest } from "./load.js";
import { moveRequest } from "./transition.js";

/**
 * The controller's report that a request's grant is live on the cluster (or could not be made so).
 * A completed release frees the system's network segments. A request reported failed keeps its
 * grant and the controller keeps retrying; when a later attempt succeeds the request becomes
 * active after all, so what the department reads matches what runs.
 */
export async function completeProvisioning(db: Db, requestId: string, result: { ok: true } | { ok: false; reason: string }, now = new Date()) {
  return db.transaction(async (tx) => {
    const { request } = await lockRequest(tx, requestId);
    const recovered = result.ok && request.state === "failed";
    if (request.state !== "provisioning" && !recovered) throw new AppError("INVALID_STATE", `request is ${request.state}, not provisioning`);
    const platform = { platform: { correlationId: randomUUID(), now } };
    if (!result.ok) {
      await moveRequest(tx, platform, request, "failed", result.reason, { failureReason: result.reason, completedAt: now });
      return;
    }
    if (request.kind === "release") {
      await releaseSystemSegments(tx, request.systemId, now);
      await tx.update(allocations).set({ phase: "released", updatedAt: now }).where(eq(allocations.systemId, request.systemId));
    }
    const note = recovered ? `completed on a later attempt (earlier failure: ${request.failureReason ?? "unknown"})`.slice(0, 1000) : null;
    await moveRequest(tx, platform, request, "active", note, { completedAt: now, ...(recovered ? { failureReason: null } : {}) });
  });
}

/**
 * Reclaims grants whose expiry has passed: each becomes a platform-filed release, already approved,
 * and the request that granted it is marked expired. Returns the systems reclaimed.
 */
export async function reclaimExpired(db: Db, now = new Date()): Promise<string[]> {
  const due = await db
    .selectDistinct({ systemId: allocations.systemId })
    .from(allocations)
    .innerJoin(allocationItems, eq(allocationItems.systemId, allocations.systemId))
    .where(and(isNotNull(allocations.expiresAt), lte(allocations.expiresAt, now), gt(allocationItems.granted, 0)));
  const reclaimed: string[] = [];
  for (const { systemId } of due) {
    const done = await db.transaction(async (tx) => {
      const [alloc] = await tx.select().from(allocations).where(eq(allocations.systemId, systemId)).for("update");
      if (!alloc?.expiresAt || alloc.expiresAt > now || !alloc.requestId) return false;
      const [inFlight] = await tx
        .select({ id: resourceRequests.id })
        .from(resourceRequests)
        .where(and(eq(resourceRequests.systemId, systemId), inArray(resourceRequests.state, [...IN_FLIGHT_STATES])));
      const platform = { platform: { correlationId: randomUUID(), now } };
      if (inFlight) {
        const { request } = await lockRequest(tx, inFlight.id);
        if (request.state === "provisioning") return false;
        // As when a person withdraws it: a segment carved at ops approval was never granted.
        await releaseRequestSegments(tx, request.id, now);
        await moveRequest(tx, platform, request, "withdrawn", "grant expired", { decidedAt: now });
      }
      const { request: granting } = await lockRequest(tx, alloc.requestId);
      const [release] = await tx
        .insert(resourceRequests)
        .values({
          systemId,
          departmentId: alloc.departmentId,
          kind: "release",
          state: "provisioning",
          requesterId: granting.requesterId,
          justification: "到期回收 / expired grant reclaimed",
          submittedAt: now,
          decidedAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: resourceRequests.id });
      await tx.insert(requestTransitions).values({ requestId: release!.id, fromState: null, toState: "provisioning", note: "grant expired", at: now });
      if (granting.state === "active") await moveRequest(tx, platform, granting, "expired", "grant expired");
      await applyGrant(tx, { systemId, departmentId: alloc.departmentId, requestId: release!.id, target: {}, expiresAt: null, now });
      return true;
    });
    if (done) reclaimed.push(systemId);
  }
  return reclaimed;
}
