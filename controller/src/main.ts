// The controller process: `npm start -w controller`.
//
// Reads DATABASE_URL (the portal's PostgreSQL), KUBECONFIG (or in-cluster credentials), and the
// ZHENGYUN_* settings of config.ts; serves /healthz and /metrics on ZHENGYUN_CONTROLLER_PORT.

import { openDatabase, ping, prepareSchema } from "@zhengyun/db/client";
import { pino } from "pino";
import { loadConfig } from "./config.js";
import { Controller } from "./controller.js";
import { startEgress } from "./egress/run.js";
import { kubeClients } from "./kube.js";
import { startHttp } from "./server.js";

const log = pino({ name: "zhengyun-controller", level: process.env.LOG_LEVEL ?? "info" });

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, poolSize: config.concurrency * 2 + 6 });
  // The portal owns the schema; applying pending migrations here lets either start first. With
  // MIGRATION_DATABASE_URL they run as the schema owner, and the runtime role is granted its part.
  await prepareSchema(
    database,
    { runtimeUrl: config.databaseUrl, migrationUrl: process.env.MIGRATION_DATABASE_URL, runtimeRole: process.env.ZHENGYUN_RUNTIME_ROLE },
    log,
  );
  const controller = new Controller({ database, config, log, processMetrics: true });
  const server = await startHttp(config.port, controller.metrics.registry, {
    async problem() {
      if (!controller.ready) return "starting or stopping";
      await ping(database.db);
      return null;
    },
  });
  const address = server.address();
  log.info(
    {
      owner: config.owner,
      port: typeof address === "object" ? address?.port : address,
      backend: config.pulumiBackendUrl.replace(/\/\/[^@/]*@/, "//***@"),
      cluster: config.cluster,
    },
    "controller starting",
  );

  let stopping = false;
  let stopEgress: () => Promise<void> = async () => {};
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping: finishing running systems");
    server.close();
    await stopEgress();
    await controller.stop();
    await database.close();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  await controller.start();
  const egress = await startEgress(database.db, config.stateDir, controller.metrics.registry, log, kubeClients(config.kubeconfig).config);
  stopEgress = egress.stop;
  log.info("controller running");
}

main().catch((err) => {
  log.fatal({ err: String(err?.stack ?? err) }, "controller failed to start");
  process.exit(1);
});
