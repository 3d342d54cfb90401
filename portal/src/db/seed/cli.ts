import { migrateDatabase, openDatabase } from "@zhengyun/db/client";
import { verifyAuditChain } from "../../services/audit-service.js";
import { isSeeded, type SeedSize, seed } from "./seed.js";

/** `npm run seed -w portal [-- demo|bench|province]`: seeds an empty database (DATABASE_URL, or the embedded one). */
const size = (process.argv[2] ?? "demo") as SeedSize;
if (size !== "demo" && size !== "bench" && size !== "province") {
  console.error("usage: seed [demo|bench|province]");
  process.exit(2);
}
const database = await openDatabase({ url: process.env.DATABASE_URL, dataDir: process.env.ZHENGYUN_DATA_DIR });
try {
  await migrateDatabase(database);
  if (await isSeeded(database.db)) {
    console.error("the database already holds data; seed only an empty database");
    process.exitCode = 1;
  } else {
    const started = Date.now();
    await seed(database.db, size, (m) => console.log(`seed: ${m}`));
    console.log(`seed: ${size} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const verifyStarted = Date.now();
    const chain = await verifyAuditChain(database.db);
    console.log(
      `seed: audit chain ${chain.ok ? "verifies" : `BROKEN at ${chain.firstBrokenSeq}`}: ${chain.total} entries in ${((Date.now() - verifyStarted) / 1000).toFixed(1)} s`,
    );
    if (!chain.ok) process.exitCode = 1;
  }
} finally {
  await database.close();
}
