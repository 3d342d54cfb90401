import { randomUUID } from "node:crypto";
import { type Database, migrateDatabase, openDatabase } from "@zhengyun/db/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor } from "../../test/harness.js";
import { ensureBootstrapAdmin } from "./bootstrap.js";

// A database of its own: "no system admin yet" cannot hold in the shared test database.
const name = `zy_boot_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
const base = process.env.DATABASE_URL!;
let admin: pg.Client;
let db: Database;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  db = await openDatabase({ url: url.toString(), poolSize: 3 });
  await migrateDatabase(db);
});

afterAll(async () => {
  await db?.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

describe("first system administrator", () => {
  it("is created once on an empty database and signs in to change the configured password first", async () => {
    const settings = { username: "root.admin", password: "first-admin-passphrase", departmentCode: "platform", departmentName: "平台运营单位" };
    expect(await ensureBootstrapAdmin(db.db, settings)).toBe(true);
    expect(await ensureBootstrapAdmin(db.db, { ...settings, username: "second.admin" })).toBe(false);
    await expect(callerFor(db, null).auth.login({ username: "root.admin", password: settings.password })).resolves.toEqual({
      ok: true,
      next: "change_password",
    });
    await expect(callerFor(db, null).auth.login({ username: "second.admin", password: settings.password })).rejects.toThrow(/wrong username or password/);
  });
});
