import { migrateDatabase, openDatabase } from "./client.js";

/** `npm run migrate -w portal`: applies the committed migrations to DATABASE_URL and exits (Helm hook, CI). */
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("migrate: DATABASE_URL is required");
  process.exit(2);
}
const database = await openDatabase({ url, poolSize: 1 });
try {
  await migrateDatabase(database);
  console.log("migrate: database is up to date");
} finally {
  await database.close();
}
