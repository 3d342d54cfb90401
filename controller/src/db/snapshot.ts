// Reads everything one system's desired state depends on, in one consistent (repeatable read) view.

import type { Db } from "@zhengyun/db/client";
import {
  allocationItems,
  allocations,
  departments,
  exemptions,
  informationSystems,
  networkSegments,
  type Resource,
  requestEgressDestinations,
} from "@zhengyun/db/schema";
import { and, eq, isNull } from "drizzle-orm";
import type { SystemSnapshot } from "../desired/snapshot.js";

export async function loadSnapshot(db: Db, systemId: string, now: () => Date = () => new Date()): Promise<SystemSnapshot | undefined> {
  return db.transaction(
    async (tx) => {
      const [row] = await tx
        .select({
          systemId: informationSystems.id,
          systemName: informationSystems.name,
          namespace: informationSystems.namespace,
          level: informationSystems.level,
          zone: informationSystems.zone,
          driftReportOnly: informationSystems.driftReportOnly,
          departmentCode: departments.code,
          generation: allocations.generation,
          requestId: allocations.requestId,
        })
        .from(allocations)
        .innerJoin(informationSystems, eq(informationSystems.id, allocations.systemId))
        .innerJoin(departments, eq(departments.id, informationSystems.departmentId))
        .where(eq(allocations.systemId, systemId));
      if (!row) return undefined;
      // One connection serves the transaction: queries run one after another.
      const items = await tx
        .select({ resource: allocationItems.resource, granted: allocationItems.granted })
        .from(allocationItems)
        .where(eq(allocationItems.systemId, systemId));
      const segments = await tx
        .select({ cidr: networkSegments.cidr })
        .from(networkSegments)
        .where(and(eq(networkSegments.systemId, systemId), isNull(networkSegments.releasedAt)));
      const egress = row.requestId
        ? await tx
            .select({ host: requestEgressDestinations.host, port: requestEgressDestinations.port })
            .from(requestEgressDestinations)
            .where(eq(requestEgressDestinations.requestId, row.requestId))
        : [];
      const exempt = await tx
        .select({
          controlId: exemptions.controlId,
          reason: exemptions.reason,
          grantedBy: exemptions.grantedBy,
          expiresAt: exemptions.expiresAt,
          revokedAt: exemptions.revokedAt,
        })
        .from(exemptions)
        .where(eq(exemptions.systemId, systemId));
      const granted: Partial<Record<Resource, number>> = {};
      for (const item of items) granted[item.resource] = item.granted;
      return {
        ...row,
        granted,
        segments: segments.map((s) => s.cidr),
        egress,
        exemptions: exempt,
        takenAt: now(),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
