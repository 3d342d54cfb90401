// Compliance evidence per information system. The controller reads the cluster and stores each
// distinct report (evidence_reports); the portal shows them, scoped like the systems they belong to.

import { ALLOCATIONS_CHANNEL } from "@zhengyun/db/client";
import type { ServiceContext } from "@zhengyun/db/context";
import { AppError, notFound } from "@zhengyun/db/errors";
import { allocations, departments, evidenceReports, informationSystems } from "@zhengyun/db/schema";
import { CHECKABLE } from "@zhengyun/db/work-queue";
import type { EvidenceReport } from "@zhengyun/policies/definitions";
import { and, desc, eq, ne, sql } from "drizzle-orm";
import { audit } from "./audit-service.js";
import { afterKey, decodeKeys, toPage } from "./paging.js";
import { assertDepartment, departmentFilter } from "./scope.js";

const summaryColumns = {
  reportId: evidenceReports.id,
  generatedAt: evidenceReports.generatedAt,
  confirmedAt: evidenceReports.confirmedAt,
  total: evidenceReports.total,
  enforced: evidenceReports.enforced,
  exempted: evidenceReports.exempted,
  drifted: evidenceReports.drifted,
};

/** Every system in scope that holds (or held) resources, with its latest evidence, if any. */
export async function listEvidence(
  ctx: ServiceContext,
  filter: { departmentId?: string | undefined; includeReleased?: boolean | undefined; cursor?: string | undefined; limit: number },
) {
  const dept = departmentFilter(ctx);
  const latest = ctx.db
    .selectDistinctOn([evidenceReports.systemId], { systemId: evidenceReports.systemId, ...summaryColumns })
    .from(evidenceReports)
    .orderBy(evidenceReports.systemId, desc(evidenceReports.id))
    .as("latest");
  // Systems with controls not in force first, then those not reported yet, then by department and name.
  const rank = sql<number>`case when ${latest.drifted} > 0 then 0 when ${latest.reportId} is null then 1 else 2 end`;
  const order = [rank, departments.name, informationSystems.name, informationSystems.id];
  const found = await ctx.db
    .select({
      rank,
      systemId: informationSystems.id,
      systemName: informationSystems.name,
      departmentName: departments.name,
      level: informationSystems.level,
      zone: informationSystems.zone,
      graded: informationSystems.graded,
      namespace: informationSystems.namespace,
      phase: allocations.phase,
      reportId: latest.reportId,
      generatedAt: latest.generatedAt,
      confirmedAt: latest.confirmedAt,
      total: latest.total,
      enforced: latest.enforced,
      exempted: latest.exempted,
      drifted: latest.drifted,
    })
    .from(informationSystems)
    .innerJoin(departments, eq(departments.id, informationSystems.departmentId))
    .innerJoin(allocations, eq(allocations.systemId, informationSystems.id))
    .leftJoin(latest, eq(latest.systemId, informationSystems.id))
    .where(
      and(
        dept ? eq(informationSystems.departmentId, dept) : undefined,
        filter.departmentId ? eq(informationSystems.departmentId, filter.departmentId) : undefined,
        filter.includeReleased ? undefined : ne(allocations.phase, "released"),
        afterKey(order, decodeKeys(filter.cursor, ["number", "string", "string", "uuid"])),
      ),
    )
    .orderBy(...order)
    .limit(filter.limit + 1);
  const { items: rows, nextCursor } = toPage(found, filter.limit, (r) => [r.rank, r.departmentName, r.systemName, r.systemId]);
  return {
    nextCursor,
    items: rows.map(({ rank: _, reportId, generatedAt, confirmedAt, total, enforced, exempted, drifted, ...system }) => ({
      ...system,
      latest:
        reportId !== null && generatedAt && confirmedAt
          ? { reportId, generatedAt, confirmedAt, total: total ?? 0, enforced: enforced ?? 0, exempted: exempted ?? 0, drifted: drifted ?? 0 }
          : null,
    })),
  };
}

async function systemInScope(ctx: ServiceContext, systemId: string) {
  const [system] = await ctx.db
    .select({
      id: informationSystems.id,
      name: informationSystems.name,
      departmentId: informationSystems.departmentId,
      departmentName: departments.name,
      level: informationSystems.level,
      zone: informationSystems.zone,
      filingNumber: informationSystems.filingNumber,
    })
    .from(informationSystems)
    .innerJoin(departments, eq(departments.id, informationSystems.departmentId))
    .where(eq(informationSystems.id, systemId));
  if (!system) throw notFound("system");
  assertDepartment(ctx, system.departmentId);
  return system;
}

/**
 * One report of a system (the latest unless `reportId` names an earlier one), with the list of
 * every report kept for it. `report` is null when the controller has not produced one yet.
 */
export async function getEvidence(ctx: ServiceContext, input: { systemId: string; reportId?: number | undefined }) {
  const system = await systemInScope(ctx, input.systemId);
  const history = await ctx.db
    .select(summaryColumns)
    .from(evidenceReports)
    .where(eq(evidenceReports.systemId, system.id))
    .orderBy(desc(evidenceReports.id))
    .limit(200);
  const wanted = input.reportId ?? history[0]?.reportId;
  let report: EvidenceReport | null = null;
  if (wanted !== undefined) {
    const [row] = await ctx.db
      .select({ report: evidenceReports.report })
      .from(evidenceReports)
      .where(and(eq(evidenceReports.id, wanted), eq(evidenceReports.systemId, system.id)));
    if (!row) throw notFound("evidence report");
    report = row.report;
  }
  const { departmentId: _departmentId, ...shown } = system;
  return { system: shown, reportId: wanted ?? null, report, history };
}

/**
 * Asks the controller for a fresh report now (before an assessment, say), instead of at the next
 * scheduled check. Only for systems the controller manages and that still hold resources.
 */
export async function requestEvidenceRefresh(ctx: ServiceContext, systemId: string) {
  const system = await systemInScope(ctx, systemId);
  return ctx.db.transaction(async (tx) => {
    // The controller's own "check now" asks the same of a system (one definition of the queue).
    // (node-postgres and PGlite both answer with `rows`.)
    const { rows: updated } = (await tx.execute(
      sql`update reconcile_states r set check_due_at = ${ctx.now()} from allocations a
          where r.system_id = ${system.id} and a.system_id = r.system_id and ${sql.raw(CHECKABLE)} returning r.system_id`,
    )) as unknown as { rows: unknown[] };
    if (updated.length === 0) {
      throw new AppError("INVALID_STATE", "this system has no resources on the cluster yet, so there is nothing to check");
    }
    await audit(tx, ctx, "evidence.refresh_requested", { type: "system", id: system.id });
    // Wakes the controllers (the same channel the allocation triggers use).
    await tx.execute(sql`select pg_notify(${ALLOCATIONS_CHANNEL}, ${system.id})`);
    return { systemId: system.id, requestedAt: ctx.now() };
  });
}
