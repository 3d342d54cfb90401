import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.js";
import { notFound } from "../errors.js";
import { preparedFor } from "../prepared.js";
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

type HeadroomRow = {
  kind: "ceiling" | "granted" | "reserved";
  departmentId: string;
  resource: Resource | null;
  amount: number | null;
  reserved: Quantities | null;
};

/**
 * The headroom statement, prepared once per database handle: the departments are one uuid[]
 * parameter, so the text (and, per connection, the plan) is the same whatever the page holds.
 */
const headroomStatement = preparedFor((db: DbOrTx) => {
  const ids = sql`${sql.placeholder("ids")}::uuid[]`;
  const rows = sql`(
    select 'ceiling' as kind, c.department_id, c.resource::text as resource, c.amount::bigint as amount, null::jsonb as reserved
      from department_ceilings c where c.department_id = any(${ids})
    union all
    select 'granted', a.department_id, i.resource::text, sum(i.granted)::bigint, null
      from allocation_items i join allocations a on a.system_id = i.system_id
     where a.department_id = any(${ids}) group by a.department_id, i.resource
    union all
    select 'reserved', r.department_id, null, null, r.reserved_delta
      from resource_requests r where r.state = 'ops_approved' and r.department_id = any(${ids})
  ) as h`;
  return db
    .select({
      kind: sql<HeadroomRow["kind"]>`h.kind`,
      departmentId: sql<string>`h.department_id`,
      resource: sql<Resource | null>`h.resource`,
      amount: sql<number | null>`h.amount`.mapWith((v) => (v === null ? null : Number(v))),
      reserved: sql<Quantities | null>`h.reserved`,
    })
    .from(rows)
    .prepare("zy_departments_headroom");
});

/**
 * Ceiling and holdings of several departments in one statement (for lists such as the ops queue,
 * where one query per department, or one round trip per part, would not scale): ceilings, granted
 * sums and the reservations of ops-approved requests, as rows of one union.
 */
export async function departmentsHeadroom(db: DbOrTx, departmentIds: string[]): Promise<Map<string, { ceiling: Quantities; held: Quantities }>> {
  const out = new Map<string, { ceiling: Quantities; held: Quantities }>();
  if (departmentIds.length === 0) return out;
  const rows: HeadroomRow[] = await headroomStatement(db).execute({ ids: departmentIds });
  const parts = new Map<string, { ceiling: HeadroomRow[]; granted: HeadroomRow[]; reserved: Quantities[] }>();
  for (const id of departmentIds) parts.set(id, { ceiling: [], granted: [], reserved: [] });
  for (const row of rows) {
    const mine = parts.get(row.departmentId);
    if (!mine) continue;
    if (row.kind === "reserved") mine.reserved.push(row.reserved ?? {});
    else mine[row.kind].push(row);
  }
  const items = (rs: HeadroomRow[]) => rs.map((r) => ({ resource: r.resource as Resource, amount: Number(r.amount) }));
  for (const [id, mine] of parts) out.set(id, { ceiling: fromRows(items(mine.ceiling)), held: add(fromRows(items(mine.granted)), ...mine.reserved) });
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
