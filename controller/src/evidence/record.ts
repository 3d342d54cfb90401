// The compliance evidence of a live system: what the policy catalog expects for it, compared with
// what the API server holds, stored for the portal (which has no access to the cluster).

import { evidenceReports } from "@zhengyun/db/schema";
import { type EvidenceReport, evidenceReport, hashOf, type TenantInput } from "@zhengyun/policies";
import { type Observation, observeEvidence } from "@zhengyun/policies/observe";
import { desc, eq } from "drizzle-orm";
import type { ReconcileContext } from "../reconcile/context.js";

/** What identifies a report's content: everything but the moment it was generated. */
export function evidenceHash(report: EvidenceReport): string {
  const { generatedAt: _generatedAt, ...content } = report;
  return hashOf(content);
}

/**
 * Builds the report from an observation of the system (read now when none is given) and stores
 * it: a new row when its content differs from the system's latest report, otherwise the latest
 * row is confirmed at `now`.
 */
export async function recordEvidence(
  ctx: ReconcileContext,
  systemId: string,
  input: TenantInput,
  now = new Date(),
  observed?: Observation,
): Promise<EvidenceReport> {
  const live = observed ?? (await observeEvidence(ctx.kube.catalog, input, ctx.sharedObjects));
  const report = evidenceReport({ ...input, now }, live.objects());
  const contentHash = evidenceHash(report);
  await ctx.db.transaction(async (tx) => {
    const [latest] = await tx
      .select({ id: evidenceReports.id, contentHash: evidenceReports.contentHash })
      .from(evidenceReports)
      .where(eq(evidenceReports.systemId, systemId))
      .orderBy(desc(evidenceReports.id))
      .limit(1)
      .for("update");
    if (latest?.contentHash === contentHash) {
      await tx.update(evidenceReports).set({ confirmedAt: now }).where(eq(evidenceReports.id, latest.id));
      return;
    }
    await tx.insert(evidenceReports).values({
      systemId,
      contentHash,
      generatedAt: now,
      confirmedAt: now,
      level: report.system.level,
      ...report.summary,
      report,
    });
  });
  return report;
}

/** Evidence is a by-product of a run: failing to record it is logged, never fails the run. */
export async function recordEvidenceQuietly(ctx: ReconcileContext, systemId: string, input: TenantInput, log = ctx.log, observed?: Observation): Promise<void> {
  try {
    const report = await recordEvidence(ctx, systemId, input, new Date(), observed);
    const { drifted } = report.summary;
    if (drifted > 0) {
      ctx.metrics.controlsNotInForce.set({ system: systemId }, drifted);
      log.warn({ summary: report.summary }, "evidence: controls not in force");
    } else {
      ctx.metrics.controlsNotInForce.remove({ system: systemId });
    }
  } catch (err) {
    ctx.metrics.evidenceFailures.inc();
    log.warn({ err: String((err as Error)?.message ?? err) }, "could not record compliance evidence");
  }
}
