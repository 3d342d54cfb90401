import type { DbOrTx } from "@zhengyun/db/client";
import type { ServiceContext } from "@zhengyun/db/context";
import { AppError, notFound } from "@zhengyun/db/errors";
import { fromRows } from "@zhengyun/db/quantities";
import { applyGrant, releaseRequestSegments } from "@zhengyun/db/requests/grant";
import { liveSegments, lockRequest, requestTarget, systemGrant } from "@zhengyun/db/requests/load";
import { moveRequest } from "@zhengyun/db/requests/transition";
import { allocationItems, allocations, departments, informationSystems, requestEgressDestinations, resourceRequests, users } from "@zhengyun/db/schema";
import type { Zone } from "@zhengyun/db/schema/enums";
import { levelRefusal, OPEN_STATES, stateAfterGrading } from "@zhengyun/db/workflow";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { levelConflicts } from "../domain/level-fit.js";
import { audit } from "./audit-service.js";
import { maxHostedLevel } from "./hosting.js";
import { afterKey, decodeKeys, toPage } from "./paging.js";
import { assertDepartment, departmentFilter } from "./scope.js";

/** The security officer who graded a system. */
const grader = alias(users, "grader");

const columns = {
  id: informationSystems.id,
  departmentId: informationSystems.departmentId,
  departmentCode: departments.code,
  departmentName: departments.name,
  name: informationSystems.name,
  purpose: informationSystems.purpose,
  proposedLevel: informationSystems.proposedLevel,
  proposedZone: informationSystems.proposedZone,
  level: informationSystems.level,
  graded: informationSystems.graded,
  gradedByName: grader.displayName,
  gradedAt: informationSystems.gradedAt,
  filingNumber: informationSystems.filingNumber,
  zone: informationSystems.zone,
  ownerName: users.displayName,
  namespace: informationSystems.namespace,
  driftReportOnly: informationSystems.driftReportOnly,
  retired: informationSystems.retired,
  phase: allocations.phase,
  /** Whether anything is granted now: what a change or release request needs. */
  holdsResources: sql<boolean>`exists (select 1 from ${allocationItems} where ${allocationItems.systemId} = ${informationSystems.id} and ${allocationItems.granted} > 0)`,
  updatedAt: informationSystems.updatedAt,
};

/** A namespace name from the department code and a unique suffix: at most 50 characters, as the policy catalog accepts. */
export function namespaceFor(departmentCode: string, systemId: string): string {
  const code =
    departmentCode
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 36) || "dept";
  return `zy-${code}-${systemId.replace(/-/g, "").slice(0, 10)}`;
}

export interface RegisterSystemInput {
  name: string;
  purpose: string;
  level: number;
  zone: Zone;
}

function refuseUnhostedLevel(ctx: ServiceContext, level: number): void {
  const refusal = levelRefusal(level, ctx.maxLevel ?? maxHostedLevel());
  if (refusal) throw new AppError("INVALID_INPUT", `level: ${refusal}`, { field: "level" });
}

/** The department proposes the level and zone; they apply once a security officer grades the system. */
export async function registerSystem(ctx: ServiceContext, input: RegisterSystemInput) {
  refuseUnhostedLevel(ctx, input.level);
  return ctx.db.transaction(async (tx) => {
    const [dept] = await tx.select({ code: departments.code }).from(departments).where(eq(departments.id, ctx.actor.departmentId));
    if (!dept) throw notFound("department");
    const id = crypto.randomUUID();
    const [row] = await tx
      .insert(informationSystems)
      .values({
        id,
        departmentId: ctx.actor.departmentId,
        ...input,
        proposedLevel: input.level,
        proposedZone: input.zone,
        ownerId: ctx.actor.id,
        namespace: namespaceFor(dept.code, id),
        createdAt: ctx.now(),
        updatedAt: ctx.now(),
      })
      .onConflictDoNothing()
      .returning({ id: informationSystems.id, namespace: informationSystems.namespace });
    if (!row) throw new AppError("CONFLICT", `name: your department already has a system named “${input.name}”`, { field: "name" });
    await audit(tx, ctx, "system.register", { type: "system", id }, { after: input });
    return row;
  });
}

async function lockSystem(tx: DbOrTx, id: string) {
  const [row] = await tx.select().from(informationSystems).where(eq(informationSystems.id, id)).for("update");
  if (!row) throw notFound("information system");
  return row;
}

