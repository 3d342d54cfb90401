/**
 * `npm start`: the product on one machine — portal and controller in one process, sharing one
 * database: PostgreSQL from DATABASE_URL, else the embedded PGlite kept in portal/.data. The
 * controller reconciles onto the cluster of KUBECONFIG (or ~/.kube/config); with neither, the
 * local control plane is started (built from Go modules on first use; `npm run cluster:down -w
 * infra` stops it). ZHENGYUN_CONTROLLER=off runs the portal alone.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig as loadControllerConfig } from "@zhengyun/controller/config";
import { Controller } from "@zhengyun/controller/controller";
import { startEgress } from "@zhengyun/controller/egress";
import { openDatabase } from "@zhengyun/db/client";
import { readClusterState } from "@zhengyun/infra/cluster";
import { loadConfig } from "@zhengyun/portal/server/config";
import { startPortal } from "@zhengyun/portal/server/start";
import pino from "pino";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const logger = pino({ level: process.env.LOG_LEVEL ?? "info", base: { service: "zhengyun" } });

/** The kubeconfig to reconcile onto, starting the local control plane when none is configured. */
async function kubeconfigPath(): Promise<string> {
  if (process.env.KUBECONFIG) return process.env.KUBECONFIG;
  const home = path.join(homedir(), ".kube", "config");
  if (existsSync(home)) return home;
  logger.info("no KUBECONFIG: starting the local Kubernetes control plane (.data/cluster)");
  const up = spawnSync("npm", ["run", "--silent", "cluster:up", "-w", "infra"], { cwd: root, stdio: "inherit" });
  if (up.status !== 0) throw new Error("the local control plane did not start (see above)");
  const state = await readClusterState(process.env.ZHENGYUN_CLUSTER_DIR ?? path.join(root, ".data", "cluster"));
  if (!state) throw new Error("the local control plane left no state");
  return state.kubeconfigPath;
}

// Signals are handled from the first moment: a stop during start-up still cancels what runs
// (the baseline's engine included) instead of killing it and leaving its plugins behind.
let portal: Awaited<ReturnType<typeof startPortal>> | undefined;
let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
let controller: Controller | undefined;
let egress: { stop(): Promise<void> } | undefined;
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  await egress?.stop();
  await controller?.stop(10_000);
  await portal?.close();
  await database?.close();
  process.exit(0);
};
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));

const portalConfig = loadConfig({ ...process.env, ZHENGYUN_DATA_DIR: process.env.ZHENGYUN_DATA_DIR ?? path.join(root, "portal", ".data", "pglite") });
database = await openDatabase({ url: portalConfig.DATABASE_URL, dataDir: portalConfig.ZHENGYUN_DATA_DIR, poolSize: 30 });
portal = await startPortal(database, portalConfig, logger.child({ component: "portal" }));

if (process.env.ZHENGYUN_CONTROLLER !== "off" && !stopping) {
  const kubeconfig = await kubeconfigPath();
  const env = {
    ...process.env,
    KUBECONFIG: kubeconfig,
    DATABASE_URL: portalConfig.DATABASE_URL ?? "embedded://pglite",
    ZHENGYUN_CONTROLLER_STATE_DIR: process.env.ZHENGYUN_CONTROLLER_STATE_DIR ?? path.join(root, ".data", "controller"),
  };
  const config = loadControllerConfig(env);
  if (!stopping) {
    controller = new Controller({ database, config, log: logger.child({ component: "controller" }), processMetrics: true });
    await controller.start();
    if (!stopping) logger.info({ kubeconfig }, "controller running");
  }
  if (!stopping) {
    // The unified internet egress runs here too when Debian's Squid is installed (ZHENGYUN_EGRESS=off: not at all).
    process.env.ZHENGYUN_EGRESS ??= existsSync(process.env.ZHENGYUN_EGRESS_SQUID ?? "/usr/sbin/squid") ? "local" : "off";
    egress = await startEgress(database.db, config.stateDir, controller!.metrics.registry, logger.child({ component: "egress" }));
  }
}
if (!stopping) logger.info(`portal: http://${portalConfig.HOST}:${portalConfig.PORT}`);
