import type { TRPCError } from "@trpc/server";
import type { Database } from "@zhengyun/db/client";
import { roleAssignments } from "@zhengyun/db/schema";
import { ROLES, type Role } from "@zhengyun/db/schema/enums";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, makeOrg, makeUser, testDatabase, unique } from "../../test/harness.js";
import { separationConflict } from "../shared/separation.js";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: TRPCError) => (e.cause as { code?: string } | undefined)?.code ?? e.code,
  );

/** Every pair of roles, each pair once. */
const PAIRS: [Role, Role][] = ROLES.flatMap((a, i) => ROLES.slice(i + 1).map((b): [Role, Role] => [a, b]));

describe("accounts and separation of duties (三员分立)", () => {
  it("refuses in the service every pair of roles that breaks separation of duties, and allows the rest", async () => {
    const org = await makeOrg(db);
    const admin = callerFor(db, org.people.sysadmin);
    const refused: string[] = [];
    for (const [a, b] of PAIRS) {
      const target = await makeUser(db, org.dept.id, []);
      const got = await codeOf(admin.users.setRoles({ id: target.id, roles: [a, b] }));
      expect(got, `${a}+${b}`).toBe(separationConflict([a, b]) ? "SEPARATION_OF_DUTIES" : "ok");
      if (got !== "ok") refused.push(`${a}+${b}`);
      const created = await codeOf(admin.users.create({ username: unique("sod."), displayName: "两职", departmentId: org.dept.id, roles: [a, b] }));
      expect(created, `create ${a}+${b}`).toBe(got);
    }
    // Only applicant + department admin may be held together.
    expect(refused).toHaveLength(PAIRS.length - 1);
    expect(refused).not.toContain("applicant+dept_admin");
  });

  it("refuses in the database every conflicting pair, whatever writes the rows (direct SQL)", async () => {
    const org = await makeOrg(db);
    for (const [a, b] of PAIRS) {
      const user = await makeUser(db, org.dept.id, [a]);
      const insert = db.db.execute(sql`insert into role_assignments (user_id, role) values (${user.id}, ${b})`);
      if (separationConflict([a, b])) await expect(insert, `${a}+${b}`).rejects.toThrow();
      else await expect(insert).resolves.toBeDefined();
    }
    const user = await makeUser(db, org.dept.id, ["applicant"]);
    await expect(db.db.insert(roleAssignments).values({ userId: user.id, role: "ops" })).rejects.toThrow();
    // An UPDATE that turns an allowed row into a conflicting one is refused too.
    const both = await makeUser(db, org.dept.id, ["applicant", "dept_admin"]);
    await expect(db.db.execute(sql`update role_assignments set role = 'security' where user_id = ${both.id} and role = 'dept_admin'`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/separation of duties: security cannot be combined with applicant/), code: "23514" },
    });
  });

  it("judges concurrent grants to one person one after the other", async () => {
    const org = await makeOrg(db);
    const user = await makeUser(db, org.dept.id, []);
    const results = await Promise.allSettled(
      (["ops", "applicant", "security", "dept_admin"] as const).map((role) => db.db.insert(roleAssignments).values({ userId: user.id, role })),
    );
    const held = (await db.db.select({ role: roleAssignments.role }).from(roleAssignments).where(sql`user_id = ${user.id}`)).map((r) => r.role);
    expect(separationConflict(held)).toBeNull();
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(held.length);
  });

  it("lets nobody change their own roles", async () => {
    const org = await makeOrg(db);
    const admin = callerFor(db, org.people.sysadmin);
    for (const roles of [["sysadmin"], ["ops"], ["dept_admin"], []] as Role[][])
      expect(await codeOf(admin.users.setRoles({ id: org.people.sysadmin.id, roles }))).toBe("SEPARATION_OF_DUTIES");
    const held = await db.db.select({ role: roleAssignments.role }).from(roleAssignments).where(sql`user_id = ${org.people.sysadmin.id}`);
    expect(held.map((r) => r.role)).toEqual(["sysadmin"]);
  });

  it("creates accounts with a temporary password and refuses one chosen by the administrator", async () => {
    const org = await makeOrg(db);
    const admin = callerFor(db, org.people.sysadmin);
    const username = unique("new.");
    const { temporaryPassword } = await admin.users.create({ username, displayName: "新同事", departmentId: org.dept.id, roles: ["applicant"] });
    const anonymous = callerFor(db, null);
    await expect(anonymous.auth.login({ username, password: temporaryPassword })).resolves.toEqual({ ok: true, next: "change_password" });
    expect(
      await codeOf(
        admin.users.create({ username: unique("pw."), displayName: "x", departmentId: org.dept.id, roles: [], password: "Chosen-Passw0rd" } as never),
      ),
    ).toBe("BAD_REQUEST");
  });
});
