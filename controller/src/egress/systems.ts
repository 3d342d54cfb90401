// The gateway's input from PostgreSQL: every system's approved allow-list and bandwidth, and the
// gateway port of each eligible system (assigned here on first need, kept for good).

import type { Db } from "@zhengyun/db/client";
import { allocationItems, allocations, departments, egressPorts, informationSystems, requestEgressDestinations } from "@zhengyun/db/schema";
import { and, eq, sql } from "drizzle-orm";
import { egressEligible, type GatewaySystem } from "./render.js";

/** Serialises port assignment across controller replicas. */
const PORT_LOCK = 715010;

/**
 * Loads the systems the gateway serves, assigning a port to each eligible system that has none.
 * Ports are stored, not derived: a hash of the id would collide, an index into a sorted list would
 * move every later system's port when one is added. A stored port is stable, collision-free (a
 * unique constraint) and never reused, so the port in a log line always names the same system.
 */
export async function loadGatewaySystems(db: Db, firstPort: number, lastPort: number): Promise<GatewaySystem[]> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({
        systemId: informationSystems.id,
        namespace: informationSystems.namespace,
        zone: informationSystems.zone,
        level: informationSystems.level,
        departmentCode: departments.code,
        requestId: allocations.requestId,
        egressMbps: sql<number>`coalesce(${allocationItems.granted}, 0)`.mapWith(Number),
        port: egressPorts.port,
      })
      .from(allocations)
      .innerJoin(informationSystems, eq(informationSystems.id, allocations.systemId))
      .innerJoin(departments, eq(departments.id, informationSystems.departmentId))
      .leftJoin(allocationItems, and(eq(allocationItems.systemId, allocations.systemId), eq(allocationItems.resource, "egress_mbps")))
      .leftJoin(egressPorts, eq(egressPorts.systemId, allocations.systemId));
    const eligible = rows.filter((r) => egressEligible({ zone: r.zone, level: r.level, egressMbps: r.egressMbps }));
    const missing = eligible.filter((r) => r.port === null).sort((a, b) => (a.systemId < b.systemId ? -1 : 1));
    if (missing.length) {
      await tx.execute(sql`select pg_advisory_xact_lock(${PORT_LOCK})`);
      const [top] = await tx.select({ highest: sql<number | null>`max(${egressPorts.port})`.mapWith(Number) }).from(egressPorts);
      let next = Math.max(firstPort, (top?.highest || 0) + 1);
      for (const r of missing) {
        const [existing] = await tx.select({ port: egressPorts.port }).from(egressPorts).where(eq(egressPorts.systemId, r.systemId));
        if (existing) {
          r.port = existing.port;
          continue;
        }
        if (next > lastPort) throw new Error(`no free egress gateway port left in ${firstPort}–${lastPort}`);
        await tx.insert(egressPorts).values({ systemId: r.systemId, port: next });
        r.port = next++;
      }
    }
    const systems: GatewaySystem[] = [];
    for (const r of eligible) {
      const destinations = r.requestId
        ? await tx
            .select({ host: requestEgressDestinations.host, port: requestEgressDestinations.port })
            .from(requestEgressDestinations)
            .where(eq(requestEgressDestinations.requestId, r.requestId))
        : [];
      systems.push({
        systemId: r.systemId,
        namespace: r.namespace,
        departmentCode: r.departmentCode,
        zone: r.zone,
        level: r.level,
        egressMbps: r.egressMbps,
        destinations,
        port: r.port as number,
      });
    }
    return systems;
  });
}

/** Every port ever assigned, with its system and department: how log lines are attributed. */
export async function portOwners(db: Db): Promise<Map<number, { systemId: string; departmentId: string; namespace: string }>> {
  const rows = await db
    .select({ port: egressPorts.port, systemId: egressPorts.systemId, departmentId: informationSystems.departmentId, namespace: informationSystems.namespace })
    .from(egressPorts)
    .innerJoin(informationSystems, eq(informationSystems.id, egressPorts.systemId));
  return new Map(rows.map((r) => [r.port, { systemId: r.systemId, departmentId: r.departmentId, namespace: r.namespace }]));
}
