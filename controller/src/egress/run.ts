// Starts the controller's egress work: with ZHENGYUN_EGRESS=local, Squid on this host and its log
// shipped every few seconds; with ZHENGYUN_EGRESS=cluster, the gateway Deployment in the
// `zhengyun-egress` namespace and the collector its pods send their log to. Both: partitions,
// retention and daily summaries.

import { join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Db } from "@zhengyun/db/client";
import { Kube } from "@zhengyun/policies/kube";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { ClusterGateway } from "./cluster.js";
import { EgressGateway } from "./gateway.js";
import { EgressLogCollector } from "./ingest.js";
import { EgressService, egressMetrics, type GatewayRuntime, loadEgressConfig } from "./service.js";

export async function startEgress(db: Db, stateDir: string, registry: Registry, log: Logger, kubeconfig?: KubeConfig): Promise<{ stop(): Promise<void> }> {
  const config = loadEgressConfig();
  if (config.mode === "off") return { stop: async () => {} };
  let gateway: GatewayRuntime & { stop(): Promise<void> };
  if (config.mode === "cluster" && config.cluster) {
    if (!kubeconfig) throw new Error("ZHENGYUN_EGRESS=cluster needs the controller's cluster credentials");
    const collector = new EgressLogCollector(db);
    const address = await collector.listen(config.cluster.collectorListen.host, config.cluster.collectorListen.port);
    log.info({ collector: `${address.host}:${address.port}` }, "egress log collector listening");
    const cluster = new ClusterGateway(
      new Kube(kubeconfig),
      { image: config.cluster.image, collector: config.cluster.collector, replicas: config.cluster.replicas },
      collector,
    );
    gateway = Object.assign(cluster, { stop: () => collector.close() });
  } else {
    gateway = new EgressGateway({
      squid: config.squid,
      dir: join(stateDir, "egress"),
      listenAddress: config.listenAddress,
      closedPort: config.firstPort - 1,
      refuseInternalAddresses: true,
    });
  }
  const service = new EgressService(db, config, gateway, egressMetrics(registry));
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= service
      .tick()
      .catch((err) => log.error({ err: String(err) }, "egress gateway pass failed"))
      .finally(() => {
        running = undefined;
      });
  };
  tick();
  const timer = setInterval(tick, config.intervalMs);
  log.info({ mode: config.mode, firstPort: config.firstPort, retentionDays: config.retentionDays }, "egress gateway managed");
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await service.ship().catch(() => undefined);
      await gateway.stop();
    },
  };
}
