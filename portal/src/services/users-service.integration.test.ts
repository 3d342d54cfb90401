import type { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, makeOrg, makeUser, testDatabase } from "../../test/harness.js";
import type { Database } from "../db/client.js";
import { roleAssignments } from "../db/schema/index.js";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: TRPCError) => (e.cause as { code?: string } | undefined)?.code ?? e.code,
  );

describe("accounts and separation of duties (三员分立)", () => {
  it("refuses to give one person two of system admin, security officer and auditor", async () => {
    const org = await makeOrg(db);
    const admin = callerFor(db, org.people.sysadmin);
    const target = await makeUser(db, org.dept.id, ["applicant"]);
    expect(await codeOf(admin.users.setRoles({ id: target.id, roles: ["security", "auditor"] }))).toBe("SEPARATION_OF_DUTIES");
    expect(await codeOf(admin.users.create({ username: "dual.role", displayName: "两职", departmentId: org.dept.id, roles: ["sysadmin", "auditor"] }))).toBe(
      "SEPARATION_OF_DUTIES",
    );
    // Compatible roles are fine, and the change is visible.
    await admin.users.setRoles({ id: target.id, roles: ["applicant", "dept_admin", "security"] });
    const listed = (await admin.users.list()).find((u) => u.id === target.id);
    expect(listed?.roles.sort()).toEqual(["applicant", "dept_admin", "security"]);
  });

  it("holds the rule in the database too, whatever writes the rows", async () => {
    const org = await makeOrg(db);
    const user = await makeUser(db, org.dept.id, ["auditor"]);
    await expect(db.db.insert(roleAssignments).values({ userId: user.id, role: "sysadmin" })).rejects.toThrow();
  });

  it("creates accounts with an argon2id hash that signs in", async () => {
    const org = await makeOrg(db);
    const admin = callerFor(db, org.people.sysadmin);
    const username = `new.${Date.now()}`;
    await admin.users.create({ username, displayName: "新同事", departmentId: org.dept.id, password: "a-long-enough-passphrase", roles: ["applicant"] });
    const anonymous = callerFor(db, null);
    await expect(anonymous.auth.login({ username, password: "a-long-enough-passphrase" })).resolves.toEqual({ ok: true });
    expect(await codeOf(admin.users.create({ username: "short.pw", displayName: "x", departmentId: org.dept.id, password: "short", roles: [] }))).toBe(
      "BAD_REQUEST",
    );
  });
});
