import type { ServiceContext } from "@zhengyun/db/context";
import { notFound } from "@zhengyun/db/errors";
import { fromRows, type Quantities } from "@zhengyun/db/quantities";
import { capacity, departmentCeiling, departmentHeld, platformHeld } from "@zhengyun/db/requests/load";
import { allocationItems, allocations, clusterCapacity, departmentCeilings, departments } from "@zhengyun/db/schema";
import { RESOURCES, type Resource } from "@zhengyun/db/schema/enums";
import { and, asc, eq, sql } from "drizzle-orm";
import { audit } from "./audit-service.js";
import { afterKey, decodeKeys, toPage } from "./paging.js";
import { assertDepartment, departmentFilter } from "./scope.js";

/** The departments in the caller's scope: department staff see their own, platform roles all. */
export async function listDepartments(ctx: ServiceContext, q: { cursor?: string | undefined; limit: number }) {
  const dept = departmentFilter(ctx);
  const rows = await ctx.db
    .select({ id: departments.id, code: departments.code, name: departments.name, nameEn: departments.nameEn })
    .from(departments)
    .where(and(dept ? eq(departments.id, dept) : undefined, afterKey([departments.code, departments.id], decodeKeys(q.cursor, ["string", "uuid"]))))
    .orderBy(asc(departments.code), asc(departments.id))
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => [r.code, r.id]);
}

async function usedBy(ctx: ServiceContext, departmentId: string | null): Promise<Quantities> {
  const rows = await ctx.db
    .select({ resource: allocationItems.resource, amount: sql<number>`sum(${allocationItems.used})::bigint`.mapWith(Number) })
    .from(allocationItems)
    .innerJoin(allocations, eq(allocations.systemId, allocationItems.systemId))
    .where(departmentId ? eq(allocations.departmentId, departmentId) : undefined)
    .groupBy(allocationItems.resource);
  return fromRows(rows);
}

/** Ceiling vs granted (incl. reservations) vs used for one department. */
export async function departmentOverview(ctx: ServiceContext, departmentId: string) {
  assertDepartment(ctx, departmentId);
  const [dept] = await ctx.db
    .select({ id: departments.id, code: departments.code, name: departments.name, nameEn: departments.nameEn })
    .from(departments)
    .where(eq(departments.id, departmentId));
  if (!dept) throw notFound("department");
  return {
    ...dept,
    ceiling: await departmentCeiling(ctx.db, departmentId),
    held: await departmentHeld(ctx.db, departmentId),
    used: await usedBy(ctx, departmentId),
  };
}

export async function setCeiling(ctx: ServiceContext, departmentId: string, ceiling: Partial<Record<Resource, number>>) {
  return ctx.db.transaction(async (tx) => {
    const [dept] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.id, departmentId)).for("update");
    if (!dept) throw notFound("department");
    const before = await departmentCeiling(tx, departmentId);
    for (const resource of RESOURCES) {
      const value = ceiling[resource];
      if (value === undefined) continue;
      await tx
        .insert(departmentCeilings)
        .values({ departmentId, resource, amount: value })
        .onConflictDoUpdate({ target: [departmentCeilings.departmentId, departmentCeilings.resource], set: { amount: value } });
    }
    await audit(tx, ctx, "department.set_ceiling", { type: "department", id: departmentId }, { before, after: ceiling });
    return { departmentId, ceiling: await departmentCeiling(tx, departmentId) };
  });
}

export async function capacityOverview(ctx: ServiceContext) {
  return { capacity: await capacity(ctx.db), held: await platformHeld(ctx.db), used: await usedBy(ctx, null) };
}

export async function setCapacity(ctx: ServiceContext, values: Partial<Record<Resource, number>>) {
  return ctx.db.transaction(async (tx) => {
    const before = await capacity(tx);
    for (const resource of RESOURCES) {
      const amount = values[resource];
      if (amount === undefined) continue;
      await tx.insert(clusterCapacity).values({ resource, amount }).onConflictDoUpdate({ target: clusterCapacity.resource, set: { amount } });
    }
    await audit(tx, ctx, "platform.set_capacity", { type: "platform", id: "capacity" }, { before, after: values });
    return capacity(tx);
  });
}
