// Starts the controller's egress work when ZHENGYUN_EGRESS=local: Squid on this host, its log
// shipped every few seconds, partitions, retention and daily summaries.

import { join } from "node:path";
import type { Db } from "@zhengyun/db/client";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { EgressGateway } from "./gateway.js";
import { EgressService, egressMetrics, loadEgressConfig } from "./service.js";

export async function startEgress(db: Db, stateDir: string, registry: Registry, log: Logger): Promise<{ stop(): Promise<void> }> {
  const config = loadEgressConfig();
  if (config.mode === "off") return { stop: async () => {} };
  const gateway = new EgressGateway({
    squid: config.squid,
    dir: join(stateDir, "egress"),
    listenAddress: config.listenAddress,
    closedPort: config.firstPort - 1,
    refuseInternalAddresses: true,
  });
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
  log.info({ dir: join(stateDir, "egress"), firstPort: config.firstPort, retentionDays: config.retentionDays }, "egress gateway managed on this host");
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await service.ship().catch(() => undefined);
      await gateway.stop();
    },
  };
}
