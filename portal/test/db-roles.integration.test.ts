/**
 * Separate database roles: the schema owner migrates and grants; the portal runs as a role that
 * may only INSERT and SELECT the audit log and, not owning it, cannot disable its triggers.
 * Needs the runtime role `zhengyun_app` (password `zhengyun_app`) that scripts/ensure-postgres.sh
 * creates, or ZHENGYUN_TEST_RUNTIME_USER/_PASSWORD naming another.
 */
import { randomBytes } from "node:crypto";
import { type Database, openDatabase, prepareSchema } from "@zhengyun/db/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../src/auth/passwords.js";
import { buildApp } from "../src/server/app.js";
import { callerFor, type IsolatedDatabase, isolatedDatabase, makeOrg, makeUser, requestIn } from "./harness.js";

const RUNTIME_USER = process.env.ZHENGYUN_TEST_RUNTIME_USER ?? "zhengyun_app";
const RUNTIME_PASSWORD = process.env.ZHENGYUN_TEST_RUNTIME_PASSWORD ?? "zhengyun_app";

let isolated: IsolatedDatabase;
let runtime: Database;
let runtimeUrl: string;
const logged: { level: string; msg: string; obj: object }[] = [];
const log = {
  info: (obj: object, msg: string) => void logged.push({ level: "info", msg, obj }),
  warn: (obj: object, msg: string) => void logged.push({ level: "warn", msg, obj }),
};

beforeAll(async () => {
  isolated = await isolatedDatabase("zy_roles");
  const url = new URL(isolated.url);
  url.username = RUNTIME_USER;
  url.password = RUNTIME_PASSWORD;
  runtimeUrl = url.toString();
  runtime = await openDatabase({ url: runtimeUrl, poolSize: 5 });
  try {
    await runtime.sql.query("select 1");
  } catch (err) {
    throw new Error(`the runtime role ${RUNTIME_USER} cannot connect (scripts/ensure-postgres.sh creates it): ${(err as Error).message}`);
  }
  await prepareSchema(runtime, { runtimeUrl, migrationUrl: isolated.url }, log);
});

afterAll(async () => {
  await runtime?.close();
  await isolated?.drop();
});

/** The server's message for a statement run as the runtime role. */
const asRuntime = (statement: string) =>
  runtime.sql.query(statement).then(
    () => "accepted",
    (e: Error) => e.message,
  );

describe("separate database roles", () => {
  it("migrates as the owner and grants the runtime role, saying so in the log", () => {
    expect(logged).toContainEqual({
      level: "info",
      msg: "schema migrated by its owner; runtime role granted",
      obj: { owner: "zhengyun", runtime: RUNTIME_USER },
    });
  });

  it("runs the portal as the runtime role: the workflow and sign-in work, and the chain verifies", async () => {
    const org = await makeOrg(runtime);
    const { request } = await requestIn(org, "provisioning", { level: 3 });
    expect(request.id).toBeTruthy();
    const dept = org.dept;
    const person = await makeUser(runtime, dept.id, ["applicant"], await hashPassword("Zhengyun-运行角色-2026"));
    const app = await buildApp({ db: runtime.db, logger: false, cookieSecret: randomBytes(32).toString("hex") });
    try {
      const res = await app.inject({ method: "POST", url: "/trpc/auth.login", payload: { username: person.username, password: "Zhengyun-运行角色-2026" } });
      expect(res.statusCode).toBe(200);
    } finally {
      await app.close();
    }
    expect(await callerFor(runtime, org.people.auditor).audit.verify()).toMatchObject({ ok: true });
    // The controller's Pulumi state table exists (the owner made it), so Pulumi's backend, running
    // as the runtime role, never needs to create it.
    expect(await asRuntime("select to_regclass('pulumi_state')::text")).toBe("accepted");
    expect(await asRuntime(`insert into pulumi_state (key, data) values ('roles-test', '{}')`)).toBe("accepted");
    expect(await asRuntime("create table runtime_made (x int)")).toMatch(/permission denied for schema public/);
  });

  it("cannot update, delete, truncate or alter the audit log, nor disable or drop its triggers", async () => {
    expect(await asRuntime("select count(*) from audit_log")).toBe("accepted");
    expect(await asRuntime("update audit_log set action = 'x' where seq = 1")).toMatch(/permission denied for table audit_log/);
    expect(await asRuntime("delete from audit_log where seq = 1")).toMatch(/permission denied for table audit_log/);
    expect(await asRuntime("truncate audit_log")).toMatch(/permission denied for table audit_log/);
    expect(await asRuntime("alter table audit_log disable trigger all")).toMatch(/must be owner of table audit_log/);
    expect(await asRuntime("alter table audit_log disable trigger audit_log_no_update_delete")).toMatch(/must be owner of table audit_log/);
    expect(await asRuntime("drop trigger audit_log_no_update_delete on audit_log")).toMatch(/must be owner of (table|relation) audit_log/);
    expect(await asRuntime("alter table audit_log drop column hash_alg")).toMatch(/must be owner of table audit_log/);
    expect(await asRuntime("create or replace function audit_log_refuse_change() returns trigger language plpgsql as $$ begin return new; end $$")).toMatch(
      /must be owner of function|permission denied/,
    );
  });

  it("runs as the runtime role alone once the owner has migrated (the owner migrating elsewhere)", async () => {
    const from = logged.length;
    await prepareSchema(runtime, { runtimeUrl }, log);
    expect(logged.slice(from)).toEqual([{ level: "info", msg: "schema owned by another role and up to date: running as the runtime role", obj: {} }]);
  });

  it("works with one role for everything, warning that it is single-role", async () => {
    const single = logged.length;
    await prepareSchema(isolated.database, { runtimeUrl: isolated.url }, log);
    expect(logged.slice(single)).toContainEqual(expect.objectContaining({ level: "warn", msg: expect.stringMatching(/single database role/) }));
  });
});
