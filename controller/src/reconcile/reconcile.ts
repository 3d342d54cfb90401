// One claimed system, start to finish: snapshot → desired state → apply / release / check → status.

import { reconcileStates } from "@zhengyun/db/schema";
import { describeFindings } from "@zhengyun/policies/observe";
import { eq } from "drizzle-orm";
import { backoffDelay } from "../claims/backoff.js";
import type { Claim } from "../claims/claims.js";
import { LeaseLost } from "../claims/claims.js";
import { loadSnapshot } from "../db/snapshot.js";
import { type DesiredState, desiredState } from "../desired/build.js";
import { recordEvidenceQuietly } from "../evidence/record.js";
import { REASONS, type Reason, stalled } from "../status/conditions.js";
import { addEvent, currentStatus, fenced, finishRun, reportRequest, writeStatus } from "../status/record.js";
import { applyDesired } from "./apply.js";
import { clearDrift, driftIn, observeSystem, recordDrift, recordHealed, removeForeign, syncUsage } from "./check.js";
import type { Outcome, ReconcileContext, RunRef, Work } from "./context.js";
import { releaseSystem } from "./release.js";

type Apply = Extract<DesiredState, { action: "apply" }>;

class PermanentFailure extends Error {
  constructor(
    readonly reason: Reason,
    message: string,
  ) {
    super(message);
  }
}

function needsApply(claim: Claim, generation: number, desired: Apply): boolean {
  return claim.interrupted || claim.observedGeneration < generation || claim.appliedHash !== desired.hash || claim.phase !== "ready";
}

async function check(ctx: ReconcileContext, work: Work, desired: Apply, runRef: RunRef): Promise<Outcome> {
  const { claim, snapshot } = work;
  // One read of the namespace serves drift, usage and evidence alike.
  const observed = await observeSystem(ctx, desired);
  const findings = driftIn(desired, observed);
  await syncUsage(ctx, claim.systemId, observed).catch((err) => work.log.warn({ err }, "usage sync failed"));
  // What an assessor would have found now, drift included; healing records it again once restored.
  await recordEvidenceQuietly(ctx, claim.systemId, desired.input, work.log, observed);
  if (findings.length === 0) {
    await clearDrift(ctx, claim.systemId);
    return { action: "check", result: "succeeded", requeueAt: desired.requeueAt };
  }
  for (const f of findings) ctx.metrics.driftFound.inc({ kind: f.kind, change: f.change });
  const heal = !snapshot.driftReportOnly;
  const recorded = await recordDrift(ctx, work, findings, heal);
  work.log.warn({ drift: describeFindings(findings), heal, recorded }, "drift detected");
  if (!heal) return { action: "check", result: "succeeded", requeueAt: desired.requeueAt };
  // Foreign objects go first, so the evidence recorded after the apply sees the namespace healed.
  await removeForeign(ctx, findings);
  const healed = await applyDesired(ctx, work, desired, REASONS.healingDrift, runRef);
  const after = driftIn(desired, healed.observed);
  if (after.length > 0) throw new Error(`drift persists after healing: ${describeFindings(after)}`);
  await recordHealed(ctx, work, findings);
  return { action: "heal", result: "succeeded", requeueAt: desired.requeueAt };
}

async function run(ctx: ReconcileContext, work: Work, desired: DesiredState, runRef: RunRef): Promise<Outcome> {
  const { claim, snapshot } = work;
  if (desired.action === "invalid") throw new PermanentFailure(desired.reason as Reason, desired.message);
  if (desired.action === "release") {
    const done = claim.phase === "released" && claim.observedGeneration >= snapshot.generation && !claim.interrupted && claim.appliedHash === desired.hash;
    if (done) {
      if (snapshot.requestId) await reportRequest(ctx.db, snapshot.requestId, { ok: true });
      return { action: "none", result: "skipped" };
    }
    await releaseSystem(ctx, work, desired, runRef);
    return { action: "release", result: "succeeded" };
  }
  if (needsApply(claim, snapshot.generation, desired)) {
    await applyDesired(ctx, work, desired, REASONS.applying, runRef);
    return { action: "apply", result: "succeeded", requeueAt: desired.requeueAt };
  }
  // A previous run may have stopped between its status write and reporting the request.
  if (snapshot.requestId) await reportRequest(ctx.db, snapshot.requestId, { ok: true });
  if (claim.checkDue) return check(ctx, work, desired, runRef);
  return { action: "none", result: "skipped", requeueAt: desired.requeueAt };
}

