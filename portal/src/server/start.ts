import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { OidcLogin } from "../auth/oidc.js";
import { deriveSecretKey, secretFromFile } from "../auth/secrets.js";
import { purgeStaleSessions } from "../auth/sessions.js";
import { ensureBootstrapAdmin } from "../db/bootstrap.js";
import { type Database, migrateDatabase } from "../db/client.js";
import { isSeeded, seed } from "../db/seed/seed.js";
import { reclaimExpired } from "../services/requests/platform.js";
import { buildApp } from "./app.js";
import type { PortalConfig } from "./config.js";

/**
 * Migrates, bootstraps or seeds as configured, then serves the portal on an open database and
 * runs the expiry sweep. Used by the portal's own entry point and by the product launcher.
 */
export async function startPortal(database: Database, config: PortalConfig, logger: Logger) {
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

  let policy = config.policy;
  if (config.secretKeySource === "ephemeral" && database.kind === "pglite") {
    policy = { ...policy, secretKey: deriveSecretKey(secretFromFile(config.ZHENGYUN_DATA_DIR ?? path.resolve(".data/pglite"))) };
  } else if (config.secretKeySource === "ephemeral") {
    logger.warn("neither ZHENGYUN_SECRET_KEY nor COOKIE_SECRET is set: TOTP enrolments will not survive a restart");
  }
  const app = await buildApp({
    db: database.db,
    logger,
    cookieSecret: config.cookieSecret,
    policy,
    secureCookies: config.SECURE_COOKIES === "true",
    oidc: config.oidc ? await OidcLogin.discover(config.oidc) : undefined,
    uiDir: config.UI_DIR ?? fileURLToPath(new URL("../../dist/ui", import.meta.url)),
  });

  const sweep = setInterval(() => {
    reclaimExpired(database.db)
      .then((systems) => systems.length && logger.info({ systems }, "expired grants reclaimed"))
      .then(() => purgeStaleSessions(database.db, policy))
      .catch((err) => logger.error({ err }, "expiry sweep failed"));
  }, config.EXPIRY_SWEEP_SECONDS * 1000);

  await app.listen({ port: config.PORT, host: config.HOST });
  return {
    app,
    async close() {
      clearInterval(sweep);
      await app.close();
    },
  };
}
