// Applying a system's desired state: a new generation, a repaired interrupted run, or healing drift.

import { objectKey } from "@zhengyun/policies";
import { compareAll, describeFindings, enforce, type Observation } from "@zhengyun/policies/observe";
import type { DesiredState } from "../desired/build.js";
import { recordEvidenceQuietly } from "../evidence/record.js";
import { progressing, REASONS, type Reason, ready } from "../status/conditions.js";
import { addEvent, closeInterruptedRuns, currentStatus, fenced, finishRun, markApplied, reportRequest, startRun, writeStatus } from "../status/record.js";
import { observeSystem } from "./check.js";
import type { ReconcileContext, RunRef, Work } from "./context.js";
import { progressWriter } from "./progress.js";

type Apply = Extract<DesiredState, { action: "apply" }>;

/** The field manager of what healing writes back directly. */
export const ENFORCE_MANAGER = "zhengyun-controller";

function mergeChanges(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [op, n] of Object.entries(b)) if (op !== "same") out[op] = (out[op] ?? 0) + n;
  return out;
}

export interface ApplyResult {
  changes: Record<string, number>;
  /** Objects the engine left drifted and that were written back directly. */
  enforced: string[];
  runId: number;
  /** The system as the run left it (drift, evidence). */
  observed: Observation;
}

/** Brings the cluster to `desired`, then records the result. Throws on failure (the caller records it). */
export async function applyDesired(ctx: ReconcileContext, work: Work, desired: Apply, reason: Reason, runRef: RunRef): Promise<ApplyResult> {
  const { claim, snapshot } = work;
  const { systemId } = claim;
  const owner = ctx.config.owner;
  const started = new Date();
  const healing = reason === REASONS.healingDrift;
  const message = healing
    ? "restoring objects changed by hand"
    : claim.interrupted
      ? `repairing the run interrupted on generation ${snapshot.generation}, then applying it`
      : `applying generation ${snapshot.generation}`;

  runRef.action = healing ? "heal" : "apply";
  runRef.id = await fenced(ctx.db, systemId, owner, async (tx) => {
    if (claim.interrupted) {
      const closed = await closeInterruptedRuns(tx, systemId, started);
      await addEvent(tx, systemId, "Warning", "RunInterrupted", `${closed} run(s) stopped without finishing; repairing the stack before applying`, started);
    }
    const current = await currentStatus(tx, systemId);
    const status = progressing(current.conditions, claim.interrupted ? REASONS.recovering : reason, message, started, healing);
    await writeStatus(tx, systemId, status, {
      ...current.outputs,
      progress: { step: healing ? "healing" : "applying", done: 0, total: desired.objects.length, at: started.toISOString() },
    });
    await addEvent(tx, systemId, "Normal", healing ? "HealStarted" : "ApplyStarted", message, started);
    return startRun(tx, systemId, owner, snapshot.generation, healing ? "heal" : "apply", started);
  });

  const progress = progressWriter(ctx.db, systemId, healing ? "healing" : "applying");
  const up = (refresh: boolean, recover: boolean) =>
    ctx.applier.applySystem(systemId, desired.spec, {
      recover,
      refresh,
      expected: desired.objects.length,
      onProgress: progress.onProgress,
      signal: work.signal,
    });
  // Healing and repairing start from what the cluster holds. A plain apply trusts the state and
  // checks the result instead, which is cheaper than refreshing every time.
  let result = await up(healing || claim.interrupted, claim.interrupted);
  let observed = await observeSystem(ctx, desired);
  let residual = compareAll(desired.objects, observed);
  if (residual.some((f) => f.change === "missing")) {
    // Deleted by hand since the last check: the state still lists it, so refresh and apply again.
    const again = await up(true, false);
    result = { ...result, changes: mergeChanges(result.changes, again.changes) };
    observed = await observeSystem(ctx, desired);
    residual = compareAll(desired.objects, observed);
  }
  await progress.flush();

  // What server-side apply could not restore (fields added under ours by another manager).
  const enforcedObjects: string[] = [];
  for (const finding of residual) {
    const object = desired.objects.find((o) => o.kind === finding.kind && o.metadata.name === finding.name);
    const current = object && observed.get(objectKey(object));
    if (!object || !current) throw new Error(`after the update, ${describeFindings([finding])}`);
    await ctx.kube.catalog.replace(enforce(object, current), ENFORCE_MANAGER);
    enforcedObjects.push(`${finding.kind} ${finding.name}`);
  }
  if (enforcedObjects.length > 0) observed = await observeSystem(ctx, desired);

  const finished = new Date();
  await fenced(ctx.db, systemId, owner, async (tx) => {
    const current = await currentStatus(tx, systemId);
    const upToDate = current.generation === snapshot.generation;
    const status = upToDate
      ? ready(current.conditions, snapshot.generation, finished)
      : progressing(current.conditions, REASONS.applying, `generation ${current.generation} is waiting`, finished);
    const outputs = {
      namespace: desired.namespace,
      objectCount: desired.objects.length,
      appliedGeneration: snapshot.generation,
      appliedHash: desired.hash,
      lastRun: {
        action: healing ? "heal" : "apply",
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - started.getTime(),
        changes: result.changes,
      },
      progress: { step: "done", done: desired.objects.length, total: desired.objects.length, at: finished.toISOString() },
      ...(current.outputs.drift ? { drift: current.outputs.drift } : {}),
      ...(current.outputs.usage ? { usage: current.outputs.usage } : {}),
    };
    await writeStatus(tx, systemId, status, outputs, snapshot.generation);
    await markApplied(tx, systemId, snapshot.generation, desired.hash, finished);
    await finishRun(tx, runRef.id!, "succeeded", finished, { changes: result.changes });
    const dropped = result.recovery?.droppedPendingOperations ?? [];
    if (result.recovery) {
      await addEvent(
        tx,
        systemId,
        "Normal",
        "StackRepaired",
        dropped.length ? `dropped pending operations: ${dropped.join(", ")}` : "lock cleared, state refreshed",
        finished,
      );
    }
    if (enforcedObjects.length) await addEvent(tx, systemId, "Normal", "FieldsRestored", `written back directly: ${enforcedObjects.join(", ")}`, finished);
    const summary =
      Object.entries(result.changes)
        .map(([op, n]) => `${op} ${n}`)
        .join(", ") || "no changes";
    await addEvent(tx, systemId, "Normal", healing ? "Healed" : "Applied", `generation ${snapshot.generation}: ${summary}`, finished);
  });
  await recordEvidenceQuietly(ctx, systemId, desired.input, work.log, observed);
  if (snapshot.requestId) await reportRequest(ctx.db, snapshot.requestId, { ok: true });
  return { changes: result.changes, enforced: enforcedObjects, runId: runRef.id!, observed };
}
