import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.js";
import { notFound } from "../errors.js";
import { add, fromRows, type Quantities } from "../quantities.js";
import type { Resource } from "../schema/enums.js";
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
 * Ceiling and holdings of several departments in one statement (for lists such as the ops queue,
 * where one query per department, or one round trip per part, would not scale): ceilings, granted
 * sums and the reservations of ops-approved requests, as rows of one union.
 */
export async function departmentsHeadroom(tx: DbOrTx, departmentIds: string[]): Promise<Map<string, { ceiling: Quantities; held: Quantities }>> {
  const out = new Map<string, { ceiling: Quantities; held: Quantities }>();
  if (departmentIds.length === 0) return out;
  const ids = sql`array[${sql.join(
    departmentIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;
  const result = await tx.execute(sql`
    select 'ceiling' as kind, c.department_id, c.resource::text as resource, c.amount::bigint as amount, null::jsonb as reserved
      from department_ceilings c where c.department_id = any(${ids})
    union all
    select 'granted', a.department_id, i.resource::text, sum(i.granted)::bigint, null
      from allocation_items i join allocations a on a.system_id = i.system_id
     where a.department_id = any(${ids}) group by a.department_id, i.resource
    union all
    select 'reserved', r.department_id, null, null, r.reserved_delta
      from resource_requests r where r.state = 'ops_approved' and r.department_id = any(${ids})`);
  type Row = {
    kind: "ceiling" | "granted" | "reserved";
    department_id: string;
    resource: Resource | null;
    amount: string | number | null;
    reserved: Quantities | null;
  };
  const rows = (result as unknown as { rows: Row[] }).rows;
  for (const id of departmentIds) {
    const mine = rows.filter((r) => r.department_id === id);
    const items = (kind: Row["kind"]) => mine.filter((r) => r.kind === kind).map((r) => ({ resource: r.resource as Resource, amount: Number(r.amount) }));
    out.set(id, {
      ceiling: fromRows(items("ceiling")),
      held: add(fromRows(items("granted")), ...mine.filter((r) => r.kind === "reserved").map((r) => r.reserved ?? {})),
    });
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
