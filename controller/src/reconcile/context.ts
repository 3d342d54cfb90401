import type { Db, SqlPool } from "@zhengyun/db/client";
import type { SharedObjects } from "@zhengyun/policies/observe";
import type { Logger } from "pino";
import type { Applier } from "../apply/applier.js";
import type { Claim } from "../claims/claims.js";
import type { ControllerConfig } from "../config.js";
import type { SystemSnapshot } from "../desired/snapshot.js";
import type { KubeClients } from "../kube.js";
import type { Metrics } from "../metrics.js";

export interface ReconcileContext {
  db: Db;
  pool: SqlPool;
  config: ControllerConfig;
  /** What brings the cluster to a desired state (the engine, owning each stack's lifecycle). */
  applier: Applier;
  kube: KubeClients;
  /** Cluster-wide objects the evidence reports of all systems compare, read once and shared. */
  sharedObjects: SharedObjects;
  log: Logger;
  metrics: Metrics;
}

/** One claimed system being worked on. */
export interface Work {
  claim: Claim;
  snapshot: SystemSnapshot;
  /** Aborted when the lease is lost: the run must stop touching the cluster. */
  signal: AbortSignal;
  log: Logger;
}

/** What the worker does with the lease when the run is over. */
export interface Outcome {
  action: "apply" | "heal" | "release" | "check" | "none";
  result: "succeeded" | "failed" | "skipped";
  /** The desired state changes on its own then (an exemption lapses). */
  requeueAt?: Date;
}

/** The run a reconcile started (to close it when the attempt fails). */
export interface RunRef {
  id?: number;
  action?: Outcome["action"];
}
