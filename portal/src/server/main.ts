import { fileURLToPath } from "node:url";
import pino from "pino";
import { OidcLogin } from "../auth/oidc.js";
import { purgeStaleSessions } from "../auth/sessions.js";
import { DEFAULT_AUTH_POLICY } from "../auth/policy.js";
import { migrateDatabase, openDatabase } from "../db/client.js";
import { ensureBootstrapAdmin } from "../db/bootstrap.js";
import { isSeeded, seed } from "../db/seed/seed.js";
import { reclaimExpired } from "../services/requests/platform.js";
import { buildApp } from "./app.js";
import { loadConfig } from "./config.js";

const config = loadConfig();
const logger = pino({ level: config.LOG_LEVEL, base: { service: "zhengyun-portal" } });

const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.ZHENGYUN_DATA_DIR });
await migrateDatabase(database);
logger.info({ database: database.kind }, "database migrated");
if (config.ZHENGYUN_ADMIN_USERNAME && config.ZHENGYUN_ADMIN_PASSWORD) {
  const created = await ensureBootstrapAdmin(database.db, {
    username: config.ZHENGYUN_ADMIN_USERNAME,
    password: config.ZHENGYUN_ADMIN_PASSWORD,
    departmentCode: config.ZHENGYUN_PLATFORM_DEPARTMENT,
    departmentName: "平台运营单位",
  });
  if (created) logger.info({ username: config.ZHENGYUN_ADMIN_USERNAME }, "first system administrator created");
}
if (config.seed === "demo" && !(await isSeeded(database.db))) {
  await seed(database.db, "demo", (m) => logger.info(`seed: ${m}`));
}

const app = await buildApp({
  db: database.db,
  logger,
  cookieSecret: config.cookieSecret,
  secureCookies: config.SECURE_COOKIES === "true",
  oidc: config.oidc ? await OidcLogin.discover(config.oidc) : undefined,
  uiDir: config.UI_DIR ?? fileURLToPath(new URL("../../dist/ui", import.meta.url)),
});

const sweep = setInterval(() => {
  reclaimExpired(database.db)
    .then((systems) => systems.length && logger.info({ systems }, "expired grants reclaimed"))
    .then(() => purgeStaleSessions(database.db, DEFAULT_AUTH_POLICY))
    .catch((err) => logger.error({ err }, "expiry sweep failed"));
}, config.EXPIRY_SWEEP_SECONDS * 1000);

const shutdown = async (signal: string) => {
  logger.info({ signal }, "shutting down");
  clearInterval(sweep);
  await app.close();
  await database.close();
  process.exit(0);
};
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));

await app.listen({ port: config.PORT, host: config.HOST });