/** The department edits what it owns: the system's name and purpose. */
export async function updateSystem(ctx: ServiceContext, id: string, patch: { name?: string | undefined; purpose?: string | undefined }) {
  return ctx.db.transaction(async (tx) => {
    const before = await lockSystem(tx, id);
    assertDepartment(ctx, before.departmentId);
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const updated = await tx
      .update(informationSystems)
      .set({ ...clean, updatedAt: ctx.now() })
      .where(eq(informationSystems.id, id))
      .returning({ id: informationSystems.id })
      .catch((e: unknown) => {
        if (String((e as { cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code) === "23505")
          throw new AppError("CONFLICT", "name: another system of the department has this name", { field: "name" });
        throw e;
      });
    await audit(tx, ctx, "system.update", { type: "system", id }, { before: { name: before.name, purpose: before.purpose }, after: clean });
    return updated[0]!;
  });
}

/**
 * Whether drift on the system is healed or only reported: a platform decision (ops or the
 * security officer), since report-only leaves a widened control in place until someone acts.
 */
export async function setDriftMode(ctx: ServiceContext, id: string, input: { driftReportOnly: boolean; reason: string }) {
  return ctx.db.transaction(async (tx) => {
    const before = await lockSystem(tx, id);
    if (before.driftReportOnly !== input.driftReportOnly) {
      // The controller reads the mode at its next check of the system.
      await tx.update(informationSystems).set({ driftReportOnly: input.driftReportOnly, updatedAt: ctx.now() }).where(eq(informationSystems.id, id));
    }
    await audit(tx, ctx, "system.drift_mode", { type: "system", id }, { before: { driftReportOnly: before.driftReportOnly }, after: input });
    return { id, driftReportOnly: input.driftReportOnly };
  });
}

export interface GradeInput {
  level: number;
  /** The confirmed zone; the proposed (current) one when absent. */
  zone?: Zone | undefined;
  /** The 等保备案 filing number: required at level 2 and above. */
  filingNumber?: string | undefined;
  /** Why a graded system's level or zone changes: required when regrading. */
  reason?: string | undefined;
}

function invalid(field: string, message: string): AppError {
  return new AppError("INVALID_INPUT", `${field}: ${message}`, { field });
}

/**
 * Requests that waited for the grading move on: each still open is checked against the confirmed
 * level and zone (a request that no longer fits is rejected, naming why); one that ops approved
 * while the system was ungraded continues to provisioning, or to the security officer's approval
 * where the confirmed level asks for it.
 */
async function continueAfterGrading(tx: DbOrTx, ctx: ServiceContext, system: { id: string; level: number; zone: Zone; departmentId: string }) {
  const open = await tx
    .select({ id: resourceRequests.id })
    .from(resourceRequests)
    .where(and(eq(resourceRequests.systemId, system.id), inArray(resourceRequests.state, [...OPEN_STATES])));
  const continued: string[] = [];
  const rejected: string[] = [];
  for (const { id } of open) {
    const { request } = await lockRequest(tx, id);
    const target = await requestTarget(tx, id);
    const egress = await tx.select({ host: requestEgressDestinations.host }).from(requestEgressDestinations).where(eq(requestEgressDestinations.requestId, id));
    const conflicts = levelConflicts(system, target, egress.length);
    if (conflicts.length > 0) {
      const reason = `定级为${system.level}级（${system.zone === "internal" ? "政务内网" : "政务外网"}）后不再适用，请重新申请 / no longer fits the graded level ${system.level} (${system.zone} zone), please file again: ${conflicts.map((c) => c.message).join("; ")}`;
      await releaseRequestSegments(tx, id, ctx.now());
      await moveRequest(tx, { ctx }, request, "rejected", reason.slice(0, 1000), {
        rejectionReason: reason.slice(0, 1000),
        reservedDelta: null,
        decidedAt: ctx.now(),
      });
      rejected.push(id);
      continue;
    }
    if (request.state !== "ops_approved" || stateAfterGrading(system.level, request.kind) !== "provisioning") continue;
    await applyGrant(tx, { systemId: system.id, departmentId: system.departmentId, requestId: id, target, expiresAt: request.expiresAt, now: ctx.now() });
    await moveRequest(tx, { ctx }, request, "provisioning", "定级完成，继续开通 / graded: provisioning continues", {
      reservedDelta: null,
      decidedAt: ctx.now(),
    });
    continued.push(id);
  }
  return { continued, rejected };
}

/**
 * The security officer grades (定级) the system: confirms or corrects the level and zone the
 * department proposed and records the filing number. Only then may its requests reach
 * provisioning. Regrading a graded system (raising or lowering) needs a reason; a level change
 * re-applies the system so the cluster carries the new level's controls.
 */
export async function gradeSystem(ctx: ServiceContext, id: string, input: GradeInput) {
  refuseUnhostedLevel(ctx, input.level);
  const filingNumber = input.filingNumber?.trim() || null;
  if (input.level >= 2 && !filingNumber) throw invalid("filingNumber", "二级及以上系统须填写等保备案编号 / level 2 and above need the filing number (备案号)");
  return ctx.db.transaction(async (tx) => {
    const before = await lockSystem(tx, id);
    if (before.retired) throw new AppError("INVALID_STATE", "the system is retired");
    const zone = input.zone ?? before.zone;
    if (zone !== before.zone) {
      const [allocation] = await tx.select({ systemId: allocations.systemId }).from(allocations).where(eq(allocations.systemId, id));
      const segments = await liveSegments(tx, [id]);
      if (allocation || segments.length > 0)
        throw invalid("zone", "网络区域只能在开通前更正 / the zone can be corrected only before anything is provisioned or a segment is carved");
    }
    const changes = before.level !== input.level || before.zone !== zone;
    const reason = input.reason?.trim() || null;
    if (before.graded && changes && !reason) throw invalid("reason", "调整已定级系统的级别须说明理由 / regrading a graded system needs a reason");
    await tx
      .update(informationSystems)
      .set({ level: input.level, zone, filingNumber, graded: true, gradedBy: ctx.actor.id, gradedAt: ctx.now(), updatedAt: ctx.now() })
      .where(eq(informationSystems.id, id));
    // A level change changes the controls: the controller re-applies the system.
    if (before.level !== input.level)
      await tx
        .update(allocations)
        .set({ generation: sql`${allocations.generation} + 1`, updatedAt: ctx.now() })
        .where(eq(allocations.systemId, id));
    const { continued, rejected } = await continueAfterGrading(tx, ctx, { id, level: input.level, zone, departmentId: before.departmentId });
    await audit(
      tx,
      ctx,
      before.graded ? "system.regrade" : "system.grade",
      { type: "system", id },
      {
        before: { level: before.level, zone: before.zone, filingNumber: before.filingNumber, graded: before.graded, proposedLevel: before.proposedLevel },
        after: { level: input.level, zone, filingNumber, reason, continued, rejected },
      },
    );
    return { id, level: input.level, zone, graded: true, continued, rejected };
  });
}

/** One page of the systems the caller may see, by department code, then name. */
export async function listSystems(ctx: ServiceContext, filter: { ungraded?: boolean | undefined; cursor?: string | undefined; limit: number }) {
  const dept = departmentFilter(ctx);
  const order = [departments.code, informationSystems.name, informationSystems.id] as const;
  const rows = await ctx.db
    .select(columns)
    .from(informationSystems)
    .innerJoin(departments, eq(departments.id, informationSystems.departmentId))
    .innerJoin(users, eq(users.id, informationSystems.ownerId))
    .leftJoin(grader, eq(grader.id, informationSystems.gradedBy))
    .leftJoin(allocations, eq(allocations.systemId, informationSystems.id))
    .where(
      and(
        dept ? eq(informationSystems.departmentId, dept) : undefined,
        filter.ungraded ? eq(informationSystems.graded, false) : undefined,
        afterKey(order, decodeKeys(filter.cursor, ["string", "string", "uuid"])),
      ),
    )
    .orderBy(...order.map((c) => asc(c)))
    .limit(filter.limit + 1);
  return toPage(rows, filter.limit, (r) => [r.departmentCode, r.name, r.id]);
}

export async function getSystem(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db
    .select(columns)
    .from(informationSystems)
    .innerJoin(departments, eq(departments.id, informationSystems.departmentId))
    .innerJoin(users, eq(users.id, informationSystems.ownerId))
    .leftJoin(grader, eq(grader.id, informationSystems.gradedBy))
    .leftJoin(allocations, eq(allocations.systemId, informationSystems.id))
    .where(eq(informationSystems.id, id));
  if (!row) throw notFound("information system");
  assertDepartment(ctx, row.departmentId);
  const used = await ctx.db
    .select({ resource: allocationItems.resource, amount: allocationItems.used })
    .from(allocationItems)
    .where(eq(allocationItems.systemId, id));
  const segments = (await liveSegments(ctx.db, [id])).map((s) => ({ cidr: s.cidr, zone: s.zone }));
  return { ...row, granted: await systemGrant(ctx.db, id), used: fromRows(used), segments };
}
