import { openDatabase } from "@zhengyun/db/client";
import pino from "pino";
import { loadConfig } from "./config.js";
import { startPortal } from "./start.js";

const config = loadConfig();
const logger = pino({ level: config.LOG_LEVEL, base: { service: "zhengyun-portal" } });
const database = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.ZHENGYUN_DATA_DIR,
  ...(config.DATABASE_POOL_SIZE ? { poolSize: config.DATABASE_POOL_SIZE } : {}),
});
const portal = await startPortal(database, config, logger);

const shutdown = async (signal: string) => {
  logger.info({ signal }, "shutting down");
  await portal.close();
  await database.close();
  process.exit(0);
};
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
