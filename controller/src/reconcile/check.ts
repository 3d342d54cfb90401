// The periodic check of a live system: one observation of its namespace, compared with the desired
// state (drift), read for quota usage, and handed to the evidence report.

import { randomUUID } from "node:crypto";
import { appendAudit } from "@zhengyun/db/audit/append";
import type { SystemActor } from "@zhengyun/db/audit/vocabulary";
import { allocations } from "@zhengyun/db/schema";
import { recordUsageSample } from "@zhengyun/db/usage/history";
import { hashOf, refOf } from "@zhengyun/policies";
import { compareAll, describeFindings, evidenceSpec, type Finding, foreignFindings, type Observation, observe } from "@zhengyun/policies/observe";
import { eq, sql } from "drizzle-orm";
import type { DesiredState } from "../desired/build.js";
import { addEvent, fenced } from "../status/record.js";
import { usageFromQuotas, writeUsage } from "../usage/usage.js";
import type { ReconcileContext, Work } from "./context.js";

type Apply = Extract<DesiredState, { action: "apply" }>;

export const CONTROLLER_ACTOR: SystemActor = "zhengyun-controller";

/**
 * Everything a check compares, read once: the system's desired objects, what its evidence report
 * compares, and the namespace's objects that could weaken a control. Its namespace is listed one
 * request per kind; cluster-wide objects come through the shared cache.
 */
export async function observeSystem(ctx: ReconcileContext, desired: Apply): Promise<Observation> {
  const evidence = evidenceSpec(desired.input);
  const observed = await observe(
    ctx.kube.catalog,
    { namespace: desired.namespace, objects: [...desired.objects.map(refOf), ...evidence.objects], shared: evidence.shared },
    ctx.sharedObjects,
  );
  ctx.metrics.observeRequests.observe({ source: "system" }, observed.requests.own);
  ctx.metrics.observeRequests.observe({ source: "shared" }, observed.requests.shared);
  return observed;
}

/**
 * Objects of the system that differ from what was applied, and objects in its namespace the
 * platform did not create that weaken one of its controls. Pure.
 */
export function driftIn(desired: Apply, observed: Observation): Finding[] {
  const exempt = new Set((desired.input.exemptions ?? []).map((e) => e.control));
  return [...compareAll(desired.objects, observed), ...foreignFindings(desired.namespace, desired.input.level, observed.objects(), exempt)];
}

/** Deletes the foreign objects found (already gone is fine). */
export async function removeForeign(ctx: ReconcileContext, findings: readonly Finding[]): Promise<void> {
  for (const f of findings) {
    if (f.change !== "foreign") continue;
    await ctx.kube.catalog.delete({ apiVersion: f.apiVersion, kind: f.kind, name: f.name, namespace: f.namespace });
  }
}

/**
 * Records drift: a system event and an audit entry (the auditor sees every change made outside the
 * platform). The same findings are recorded once, not on every check while they persist.
 */
export async function recordDrift(ctx: ReconcileContext, work: Work, findings: Finding[], heal: boolean): Promise<boolean> {
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
      targetType: "system",
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
export async function recordHealed(ctx: ReconcileContext, work: Work, findings: Finding[]): Promise<void> {
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
      targetType: "system",
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

/** Quota usage (the `status.used` of the namespace's quotas) into allocation_items.used and the allocation's outputs. */
export async function syncUsage(ctx: ReconcileContext, systemId: string, observed: Observation): Promise<void> {
  const quotas = observed.ofKind("v1", "ResourceQuota");
  const usage = usageFromQuotas(quotas.map((q) => (q.status as { used?: Record<string, string> } | undefined)?.used ?? {}));
  const now = new Date();
  const record = { ...usage, at: now.toISOString() };
  // One transaction: a reader never sees one resource's usage updated and another's not yet.
  await ctx.db.transaction(async (tx) => {
    await writeUsage(tx, systemId, usage);
    await recordUsageSample(tx, systemId, now);
    await tx
      .update(allocations)
      .set({ outputs: sql`jsonb_set(${allocations.outputs}, '{usage}', ${JSON.stringify(record)}::jsonb, true)` })
      .where(eq(allocations.systemId, systemId));
  });
}
