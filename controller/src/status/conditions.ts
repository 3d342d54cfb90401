// Status conditions of an allocation, Kubernetes style: Ready, Reconciling, Stalled, each with a
// named reason. Pure.

import type { AllocationPhase, Condition } from "@zhengyun/db/schema";

export type ConditionType = Condition["type"];

/** Named reasons, so the portal and alerts can match on them. */
export const REASONS = {
  reconciled: "Reconciled",
  applying: "Applying",
  healingDrift: "HealingDrift",
  recovering: "RecoveringInterruptedRun",
  releasing: "Releasing",
  released: "Released",
  idle: "Idle",
  notStalled: "NotStalled",
  /** The engine or the API server refused the update (retried with backoff). */
  applyFailed: "ApplyFailed",
  releaseFailed: "ReleaseFailed",
  /** The policy catalog refuses the system's input: retrying cannot help until the data changes. */
  policyRefused: "PolicyRefused",
  invalidSystem: "InvalidSystem",
  /** Drift found on a system whose drift is only reported. */
  driftReported: "DriftReported",
} as const;

export type Reason = (typeof REASONS)[keyof typeof REASONS];

/** Sets one condition, keeping its lastTransitionTime when the status does not change. */
export function setCondition(conditions: readonly Condition[], next: Omit<Condition, "lastTransitionTime">, now: Date): Condition[] {
  const current = conditions.find((c) => c.type === next.type);
  const lastTransitionTime = current && current.status === next.status ? current.lastTransitionTime : now.toISOString();
  const updated: Condition = { ...next, lastTransitionTime };
  return [...conditions.filter((c) => c.type !== next.type), updated].sort((a, b) => order(a.type) - order(b.type));
}

const ORDER: ConditionType[] = ["Ready", "Reconciling", "Stalled"];
const order = (type: ConditionType) => ORDER.indexOf(type);

export interface StatusView {
  phase: AllocationPhase;
  conditions: Condition[];
}

type Set3 = {
  ready: [Condition["status"], Reason, string];
  reconciling: [Condition["status"], Reason, string];
  stalled: [Condition["status"], Reason, string];
};

function apply(conditions: readonly Condition[], set: Set3, now: Date): Condition[] {
  let out = setCondition(conditions, { type: "Ready", status: set.ready[0], reason: set.ready[1], message: set.ready[2] }, now);
  out = setCondition(out, { type: "Reconciling", status: set.reconciling[0], reason: set.reconciling[1], message: set.reconciling[2] }, now);
  return setCondition(out, { type: "Stalled", status: set.stalled[0], reason: set.stalled[1], message: set.stalled[2] }, now);
}

/** Work has started: `reason` says which (applying a new generation, healing drift, releasing). */
export function progressing(conditions: readonly Condition[], reason: Reason, message: string, now: Date, stillReady = false): StatusView {
  const releasing = reason === REASONS.releasing;
  return {
    phase: releasing ? "releasing" : "reconciling",
    conditions: apply(
      conditions,
      {
        ready: stillReady ? ["True", REASONS.reconciled, "the last applied generation is live"] : ["False", reason, message],
        reconciling: ["True", reason, message],
        stalled: ["False", REASONS.notStalled, ""],
      },
      now,
    ),
  };
}

export function ready(conditions: readonly Condition[], generation: number, now: Date): StatusView {
  return {
    phase: "ready",
    conditions: apply(
      conditions,
      {
        ready: ["True", REASONS.reconciled, `generation ${generation} is live on the cluster`],
        reconciling: ["False", REASONS.idle, ""],
        stalled: ["False", REASONS.notStalled, ""],
      },
      now,
    ),
  };
}

export function released(conditions: readonly Condition[], now: Date): StatusView {
  return {
    phase: "released",
    conditions: apply(
      conditions,
      {
        ready: ["False", REASONS.released, "the namespace and everything in it were removed"],
        reconciling: ["False", REASONS.idle, ""],
        stalled: ["False", REASONS.notStalled, ""],
      },
      now,
    ),
  };
}

export function stalled(conditions: readonly Condition[], reason: Reason, message: string, retryAt: Date | undefined, now: Date): StatusView {
  const retry = retryAt ? ` (next attempt at ${retryAt.toISOString()})` : "";
  return {
    phase: "stalled",
    conditions: apply(
      conditions,
      {
        ready: ["False", reason, message],
        reconciling: ["False", REASONS.idle, ""],
        stalled: ["True", reason, `${message}${retry}`],
      },
      now,
    ),
  };
}
