// The controller's side of the unified internet egress: keeps the gateway's configuration equal to
// the approved grants, ships the gateway's access log into PostgreSQL, keeps partitions ahead,
// drops expired months and summarises each finished day into the audit chain.

import type { Db } from "@zhengyun/db/client";
import { GATEWAY_SYSTEM_PORTS } from "@zhengyun/policies/controls/zone-egress/control";
import { Counter, type Registry } from "prom-client";
import type { ApplyResult } from "./gateway.js";
import { type GatewaySettings, type RenderedGateway, renderGateway } from "./render.js";
import { dropExpiredPartitions, ensurePartitions, MIN_RETENTION_DAYS, type ShipResult, summariseDays } from "./store.js";
import { loadGatewaySystems } from "./systems.js";

type Env = Record<string, string | undefined>;

export interface EgressConfig {
  /**
   * `local`: run Squid on this host (product mode, tests); `cluster`: run it as the Deployment in
   * the `zhengyun-egress` namespace (cluster.ts); `off`: the controller does nothing for the egress.
   */
  mode: "local" | "cluster" | "off";
  /** In `cluster` mode: the gateway image, where the collector listens, and the address the gateway pods send to. */
  cluster?: { image: string; collectorListen: { host: string; port: number }; collector: string; replicas: number };
  squid: string;
  /** First and last gateway port handed to systems; the closed port sits just below the first. */
  firstPort: number;
  lastPort: number;
  listenAddress: string | undefined;
  /** Days the connection log is kept (at least 180, 网络安全法 Art. 21). */
  retentionDays: number;
  intervalMs: number;
}

export function loadEgressConfig(env: Env = process.env): EgressConfig {
  const mode = env.ZHENGYUN_EGRESS ?? "off";
  if (mode !== "local" && mode !== "cluster" && mode !== "off") throw new Error(`ZHENGYUN_EGRESS must be local, cluster or off, got ${JSON.stringify(mode)}`);
  const retention = env.ZHENGYUN_EGRESS_RETENTION_DAYS ? Number(env.ZHENGYUN_EGRESS_RETENTION_DAYS) : MIN_RETENTION_DAYS;
  if (!Number.isInteger(retention) || retention < MIN_RETENTION_DAYS)
    throw new Error(
      `ZHENGYUN_EGRESS_RETENTION_DAYS must be a whole number of days, at least ${MIN_RETENTION_DAYS} (网络安全法 Art. 21), got ${env.ZHENGYUN_EGRESS_RETENTION_DAYS}`,
    );
  const firstPort = env.ZHENGYUN_EGRESS_FIRST_PORT ? Number(env.ZHENGYUN_EGRESS_FIRST_PORT) : GATEWAY_SYSTEM_PORTS.first;
  if (!Number.isInteger(firstPort) || firstPort < 2 || firstPort > 65000) throw new Error("ZHENGYUN_EGRESS_FIRST_PORT must be a port from 2 to 65000");
  let cluster: EgressConfig["cluster"];
  if (mode === "cluster") {
    const image = env.ZHENGYUN_EGRESS_IMAGE;
    const collector = env.ZHENGYUN_EGRESS_COLLECTOR;
    if (!image) throw new Error("ZHENGYUN_EGRESS=cluster needs ZHENGYUN_EGRESS_IMAGE (the gateway image, from the platform registry)");
    if (!collector || !/^[^\s:]+:\d+$/.test(collector))
      throw new Error("ZHENGYUN_EGRESS=cluster needs ZHENGYUN_EGRESS_COLLECTOR=host:port (where the gateway pods send their access log)");
    const listen = env.ZHENGYUN_EGRESS_COLLECTOR_LISTEN ?? `0.0.0.0:${collector.split(":")[1]}`;
    const at = listen.lastIndexOf(":");
    const replicas = env.ZHENGYUN_EGRESS_REPLICAS ? Number(env.ZHENGYUN_EGRESS_REPLICAS) : 2;
    if (!Number.isInteger(replicas) || replicas < 1) throw new Error("ZHENGYUN_EGRESS_REPLICAS must be a whole number, at least 1");
    cluster = { image, collector, collectorListen: { host: listen.slice(0, at), port: Number(listen.slice(at + 1)) }, replicas };
  }
  return {
    mode,
    cluster,
    squid: env.ZHENGYUN_EGRESS_SQUID ?? "/usr/sbin/squid",
    firstPort,
    lastPort: Math.min(65535, firstPort + (GATEWAY_SYSTEM_PORTS.last - GATEWAY_SYSTEM_PORTS.first)),
    listenAddress: env.ZHENGYUN_EGRESS_LISTEN ?? "127.0.0.1",
    retentionDays: retention,
    intervalMs: env.ZHENGYUN_EGRESS_INTERVAL_MS ? Number(env.ZHENGYUN_EGRESS_INTERVAL_MS) : 5_000,
  };
}

