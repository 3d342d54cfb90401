import type { ServiceContext } from "@zhengyun/db/context";
import { fromRows } from "@zhengyun/db/quantities";
import { liveSegments } from "@zhengyun/db/requests/load";
import { allocationItems, allocations, departments, informationSystems } from "@zhengyun/db/schema";
import { and, asc, eq, inArray } from "drizzle-orm";
import { afterKey, decodeKeys, toPage } from "./paging.js";
import { departmentFilter } from "./scope.js";

/** What each system holds now, one page in system-id order: for exports and integrations. */
export async function listAllocations(ctx: ServiceContext, q: { cursor?: string | undefined; limit: number }) {
  const dept = departmentFilter(ctx);
  const rows = await ctx.db
    .select({
      systemId: allocations.systemId,
      systemName: informationSystems.name,
      namespace: informationSystems.namespace,
      departmentCode: departments.code,
      departmentName: departments.name,
      phase: allocations.phase,
      generation: allocations.generation,
      observedGeneration: allocations.observedGeneration,
      expiresAt: allocations.expiresAt,
      updatedAt: allocations.updatedAt,
    })
    .from(allocations)
    .innerJoin(informationSystems, eq(informationSystems.id, allocations.systemId))
    .innerJoin(departments, eq(departments.id, allocations.departmentId))
    .where(and(dept ? eq(allocations.departmentId, dept) : undefined, afterKey([allocations.systemId], decodeKeys(q.cursor, ["uuid"]))))
    .orderBy(asc(allocations.systemId))
    .limit(q.limit + 1);
  const pageRows = toPage(rows, q.limit, (r) => [r.systemId]);
  const ids = pageRows.items.map((r) => r.systemId);
  const [items, segments] = await Promise.all([
    ids.length
      ? ctx.db
          .select({ systemId: allocationItems.systemId, resource: allocationItems.resource, granted: allocationItems.granted, used: allocationItems.used })
          .from(allocationItems)
          .where(inArray(allocationItems.systemId, ids))
      : [],
    liveSegments(ctx.db, ids),
  ]);
  return {
    nextCursor: pageRows.nextCursor,
    items: pageRows.items.map((r) => {
      const mine = items.filter((i) => i.systemId === r.systemId);
      return {
        ...r,
        granted: fromRows(mine.map((i) => ({ resource: i.resource, amount: i.granted }))),
        used: fromRows(mine.map((i) => ({ resource: i.resource, amount: i.used }))),
        segments: segments.filter((s) => s.systemId === r.systemId).map((s) => ({ cidr: s.cidr, zone: s.zone })),
      };
    }),
  };
}
