import type { DbOrTx } from "@zhengyun/db/client";
import type { ServiceContext } from "@zhengyun/db/context";
import { AppError } from "@zhengyun/db/errors";
import { delta, type Quantities, shortfalls } from "@zhengyun/db/quantities";
import { applyGrant, releaseRequestSegments } from "@zhengyun/db/requests/grant";
import { capacity, departmentCeiling, departmentHeld, lockRequest, platformHeld, requestTarget, systemGrant } from "@zhengyun/db/requests/load";
import { moveRequest } from "@zhengyun/db/requests/transition";
import { departments, networkSegments, zonePools } from "@zhengyun/db/schema";
import { type ApprovalStage, gradingHold, pendingStage, STAGE, stateAfterApproval } from "@zhengyun/db/workflow";
import { and, eq, isNull, sql } from "drizzle-orm";
import { firstFreeBlock, formatBlock, parseCidr } from "../../domain/segments.js";
import { actingAs, assertDepartment } from "../scope.js";
import { tryAutoApproval } from "./auto-approval.js";

/** Serialises ops approvals against cluster capacity (held for the transaction only). */
const CAPACITY_LOCK = 715003;

type Locked = Awaited<ReturnType<typeof lockRequest>>;

function checkApprover(ctx: ServiceContext, stage: ApprovalStage, { request, system }: Locked): void {
  if (stage === "dept") assertDepartment(ctx, request.departmentId);
  if (request.requesterId === ctx.actor.id) throw new AppError("SEPARATION_OF_DUTIES", "nobody approves their own request");
  if (stage === "security" && request.opsApproverId === ctx.actor.id)
    throw new AppError("SEPARATION_OF_DUTIES", "level 3+ requests need a security officer other than the ops approver");
  // The approval that would start provisioning waits for the grading; grading itself moves the request on.
  const hold = stage === "security" ? gradingHold(system) : null;
  if (hold) throw new AppError("INVALID_STATE", hold, { awaiting: "grading" });
}

/** Growth over the system's current grant must fit the department ceiling and the cluster capacity. */
async function checkHeadroom(tx: DbOrTx, departmentId: string, growth: Quantities): Promise<void> {
  await tx.select({ id: departments.id }).from(departments).where(eq(departments.id, departmentId)).for("update");
  await tx.execute(sql`select pg_advisory_xact_lock(${CAPACITY_LOCK})`);
  const overCeiling = shortfalls(await departmentCeiling(tx, departmentId), await departmentHeld(tx, departmentId), growth);
  if (overCeiling.length > 0) {
    const list = overCeiling.map((s) => `${s.resource} ${s.wouldHold} > ${s.limit}`).join(", ");
    throw new AppError("CEILING_EXCEEDED", `超出部门配额上限 / department ceiling exceeded: ${list}`, { shortfalls: overCeiling });
  }
  const overCapacity = shortfalls(await capacity(tx), await platformHeld(tx), growth);
  if (overCapacity.length > 0) {
    const list = overCapacity.map((s) => `${s.resource} ${s.wouldHold} > ${s.limit}`).join(", ");
    throw new AppError("CAPACITY_EXCEEDED", `超出云平台容量 / cluster capacity exceeded: ${list}`, { shortfalls: overCapacity });
  }
}

async function allocateSegment(tx: DbOrTx, locked: Locked, now: Date): Promise<string> {
  const { request, system } = locked;
  const [pool] = await tx.select().from(zonePools).where(eq(zonePools.zone, system.zone)).for("update");
  if (!pool) throw new AppError("POOL_EXHAUSTED", `no address pool is configured for the ${system.zone} zone`);
  const taken = await tx
    .select({ cidr: networkSegments.cidr })
    .from(networkSegments)
    .where(and(eq(networkSegments.zone, system.zone), isNull(networkSegments.releasedAt)));
  const block = firstFreeBlock(
    parseCidr(pool.cidr),
    taken.map((t) => parseCidr(t.cidr)),
    request.segmentPrefix ?? 0,
  );
  if (!block) throw new AppError("POOL_EXHAUSTED", `the ${system.zone} zone pool ${pool.cidr} has no free /${request.segmentPrefix}`);
  const cidr = formatBlock(block);
  await tx.insert(networkSegments).values({ zone: system.zone, cidr, systemId: system.id, requestId: request.id, allocatedAt: now });
  return cidr;
}