export interface EgressMetrics {
  connections: Counter<"system" | "action">;
  bytes: Counter<"system" | "direction">;
}

/** Per-system counters; the system label is a namespace the gateway serves (or `unknown`), never free text. */
export function egressMetrics(registry: Registry): EgressMetrics {
  return {
    connections: new Counter({
      name: "zhengyun_egress_connections_total",
      help: "Connections through the unified internet egress, per system and whether they were allowed",
      labelNames: ["system", "action"],
      registers: [registry],
    }),
    bytes: new Counter({
      name: "zhengyun_egress_bytes_total",
      help: "Bytes through the unified internet egress, per system; in = received by the system",
      labelNames: ["system", "direction"],
      registers: [registry],
    }),
  };
}

/** A running gateway: Squid on this host (gateway.ts) or the Deployment in the cluster (cluster.ts). */
export interface GatewayRuntime {
  settings(): GatewaySettings;
  /** Puts a rendered configuration in force. */
  apply(rendered: RenderedGateway): Promise<ApplyResult>;
  /** Stores the connection records logged since the last call. */
  collect(db: Db, source: string): Promise<ShipResult>;
}

export class EgressService {
  constructor(
    private readonly db: Db,
    private readonly config: EgressConfig,
    private readonly gateway: GatewayRuntime | undefined,
    private readonly metrics: EgressMetrics | undefined,
    private readonly source = "local",
  ) {}

  /** Renders the grants and puts the configuration in force (no-op when the hash is unchanged). */
  async syncGateway() {
    if (!this.gateway) return undefined;
    const systems = await loadGatewaySystems(this.db, this.config.firstPort, this.config.lastPort);
    const rendered = renderGateway(systems, this.gateway.settings());
    const result = await this.gateway.apply(rendered);
    return { rendered, result };
  }

  /** Stores the new access-log lines and counts them on /metrics. */
  async ship() {
    if (!this.gateway) return undefined;
    const shipped = await this.gateway.collect(this.db, this.source);
    if (this.metrics)
      for (const [system, c] of shipped.bySystem) {
        if (c.allowed) this.metrics.connections.inc({ system, action: "allowed" }, c.allowed);
        if (c.denied) this.metrics.connections.inc({ system, action: "denied" }, c.denied);
        if (c.bytesIn) this.metrics.bytes.inc({ system, direction: "in" }, c.bytesIn);
        if (c.bytesOut) this.metrics.bytes.inc({ system, direction: "out" }, c.bytesOut);
      }
    return shipped;
  }

  /** Partitions ahead, retention, and the summaries of finished days. */
  async maintain(now = new Date()) {
    await ensurePartitions(this.db, now, 2);
    const dropped = await dropExpiredPartitions(this.db, now, this.config.retentionDays);
    const summarised = await summariseDays(this.db, now);
    return { dropped, summarised };
  }

  async tick(now = new Date()) {
    await this.syncGateway();
    await this.ship();
    await this.maintain(now);
  }
}
