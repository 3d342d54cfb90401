// The cluster-wide baseline (admission policies, egress namespace, storage classes, the controller's
// RBAC): applied before any system, re-applied when the catalog changes or the cluster drifted.

import { platformBaselines } from "@zhengyun/db/schema";
import { baselineObjects } from "@zhengyun/infra/components/platform-baseline";
import { hashOf, refOf } from "@zhengyun/policies";
import { compareAll, describeFindings, observe } from "@zhengyun/policies/observe";
import { eq } from "drizzle-orm";
import { compileBaseline } from "../desired/catalog.js";
import type { ReconcileContext } from "./context.js";

/** Serialises baseline updates across replicas. */
const BASELINE_LOCK = 715101;

function desiredBaseline(ctx: ReconcileContext) {
  const args = {
    policyObjects: compileBaseline(),
    storage: { provisioner: ctx.config.storageProvisioner },
    controllerServiceAccount: ctx.config.serviceAccount,
    controllerUser: ctx.config.controllerUser,
  };
  const objects = baselineObjects({
    policyObjects: args.policyObjects,
    provisioner: ctx.config.storageProvisioner,
    controllerServiceAccount: args.controllerServiceAccount,
    controllerUser: args.controllerUser,
  });
  return { args, objects, hash: hashOf(objects) };
}

/**
 * Applies the baseline if the catalog changed since it was last applied or the cluster no longer
 * matches it. Returns what was done.
 */
export async function ensureBaseline(ctx: ReconcileContext, signal?: AbortSignal): Promise<"unchanged" | "applied"> {
  const desired = desiredBaseline(ctx);
  const cluster = ctx.config.cluster;
  const [row] = await ctx.db.select().from(platformBaselines).where(eq(platformBaselines.cluster, cluster));
  const drift = compareAll(desired.objects, await observe(ctx.kube.catalog, { objects: desired.objects.map(refOf) }));
  if (row?.appliedHash === desired.hash && drift.length === 0) return "unchanged";

  const client = await ctx.pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [BASELINE_LOCK]);
    // Another replica may have applied it while this one waited for the lock.
    const [again] = await ctx.db.select().from(platformBaselines).where(eq(platformBaselines.cluster, cluster));
    if (again?.appliedHash === desired.hash && again.appliedAt > (row?.appliedAt ?? new Date(0))) return "unchanged";
    if (drift.length > 0 && row?.appliedHash === desired.hash) {
      ctx.log.warn({ drift: describeFindings(drift) }, "baseline drifted; restoring");
      for (const f of drift) ctx.metrics.driftFound.inc({ kind: f.kind, change: f.change });
    }
    const result = await ctx.applier.applyBaseline(cluster, desired.args, {
      refresh: true,
      expected: desired.objects.length,
      signal,
    });
    await ctx.db
      .insert(platformBaselines)
      .values({ cluster, appliedHash: desired.hash, appliedAt: new Date() })
      .onConflictDoUpdate({ target: platformBaselines.cluster, set: { appliedHash: desired.hash, appliedAt: new Date() } });
    ctx.log.info({ changes: result.changes, durationMs: result.durationMs }, "baseline applied");
    return "applied";
  } finally {
    await client.query("select pg_advisory_unlock($1)", [BASELINE_LOCK]).catch(() => undefined);
    client.release();
  }
}
