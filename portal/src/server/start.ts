import path from "node:path";
import { type Database, prepareSchema } from "@zhengyun/db/client";
import { purgeNotifications, scanFacts } from "@zhengyun/db/notifications/facts";
import { reclaimExpired } from "@zhengyun/db/requests/platform";
import type { Logger } from "pino";
import { OidcLogin } from "../auth/oidc.js";
import { deriveSecretKey, secretFromFile } from "../auth/secrets.js";
import { purgeStaleSessions } from "../auth/sessions.js";
import { purgeStaleThrottles } from "../auth/throttle.js";
import { ensureBootstrapAdmin } from "../db/bootstrap.js";
import { isSeeded, seed } from "../db/seed/seed.js";
import { type Dispatcher, dispatchDue, mailTransport } from "../services/notifications/dispatch.js";
import { buildApp } from "./app.js";
import type { PortalConfig } from "./config.js";
import { buildMetricsApp, createMetrics } from "./metrics.js";
import { DEFAULT_UI_DIR, ensureUiBundle } from "./ui-bundle.js";

/**
 * Migrates, bootstraps or seeds as configured, then serves the portal on an open database and
 * runs the expiry sweep. Used by the portal's own entry point and by the product launcher.
 */
export async function startPortal(database: Database, config: PortalConfig, logger: Logger) {
  await prepareSchema(
    database,
    { runtimeUrl: config.DATABASE_URL, migrationUrl: config.MIGRATION_DATABASE_URL, runtimeRole: config.ZHENGYUN_RUNTIME_ROLE },
    logger,
  );
  logger.info({ database: database.kind, auditHash: config.ZHENGYUN_AUDIT_HASH }, "database migrated");
  if (config.ZHENGYUN_ADMIN_USERNAME && config.ZHENGYUN_ADMIN_PASSWORD) {
    const created = await ensureBootstrapAdmin(database.db, {
      username: config.ZHENGYUN_ADMIN_USERNAME,
      password: config.ZHENGYUN_ADMIN_PASSWORD,
      departmentCode: config.ZHENGYUN_PLATFORM_DEPARTMENT,
      departmentName: "平台运营单位",
    });
    if (created) logger.info({ username: config.ZHENGYUN_ADMIN_USERNAME }, "first system administrator created");
  }
  if (config.seed.seed === "demo" && !(await isSeeded(database.db))) {
    logger.info({ why: config.seed.why }, "seeding the demo");
    await seed(database.db, "demo", (m) => logger.info(`seed: ${m}`));
  } else if (config.seed.seed === "none" && !config.DATABASE_URL) logger.warn({ host: config.HOST }, config.seed.why);

  const metrics = createMetrics();
  const metricsApp = config.METRICS_PORT === "off" ? undefined : buildMetricsApp(metrics, { token: config.METRICS_TOKEN });

  const uiDir = config.UI_DIR ?? DEFAULT_UI_DIR;
  if (config.uiBuild === "auto") ensureUiBundle({ uiDir, log: (m) => logger.info(m) });

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
    trustProxy: config.trustProxy,
    rateLimits: config.rateLimits,
    metrics,
    oidc: config.oidc ? await OidcLogin.discover(config.oidc) : undefined,
    uiDir,
  });

  const sweep = setInterval(() => {
    reclaimExpired(database.db)
      .then((systems) => systems.length && logger.info({ systems }, "expired grants reclaimed"))
      .then(() => purgeStaleSessions(database.db, policy))
      .then(() => purgeStaleThrottles(database.db))
      .then(() => purgeNotifications(database.db))
      .catch((err) => logger.error({ err }, "expiry sweep failed"));
  }, config.EXPIRY_SWEEP_SECONDS * 1000);

  // Notifications: facts the controller records or time brings are read from the database, and
  // mail and webhook messages waiting in the outbox are sent (retried with backoff).
  const notifier: Dispatcher = {
    mail: mailTransport(config.smtp),
    mailFrom: config.SMTP_FROM,
    publicUrl: config.publicUrl,
    secretKey: policy.secretKey,
    onAttempt: (channel, outcome) => metrics.notificationDeliveries.inc({ channel, outcome }),
  };
  if (!notifier.mail) logger.info("notification mail is off (no SMTP_URL or SMTP_HOST)");
  let notifying = false;
  const notify = setInterval(() => {
    if (notifying) return;
    notifying = true;
    scanFacts(database.db)
      .then(() => dispatchDue(database.db, notifier))
      .then((c) => (c.sent || c.failed || c.retrying) && logger.info(c, "notifications delivered"))
      .catch((err) => logger.error({ err }, "notification pass failed"))
      .finally(() => {
        notifying = false;
      });
  }, config.NOTIFY_INTERVAL_SECONDS * 1000);

  await app.listen({ port: config.PORT, host: config.HOST });
  if (metricsApp) {
    await metricsApp.listen({ port: Number(config.METRICS_PORT), host: config.METRICS_HOST });
    logger.info({ address: metricsApp.server.address() }, "metrics listening");
  }
  return {
    app,
    metricsApp,
    async close() {
      clearInterval(sweep);
      clearInterval(notify);
      notifier.mail?.close();
      await app.close();
      await metricsApp?.close();
    },
  };
}
