// Releasing a system: destroy its stack (the namespace, and with it everything inside), make sure
// the namespace is gone, report the release request.

import type { DesiredState } from "../desired/build.js";
import { ensureNamespaceGone } from "../kube.js";
import { progressing, REASONS, released } from "../status/conditions.js";
import { addEvent, closeInterruptedRuns, currentStatus, fenced, finishRun, markApplied, reportRequest, startRun, writeStatus } from "../status/record.js";
import type { ReconcileContext, RunRef, Work } from "./context.js";
import { progressWriter } from "./progress.js";

type Release = Extract<DesiredState, { action: "release" }>;

export async function releaseSystem(ctx: ReconcileContext, work: Work, desired: Release, runRef: RunRef): Promise<void> {
  const { claim, snapshot } = work;
  const { systemId } = claim;
  const owner = ctx.config.owner;
  const started = new Date();

  runRef.action = "release";
  runRef.id = await fenced(ctx.db, systemId, owner, async (tx) => {
    if (claim.interrupted) await closeInterruptedRuns(tx, systemId, started);
    const current = await currentStatus(tx, systemId);
    await writeStatus(tx, systemId, progressing(current.conditions, REASONS.releasing, `removing namespace ${desired.namespace}`, started), {
      ...current.outputs,
      progress: { step: "releasing", done: 0, total: 1, at: started.toISOString() },
    });
    await addEvent(tx, systemId, "Normal", "ReleaseStarted", `removing namespace ${desired.namespace} and everything in it`, started);
    return startRun(tx, systemId, owner, snapshot.generation, "release", started);
  });

  const progress = progressWriter(ctx.db, systemId, "releasing");
  const result = await ctx.applier.releaseSystem(systemId, {
    recover: claim.interrupted,
    onProgress: progress.onProgress,
    signal: work.signal,
  });
  await progress.flush();
  const leftover = await ensureNamespaceGone(ctx.kube.core, desired.namespace, systemId);

  const finished = new Date();
  await fenced(ctx.db, systemId, owner, async (tx) => {
    const current = await currentStatus(tx, systemId);
    const outputs = {
      namespace: desired.namespace,
      objectCount: 0,
      appliedGeneration: snapshot.generation,
      appliedHash: desired.hash,
      lastRun: {
        action: "release",
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - started.getTime(),
        changes: result.changes,
      },
      progress: { step: "done", done: 1, total: 1, at: finished.toISOString() },
    };
    await writeStatus(tx, systemId, released(current.conditions, finished), outputs, snapshot.generation);
    await markApplied(tx, systemId, snapshot.generation, desired.hash, finished);
    await finishRun(tx, runRef.id!, "succeeded", finished, { changes: result.changes });
    await addEvent(
      tx,
      systemId,
      "Normal",
      "Released",
      leftover ? `namespace ${desired.namespace} removed (it was not in the stack's state)` : `namespace ${desired.namespace} removed`,
      finished,
    );
  });
  if (snapshot.requestId) await reportRequest(ctx.db, snapshot.requestId, { ok: true });
}
