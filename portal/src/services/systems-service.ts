import { and, asc, eq, sql } from "drizzle-orm";
import type { Zone } from "../db/schema/enums.js";
import { allocationItems, allocations, departments, informationSystems, users } from "../db/schema/index.js";
import { fromRows } from "../domain/quantities.js";
import { AppError, notFound } from "../errors/app-error.js";
import { audit } from "./audit-service.js";
import type { ServiceContext } from "./context.js";
import { liveSegments, systemGrant } from "./requests/load.js";
import { assertDepartment, departmentFilter } from "./scope.js";

const columns = {
  id: informationSystems.id,
  departmentId: informationSystems.departmentId,
  departmentName: departments.name,
  name: informationSystems.name,
  purpose: informationSystems.purpose,
  level: informationSystems.level,
  graded: informationSystems.graded,
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

export async function registerSystem(ctx: ServiceContext, input: RegisterSystemInput) {
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

export async function updateSystem(
  ctx: ServiceContext,
  id: string,
  patch: { name?: string | undefined; purpose?: string | undefined; driftReportOnly?: boolean | undefined },
) {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(informationSystems).where(eq(informationSystems.id, id)).for("update");
    if (!before) throw notFound("information system");
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
    await audit(
      tx,
      ctx,
      "system.update",
      { type: "system", id },
      { before: { name: before.name, purpose: before.purpose, driftReportOnly: before.driftReportOnly }, after: clean },
    );
    return updated[0]!;
  });
}

/** The security officer confirms (or corrects) the protection level and records the filing number. */
export async function gradeSystem(ctx: ServiceContext, id: string, input: { level: number; filingNumber: string }) {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(informationSystems).where(eq(informationSystems.id, id)).for("update");
    if (!before) throw notFound("information system");
    await tx
      .update(informationSystems)
      .set({ level: input.level, filingNumber: input.filingNumber, graded: true, gradedBy: ctx.actor.id, gradedAt: ctx.now(), updatedAt: ctx.now() })
      .where(eq(informationSystems.id, id));
    // A level change changes the controls: the controller re-applies the system.
    if (before.level !== input.level)
      await tx
        .update(allocations)
        .set({ generation: sql`${allocations.generation} + 1` })
        .where(eq(allocations.systemId, id));
    await audit(tx, ctx, "system.grade", { type: "system", id }, { before: { level: before.level, filingNumber: before.filingNumber }, after: input });
    return { id, level: input.level, graded: true };
  });
}

export async function listSystems(ctx: ServiceContext, filter: { ungraded?: boolean | undefined; limit: number }) {
  const dept = departmentFilter(ctx);
  return ctx.db
    .select(columns)
    .from(informationSystems)
    .innerJoin(departments, eq(departments.id, informationSystems.departmentId))
    .innerJoin(users, eq(users.id, informationSystems.ownerId))
    .leftJoin(allocations, eq(allocations.systemId, informationSystems.id))
    .where(and(dept ? eq(informationSystems.departmentId, dept) : undefined, filter.ungraded ? eq(informationSystems.graded, false) : undefined))
    .orderBy(asc(departments.code), asc(informationSystems.name))
    .limit(filter.limit);
}

export async function getSystem(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db
    .select(columns)
    .from(informationSystems)
    .innerJoin(departments, eq(departments.id, informationSystems.departmentId))
    .innerJoin(users, eq(users.id, informationSystems.ownerId))
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