/**
 * The work of the ops stage, by a person or an auto-approval rule: headroom, the segment, the
 * reservation or the grant. Returns the next state and what to record on the request.
 */
export async function opsStage(tx: DbOrTx, locked: Locked, now: Date) {
  const { request, system } = locked;
  const next = stateAfterApproval("ops", system, request.kind);
  const target = await requestTarget(tx, request.id);
  const growth = delta(target, await systemGrant(tx, system.id));
  await checkHeadroom(tx, request.departmentId, growth);
  const segment = request.segmentPrefix ? await allocateSegment(tx, locked, now) : null;
  const reservedDelta = next === "ops_approved" ? Object.fromEntries(Object.entries(growth).filter(([, v]) => (v ?? 0) > 0)) : null;
  if (next === "provisioning") {
    await applyGrant(tx, { systemId: system.id, departmentId: request.departmentId, requestId: request.id, target, expiresAt: request.expiresAt, now });
  }
  return { next, segment, patch: { reservedDelta, ...(next === "provisioning" ? { decidedAt: now } : {}) } };
}

export async function approveRequest(caller: ServiceContext, id: string, note: string | null) {
  return caller.db.transaction(async (tx) => {
    const locked = await lockRequest(tx, id);
    const { request, system } = locked;
    const stage = pendingStage(request.state);
    if (!stage) throw new AppError("INVALID_STATE", `a ${request.state} request awaits no approval`, { state: request.state });
    const ctx = actingAs(caller, STAGE[stage].role);
    checkApprover(ctx, stage, locked);
    const now = ctx.now();
    if (stage === "ops") {
      const { next, segment, patch } = await opsStage(tx, locked, now);
      await moveRequest(tx, { ctx }, request, next, note, { opsApproverId: ctx.actor.id, ...patch });
      return { id, state: next, segment, awaitingGrading: !system.graded, autoApproval: null };
    }
    const next = stateAfterApproval(stage, system, request.kind);
    if (next === "provisioning") {
      const target = await requestTarget(tx, id);
      await applyGrant(tx, { systemId: system.id, departmentId: request.departmentId, requestId: id, target, expiresAt: request.expiresAt, now });
    }
    const approver = stage === "dept" ? { deptApproverId: ctx.actor.id } : { securityApproverId: ctx.actor.id };
    await moveRequest(tx, { ctx }, request, next, note, {
      ...approver,
      reservedDelta: null,
      ...(next === "provisioning" ? { decidedAt: now } : {}),
    });
    if (stage === "dept") {
      // A department's auto-approval rules may take the ops stage now (never for level 3+).
      const auto = await tryAutoApproval(tx, id, ctx.correlationId, now);
      if (auto?.approved) return { id, state: auto.state, segment: auto.segment, awaitingGrading: !system.graded, autoApproval: auto };
      return { id, state: next, segment: null, awaitingGrading: !system.graded, autoApproval: auto };
    }
    return { id, state: next, segment: null, awaitingGrading: !system.graded, autoApproval: null };
  });
}

export async function rejectRequest(caller: ServiceContext, id: string, reason: string) {
  return caller.db.transaction(async (tx) => {
    const locked = await lockRequest(tx, id);
    const stage = pendingStage(locked.request.state);
    if (!stage) throw new AppError("INVALID_STATE", `a ${locked.request.state} request cannot be rejected`, { state: locked.request.state });
    const ctx = actingAs(caller, STAGE[stage].role);
    if (stage === "dept") assertDepartment(ctx, locked.request.departmentId);
    await releaseRequestSegments(tx, id, ctx.now());
    await moveRequest(tx, { ctx }, locked.request, "rejected", reason, { rejectionReason: reason, reservedDelta: null, decidedAt: ctx.now() });
    return { id, state: "rejected" as const };
  });
}
