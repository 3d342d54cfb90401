/** One department with a person per role, each able to sign in with a password. */

import type { Database } from "@zhengyun/db/client";
import { departments, users } from "@zhengyun/db/schema";
import { hashPassword } from "@zhengyun/portal/auth/passwords";
import { PLATFORM_ROLES } from "@zhengyun/portal/auth/sign-in";
import { enrolTotp } from "@zhengyun/portal/test/auth/totp";
import { callerFor, makeDepartment, makeUser, type Org, withSystems } from "@zhengyun/portal/test/harness";
import { eq } from "drizzle-orm";

export const PASSWORD = "E2e-journey-Passw0rd";

/** The authenticator of each person who has one, by username, as their phone would hold it. */
export const AUTHENTICATORS = new Map<string, { db: Database; userId: string; secret: string }>();

/** A department ceiling of a realistic size, so quota charts show something. */
const CEILING = { vcpu: 64, memory_gib: 256, storage_standard_gib: 2000, storage_ssd_gib: 1000, storage_encrypted_gib: 2000, segments: 8, egress_mbps: 200 };

const DISPLAY_NAMES = {
  applicant: "经办人 张敏",
  deptAdmin: "部门管理员 李强",
  ops: "运维 王工",
  ops2: "运维 陈工",
  security: "安全管理员 赵工",
  auditor: "审计管理员 孙工",
  sysadmin: "系统管理员 周工",
};

export async function makeOrgWithPasswords(db: Database) {
  const hash = await hashPassword(PASSWORD);
  const dept = await makeDepartment(db, CEILING);
  // Lists order departments by code; this one sorts first, so its systems stay on the first page
  // of capped lists however many rows other tests leave in the shared database.
  await db.db
    .update(departments)
    .set({ code: `0${dept.code}` })
    .where(eq(departments.id, dept.id));
  const people = {
    applicant: await makeUser(db, dept.id, ["applicant"], hash),
    deptAdmin: await makeUser(db, dept.id, ["dept_admin"], hash),
    ops: await makeUser(db, dept.id, ["ops"], hash),
    ops2: await makeUser(db, dept.id, ["ops"], hash),
    security: await makeUser(db, dept.id, ["security"], hash),
    auditor: await makeUser(db, dept.id, ["auditor"], hash),
    sysadmin: await makeUser(db, dept.id, ["sysadmin"], hash),
  };
  // The platform roles sign in with two factors: each has an authenticator already set up.
  for (const person of Object.values(people))
    if (person.roles.some((r) => PLATFORM_ROLES.includes(r)))
      AUTHENTICATORS.set(person.username, { db, userId: person.id, secret: await enrolTotp(db, person.id) });
  for (const [who, person] of Object.entries(people)) {
    const displayName = DISPLAY_NAMES[who as keyof typeof DISPLAY_NAMES];
    await db.db.update(users).set({ displayName }).where(eq(users.id, person.id));
    person.displayName = displayName;
  }
  const as = (who: keyof typeof people) => callerFor(db, people[who]);
  const org: Org = withSystems(dept, people, as, "端到端测试用信息系统");
  return org;
}
