import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.js";
import { notFound } from "../errors.js";
import { add, fromRows, type Quantities } from "../quantities.js";
import {
  allocationItems,
  allocations,
  clusterCapacity,
  departmentCeilings,
  informationSystems,
  networkSegments,
  requestItems,
  resourceRequests,
} from "../schema/index.js";

/** Loads a request with the system it is for, locking the request row for the transaction. */
export async function lockRequest(tx: DbOrTx, id: string) {
  const [row] = await tx
    .select({ request: resourceRequests, system: informationSystems })
    .from(resourceRequests)
    .innerJoin(informationSystems, eq(informationSystems.id, resourceRequests.systemId))
    .where(eq(resourceRequests.id, id))
    .for("update", { of: resourceRequests });
  if (!row) throw notFound("request");
  return row;
}

export async function requestTarget(tx: DbOrTx, requestId: string): Promise<Quantities> {
  const rows = await tx
    .select({ resource: requestItems.resource, amount: requestItems.amount })
    .from(requestItems)
    .where(eq(requestItems.requestId, requestId));
  return fromRows(rows);
}

export async function systemGrant(tx: DbOrTx, systemId: string): Promise<Quantities> {
  const rows = await tx
    .select({ resource: allocationItems.resource, amount: allocationItems.granted })
    .from(allocationItems)
    .where(eq(allocationItems.systemId, systemId));
  return fromRows(rows);
}

/**
 * Ceiling and holdings of several departments in three grouped queries (for lists such as the ops
 * queue, where one query per department would not scale).
 */
export async function departmentsHeadroom(tx: DbOrTx, departmentIds: string[]): Promise<Map<string, { ceiling: Quantities; held: Quantities }>> {
  const out = new Map<string, { ceiling: Quantities; held: Quantities }>();
  if (departmentIds.length === 0) return out;
  for (const id of departmentIds) out.set(id, { ceiling: {}, held: {} });
  const [ceilings, granted, reserved] = await Promise.all([
    tx
      .select({ departmentId: departmentCeilings.departmentId, resource: departmentCeilings.resource, amount: departmentCeilings.amount })
      .from(departmentCeilings)
      .where(inArray(departmentCeilings.departmentId, departmentIds)),
    tx
      .select({
        departmentId: allocations.departmentId,
        resource: allocationItems.resource,
        amount: sql<number>`sum(${allocationItems.granted})::bigint`.mapWith(Number),
      })
      .from(allocationItems)
      .innerJoin(allocations, eq(allocations.systemId, allocationItems.systemId))
      .where(inArray(allocations.departmentId, departmentIds))
      .groupBy(allocations.departmentId, allocationItems.resource),
    tx
      .select({ departmentId: resourceRequests.departmentId, reserved: resourceRequests.reservedDelta })
      .from(resourceRequests)
      .where(and(eq(resourceRequests.state, "ops_approved"), inArray(resourceRequests.departmentId, departmentIds))),
  ]);
  for (const id of departmentIds) {
    const entry = out.get(id)!;
    entry.ceiling = fromRows(ceilings.filter((c) => c.departmentId === id));
    entry.held = add(
      fromRows(granted.filter((g) => g.departmentId === id)),
      ...reserved.filter((r) => r.departmentId === id).map((r) => (r.reserved ?? {}) as Quantities),
    );
  }
  return out;
}

/** Growth reserved by level 3+ requests that ops approved and the security officer has not yet decided. */
async function reservedBy(tx: DbOrTx, departmentId: string | null): Promise<Quantities> {
  const rows = await tx
    .select({ reserved: resourceRequests.reservedDelta })
    .from(resourceRequests)
    .where(and(eq(resourceRequests.state, "ops_approved"), departmentId ? eq(resourceRequests.departmentId, departmentId) : undefined));
  return add(...rows.map((r) => (r.reserved ?? {}) as Quantities));
}

/** Everything a department holds: granted allocations plus pending reservations. */
export async function departmentHeld(tx: DbOrTx, departmentId: string): Promise<Quantities> {
  const rows = await tx
    .select({ resource: allocationItems.resource, amount: sql<number>`sum(${allocationItems.granted})::bigint`.mapWith(Number) })
    .from(allocationItems)
    .innerJoin(allocations, eq(allocations.systemId, allocationItems.systemId))
    .where(eq(allocations.departmentId, departmentId))
    .groupBy(allocationItems.resource);
  return add(fromRows(rows), await reservedBy(tx, departmentId));
}

export async function platformHeld(tx: DbOrTx): Promise<Quantities> {
  const rows = await tx
    .select({ resource: allocationItems.resource, amount: sql<number>`sum(${allocationItems.granted})::bigint`.mapWith(Number) })
    .from(allocationItems)
    .groupBy(allocationItems.resource);
  return add(fromRows(rows), await reservedBy(tx, null));
}

export async function departmentCeiling(tx: DbOrTx, departmentId: string): Promise<Quantities> {
  const rows = await tx
    .select({ resource: departmentCeilings.resource, amount: departmentCeilings.amount })
    .from(departmentCeilings)
    .where(eq(departmentCeilings.departmentId, departmentId));
  return fromRows(rows);
}

export async function capacity(tx: DbOrTx): Promise<Quantities> {
  const rows = await tx.select({ resource: clusterCapacity.resource, amount: clusterCapacity.amount }).from(clusterCapacity);
  return fromRows(rows);
}

export async function liveSegments(tx: DbOrTx, systemIds: string[]) {
  if (systemIds.length === 0) return [];
  return tx
    .select({
      id: networkSegments.id,
      systemId: networkSegments.systemId,
      zone: networkSegments.zone,
      cidr: networkSegments.cidr,
      requestId: networkSegments.requestId,
    })
    .from(networkSegments)
    .where(and(inArray(networkSegments.systemId, systemIds), isNull(networkSegments.releasedAt)));
}
