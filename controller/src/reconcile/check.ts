// The periodic check of a live system: compare the cluster with the desired state (drift), and
// read quota usage back into the portal.

import { randomUUID } from "node:crypto";
import { appendAudit } from "@zhengyun/portal/audit/append";
import { allocations } from "@zhengyun/portal/db/schema";
import { recordUsageSample } from "@zhengyun/portal/services/usage-history";
import { eq, sql } from "drizzle-orm";
import { objectKey } from "../../../infra/src/components/objects.js";
import { type DesiredState, hashOf } from "../desired/build.js";
import { compareAll, type DriftFinding, describeFindings } from "../drift/compare.js";
import { detectForeign } from "../drift/foreign.js";
import { readLive } from "../drift/live.js";
import { addEvent, fenced } from "../status/record.js";
import { readQuotaUsage, usageFromQuotas, writeUsage } from "../usage/usage.js";
import type { ReconcileContext, Work } from "./context.js";

type Apply = Extract<DesiredState, { action: "apply" }>;

export const CONTROLLER_ACTOR = "zhengyun-controller";

/**
 * Objects of the system that differ from what was applied, and objects in its namespace the
 * platform did not create that weaken one of its controls.
 */
export async function detectDrift(ctx: ReconcileContext, desired: Apply): Promise<DriftFinding[]> {
  const live = await readLive(ctx.kube.objects, desired.objects);
  const exempt = new Set((desired.input.exemptions ?? []).map((e) => e.control));
  const foreign = await detectForeign(ctx.kube.catalog, desired.namespace, desired.input.level, exempt);
  return [...compareAll(desired.objects, live, objectKey), ...foreign];
}

/**
 * Records drift: a system event and an audit entry (the auditor sees every change made outside the
 * platform). The same findings are recorded once, not on every check while they persist.
 */
export async function recordDrift(ctx: ReconcileContext, work: Work, findings: DriftFinding[], heal: boolean): Promise<boolean> {
  const { systemId } = work.claim;
  const fingerprint = hashOf(findings);
  const now = new Date();
  return fenced(ctx.db, systemId, ctx.config.owner, async (tx) => {
    const [row] = await tx.select({ outputs: allocations.outputs }).from(allocations).where(eq(allocations.systemId, systemId));
    const previous = (row?.outputs.drift as { fingerprint?: string; healed?: boolean } | undefined) ?? {};
    const drift = { fingerprint, detectedAt: now.toISOString(), healed: false, reportOnly: !heal, findings };
    await tx
      .update(allocations)
      .set({ outputs: sql`jsonb_set(${allocations.outputs}, '{drift}', ${JSON.stringify(drift)}::jsonb, true)` })
      .where(eq(allocations.systemId, systemId));
    if (previous.fingerprint === fingerprint && previous.healed === false) return false;
    const text = describeFindings(findings);
    await addEvent(tx, systemId, "Warning", "DriftDetected", heal ? `${text}; restoring` : `${text}; drift is only reported for this system`, now);
    await appendAudit(tx, {
      actorId: null,
      actorName: CONTROLLER_ACTOR,
      actorRole: null,
      action: "system.drift_detected",
      targetType: "information_system",
      targetId: systemId,
      before: { expected: findings.map((f) => ({ kind: f.kind, name: f.name, namespace: f.namespace })) },
      after: { findings, heal },
      correlationId: randomUUID(),
      at: now,
    });
    return true;
  });
}

/** Marks recorded drift as healed, with an audit entry. */
export async function recordHealed(ctx: ReconcileContext, work: Work, findings: DriftFinding[]): Promise<void> {
  const { systemId } = work.claim;
  const now = new Date();
  await fenced(ctx.db, systemId, ctx.config.owner, async (tx) => {
    await tx
      .update(allocations)
      .set({ outputs: sql`jsonb_set(${allocations.outputs}, '{drift,healed}', 'true'::jsonb, true)` })
      .where(eq(allocations.systemId, systemId));
    await addEvent(tx, systemId, "Normal", "DriftHealed", `restored: ${describeFindings(findings)}`, now);
    await appendAudit(tx, {
      actorId: null,
      actorName: CONTROLLER_ACTOR,
      actorRole: null,
      action: "system.drift_healed",
      targetType: "information_system",
      targetId: systemId,
      before: { findings },
      after: { healed: true },
      correlationId: randomUUID(),
      at: now,
    });
  });
}

/** Clears a drift record once the cluster matches again (e.g. someone undid their change). */
export async function clearDrift(ctx: ReconcileContext, systemId: string): Promise<void> {
  await ctx.db
    .update(allocations)
    .set({ outputs: sql`${allocations.outputs} - 'drift'` })
    .where(eq(allocations.systemId, systemId));
}

/** Quota usage into allocation_items.used, the usage history and the allocation's outputs. */
export async function syncUsage(ctx: ReconcileContext, systemId: string, namespace: string): Promise<void> {
  const usage = usageFromQuotas(await readQuotaUsage(ctx.kube.core, namespace));
  await writeUsage(ctx.db, systemId, usage);
  const now = new Date();
  await recordUsageSample(ctx.db, systemId, now);
  const record = { ...usage, at: now.toISOString() };
  await ctx.db
    .update(allocations)
    .set({ outputs: sql`jsonb_set(${allocations.outputs}, '{usage}', ${JSON.stringify(record)}::jsonb, true)` })
    .where(eq(allocations.systemId, systemId));
}