/** Records a failed attempt: backoff, Stalled, the run, an event; reports the request failed when it is hopeless. */
async function recordFailure(ctx: ReconcileContext, work: Work, err: unknown, runRef: RunRef): Promise<void> {
  const runId = runRef.id;
  const { claim, snapshot } = work;
  const { systemId } = claim;
  const permanent = err instanceof PermanentFailure;
  const reason: Reason = permanent ? err.reason : runRef.action === "release" ? REASONS.releaseFailed : REASONS.applyFailed;
  const message = String((err as Error)?.message ?? err).slice(0, 2000);
  const now = new Date();
  const attempts = await fenced(ctx.db, systemId, ctx.config.owner, async (tx) => {
    const [state] = await tx
      .select({ attempts: reconcileStates.attempts, failedGeneration: reconcileStates.failedGeneration })
      .from(reconcileStates)
      .where(eq(reconcileStates.systemId, systemId));
    const n = (state?.failedGeneration === snapshot.generation ? state.attempts : 0) + 1;
    const retryAt = new Date(now.getTime() + backoffDelay(n, { baseMs: ctx.config.backoffBaseMs, capMs: ctx.config.backoffCapMs }));
    await tx
      .update(reconcileStates)
      .set({ attempts: n, notBefore: retryAt, failedGeneration: snapshot.generation, lastError: message, runStartedAt: null, updatedAt: now })
      .where(eq(reconcileStates.systemId, systemId));
    const current = await currentStatus(tx, systemId);
    await writeStatus(tx, systemId, stalled(current.conditions, reason, message, retryAt, now));
    if (runId !== undefined) await finishRun(tx, runId, "failed", now, { error: message });
    await addEvent(tx, systemId, "Warning", reason, `attempt ${n} failed: ${message}`, now);
    return n;
  });
  ctx.metrics.failures.inc({ reason });
  if (permanent || attempts >= ctx.config.failRequestAfter) {
    await reportRequest(ctx.db, snapshot.requestId, { ok: false, reason: `${reason}: ${message}`.slice(0, 1000) });
  }
}

/** Reconciles one claimed system. Never throws: failures are recorded on the system. */
export async function reconcileClaim(ctx: ReconcileContext, claim: Claim, signal: AbortSignal): Promise<Outcome> {
  const log = ctx.log.child({ systemId: claim.systemId, generation: claim.generation });
  const started = process.hrtime.bigint();
  const runRef: RunRef = {};
  let outcome: Outcome = { action: "none", result: "skipped" };
  let work: Work | undefined;
  try {
    const snapshot = await loadSnapshot(ctx.db, claim.systemId);
    if (!snapshot) return outcome;
    work = { claim, snapshot, signal, log };
    const desired = desiredState(snapshot, { tenantRole: ctx.config.tenantRole });
    outcome = await run(ctx, work, desired, runRef);
    if (outcome.result === "succeeded") log.info({ action: outcome.action }, "reconciled");
    return outcome;
  } catch (err) {
    if (err instanceof LeaseLost || signal.aborted) {
      ctx.metrics.leasesLost.inc();
      log.warn({ err: String(err) }, "lease lost: leaving the system to its new holder");
      return { action: outcome.action, result: "failed" };
    }
    log.error({ err: String((err as Error)?.stack ?? err) }, "reconcile failed");
    outcome = { action: runRef.action ?? "check", result: "failed" };
    if (work) {
      await recordFailure(ctx, work, err, runRef).catch((e) => log.error({ err: String(e) }, "could not record the failure"));
    }
    return outcome;
  } finally {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    ctx.metrics.reconcileDuration.observe({ action: outcome.action, result: outcome.result }, seconds);
  }
}
