// Writes the controller's findings back to PostgreSQL: allocation phase, conditions and outputs,
// system events, the run history and the request's outcome. Every write that follows a claim is
// fenced: it happens only while this replica still holds the lease.

import type { Db, Tx } from "@zhengyun/db/client";
import { completeProvisioning } from "@zhengyun/db/requests/platform";
import { allocations, type Condition, reconcileRuns, reconcileStates, resourceRequests, systemEvents } from "@zhengyun/db/schema";
import { and, eq, isNull, sql } from "drizzle-orm";
import { LeaseLost } from "../claims/claims.js";
import type { StatusView } from "./conditions.js";

export type EventType = "Normal" | "Warning";

/** Runs `fn` in a transaction that holds this replica's lease on the system, or throws LeaseLost. */
export async function fenced<T>(db: Db, systemId: string, owner: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const [held] = await tx
      .select({ systemId: reconcileStates.systemId })
      .from(reconcileStates)
      .where(and(eq(reconcileStates.systemId, systemId), eq(reconcileStates.leaseOwner, owner)))
      .for("update");
    if (!held) throw new LeaseLost(systemId, owner);
    return fn(tx as unknown as Tx);
  });
}

export async function addEvent(tx: Db | Tx, systemId: string, type: EventType, reason: string, message: string, at = new Date()): Promise<void> {
  await tx.insert(systemEvents).values({ systemId, type, reason, message: message.slice(0, 4000), at });
}

/** Current conditions and outputs of the allocation (to build the next status from). */
export async function currentStatus(tx: Db | Tx, systemId: string) {
  const [row] = await tx
    .select({ generation: allocations.generation, conditions: allocations.conditions, outputs: allocations.outputs, requestId: allocations.requestId })
    .from(allocations)
    .where(eq(allocations.systemId, systemId));
  return row ?? { generation: 0, conditions: [] as Condition[], outputs: {} as Record<string, unknown>, requestId: null };
}

export async function writeStatus(
  tx: Db | Tx,
  systemId: string,
  status: StatusView,
  outputs?: Record<string, unknown>,
  observedGeneration?: number,
): Promise<void> {
  await tx
    .update(allocations)
    .set({
      phase: status.phase,
      conditions: status.conditions,
      ...(outputs ? { outputs } : {}),
      // Never past the generation (a newer grant may have arrived meanwhile), never backwards.
      ...(observedGeneration !== undefined
        ? { observedGeneration: sql`least(${allocations.generation}, greatest(${allocations.observedGeneration}, ${observedGeneration}))` }
        : {}),
      updatedAt: new Date(),
    })
    .where(eq(allocations.systemId, systemId));
}

/** Marks runs of a holder that died as interrupted. */
export async function closeInterruptedRuns(tx: Db | Tx, systemId: string, now: Date): Promise<number> {
  const closed = await tx
    .update(reconcileRuns)
    .set({ finishedAt: now, result: "interrupted", error: "the controller running it stopped before it finished" })
    .where(and(eq(reconcileRuns.systemId, systemId), isNull(reconcileRuns.finishedAt)))
    .returning({ id: reconcileRuns.id });
  return closed.length;
}

export async function startRun(tx: Db | Tx, systemId: string, owner: string, generation: number, action: string, now: Date): Promise<number> {
  await tx.update(reconcileStates).set({ runStartedAt: now, updatedAt: now }).where(eq(reconcileStates.systemId, systemId));
  const [run] = await tx.insert(reconcileRuns).values({ systemId, owner, generation, action, startedAt: now }).returning({ id: reconcileRuns.id });
  return run!.id;
}

export async function finishRun(
  tx: Db | Tx,
  runId: number,
  result: "succeeded" | "failed",
  now: Date,
  extra: { error?: string; changes?: Record<string, number> } = {},
): Promise<void> {
  await tx
    .update(reconcileRuns)
    .set({ finishedAt: now, result, error: extra.error ?? null, changes: extra.changes ?? null })
    .where(eq(reconcileRuns.id, runId));
}

/** Progress of a running apply, visible in the allocation's outputs while it runs (not fenced: advisory). */
export async function writeProgress(db: Db, systemId: string, progress: Record<string, unknown>): Promise<void> {
  await db
    .update(allocations)
    .set({ outputs: sql`jsonb_set(${allocations.outputs}, '{progress}', ${JSON.stringify(progress)}::jsonb, true)` })
    .where(eq(allocations.systemId, systemId));
}

/**
 * Reports a provisioning request's outcome (provisioning → active or failed). A request no longer
 * provisioning (already reported, withdrawn by expiry) is left alone.
 */
export async function reportRequest(db: Db, requestId: string | null, result: { ok: true } | { ok: false; reason: string }): Promise<boolean> {
  if (!requestId) return false;
  const [request] = await db.select({ state: resourceRequests.state }).from(resourceRequests).where(eq(resourceRequests.id, requestId));
  // A failed request whose grant the controller kept retrying becomes active when a retry succeeds.
  const reportable = request?.state === "provisioning" || (result.ok && request?.state === "failed");
  if (!reportable) return false;
  try {
    await completeProvisioning(db, requestId, result);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === "INVALID_STATE") return false;
    throw err;
  }
}

/** Records a successful run: the generation and desired-state hash now live, backoff cleared. */
export async function markApplied(tx: Db | Tx, systemId: string, generation: number, hash: string, at: Date): Promise<void> {
  await tx
    .update(reconcileStates)
    .set({
      appliedGeneration: generation,
      appliedHash: hash,
      appliedAt: at,
      attempts: 0,
      notBefore: null,
      failedGeneration: null,
      lastError: null,
      runStartedAt: null,
      updatedAt: at,
    })
    .where(eq(reconcileStates.systemId, systemId));
}
