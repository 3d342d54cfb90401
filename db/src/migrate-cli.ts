import { migrateDatabase, openDatabase } from "./client.js";

/**
 * `npm run migrate -w portal`: applies the committed migrations and exits (Helm hook, CI). As the
 * schema owner (MIGRATION_DATABASE_URL) it also grants the runtime role (ZHENGYUN_RUNTIME_ROLE, or
 * DATABASE_URL's user) its privileges; with DATABASE_URL alone it migrates as that single role.
 */
const url = process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL;
if (!url) {
  console.error("migrate: MIGRATION_DATABASE_URL or DATABASE_URL is required");
  process.exit(2);
}
const runtime =
  process.env.ZHENGYUN_RUNTIME_ROLE ??
  (process.env.MIGRATION_DATABASE_URL && process.env.DATABASE_URL ? decodeURIComponent(new URL(process.env.DATABASE_URL).username) : undefined);
const database = await openDatabase({ url, poolSize: 1 });
try {
  const owner = decodeURIComponent(new URL(url).username);
  await migrateDatabase(database, runtime && runtime !== owner ? { grantTo: runtime } : {});
  console.log(runtime && runtime !== owner ? `migrate: database is up to date; ${runtime} granted` : "migrate: database is up to date (single role)");
} finally {
  await database.close();
}
