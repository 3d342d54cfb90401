// Prometheus metrics of one controller (its own registry, so several can run in one process).

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface Metrics {
  registry: Registry;
  reconcileDuration: Histogram<"action" | "result">;
  queueDepth: Gauge;
  inFlight: Gauge;
  driftFound: Counter<"kind" | "change">;
  failures: Counter<"reason">;
  leasesLost: Counter;
  evidenceFailures: Counter;
  controlsNotInForce: Gauge<"system">;
  observeRequests: Histogram<"source">;
}

export function createMetrics(queueDepth: () => Promise<number>, defaults = false): Metrics {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry, prefix: "zhengyun_controller_" });
  return {
    registry,
    reconcileDuration: new Histogram({
      name: "zhengyun_reconcile_duration_seconds",
      help: "Time to reconcile one system (apply, heal, release or check)",
      labelNames: ["action", "result"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: "zhengyun_reconcile_queue_depth",
      help: "Systems with work waiting (a new generation, an unfinished phase or an interrupted run)",
      registers: [registry],
      async collect() {
        this.set(await queueDepth().catch(() => Number.NaN));
      },
    }),
    inFlight: new Gauge({ name: "zhengyun_reconciles_in_flight", help: "Systems this replica is working on now", registers: [registry] }),
    driftFound: new Counter({
      name: "zhengyun_drift_found_total",
      help: "Objects found changed or deleted by hand",
      labelNames: ["kind", "change"],
      registers: [registry],
    }),
    failures: new Counter({
      name: "zhengyun_reconcile_failures_total",
      help: "Failed reconciles by reason",
      labelNames: ["reason"],
      registers: [registry],
    }),
    leasesLost: new Counter({ name: "zhengyun_leases_lost_total", help: "Work abandoned because its lease was taken over", registers: [registry] }),
    evidenceFailures: new Counter({
      name: "zhengyun_evidence_failures_total",
      help: "Compliance evidence reports that could not be read from the cluster or stored",
      registers: [registry],
    }),
    controlsNotInForce: new Gauge({
      name: "zhengyun_controls_not_in_force",
      help: "Controls of a system's level whose enforcing objects are missing or modified, per system, as of its latest evidence",
      labelNames: ["system"],
      registers: [registry],
    }),
    observeRequests: new Histogram({
      name: "zhengyun_check_api_requests",
      help: "Requests one observation of a system sends to the API server: source=system for its namespace (listed once per kind) and the namespace itself, source=shared for cluster-wide objects the shared cache did not hold",
      labelNames: ["source"],
      buckets: [2, 4, 8, 12, 16, 24, 32, 48, 64],
      registers: [registry],
    }),
  };
}
