/**
 * Every procedure, called as every role from the target's own department and from another one,
 * is allowed or FORBIDDEN exactly as this table says. The procedure list comes from the router:
 * a procedure without a row here fails the test.
 */
import type { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../src/auth/passwords.js";
import { totpFor } from "../src/auth/totp.js";
import type { Database } from "../src/db/client.js";
import { type RequestState, ROLES, type Role } from "../src/db/schema/enums.js";
import { reconcileStates, users } from "../src/db/schema/index.js";
import { appRouter } from "../src/server/router.js";
import type { Actor } from "../src/services/context.js";
import { completeProvisioning } from "../src/services/requests/platform.js";
import { callerFor, makeOrg, makeUser, type Org, requestIn, testDatabase, unique } from "./harness.js";

type Caller = ReturnType<typeof callerFor>;
interface World {
  org: Org;
  caller: Caller;
  actor: Actor;
  role: Role;
}
interface Row {
  /** Roles admitted; "anyone" for public procedures, "signed-in" for any role. */
  roles: readonly Role[] | "signed-in" | "anyone";
  /** Applicants and department admins of another department are refused. */
  scoped: boolean;
  call: (w: World) => Promise<unknown>;
}

const ALL_READERS = ["applicant", "dept_admin", "ops", "security", "auditor"] as const;

/** A request of the target department in `state`, filed by the caller when the caller is its applicant. */
async function requestFor(w: World, state: "draft" | "submitted" | "dept_approved" | "ops_approved" | "provisioning") {
  const requester = w.role === "applicant" && w.actor.departmentId === w.org.dept.id ? w.actor : w.org.people.applicant;
  const org = { ...w.org, as: (who: keyof Org["people"]) => (who === "applicant" ? callerFor(db, requester) : w.org.as(who)) } as Org;
  return requestIn(org, state);
}

const stageOf = (role: Role): "dept" | "ops" | "security" => (role === "ops" ? "ops" : role === "security" ? "security" : "dept");
const stateFor = (role: Role): RequestState => (role === "ops" ? "dept_approved" : role === "security" ? "ops_approved" : "submitted");

const TABLE: Record<string, Row> = {
  "auth.login": { roles: "anyone", scoped: false, call: (w) => w.caller.auth.login({ username: "nobody", password: "wrong" }).catch((e) => e) },
  // The sign-in steps after the password are public; without a sign-in in progress they are refused.
  "auth.secondFactor": { roles: "anyone", scoped: false, call: (w) => w.caller.auth.secondFactor({ code: "123456" }).catch((e) => e) },
  "auth.setPassword": { roles: "anyone", scoped: false, call: (w) => w.caller.auth.setPassword({ newPassword: "Matrix-New-Passw0rd" }).catch((e) => e) },
  // A signed-in person may enrol an authenticator for their own account.
  "auth.totpSetup": { roles: "anyone", scoped: false, call: (w) => w.caller.auth.totpSetup() },
  "auth.totpConfirm": {
    roles: "anyone",
    scoped: false,
    call: async (w) => {
      const { secret } = await w.caller.auth.totpSetup();
      return w.caller.auth.totpConfirm({ code: totpFor(secret, w.actor.username).generate() });
    },
  },
  "auth.changePassword": {
    roles: "signed-in",
    scoped: false,
    call: async (w) => {
      await db.db.update(users).set({ passwordHash: knownHash }).where(eq(users.id, w.actor.id));
      return w.caller.auth.changePassword({ currentPassword: KNOWN_PASSWORD, newPassword: "Matrix-New-Passw0rd" });
    },
  },
  "auth.logout": { roles: "signed-in", scoped: false, call: (w) => w.caller.auth.logout() },
  "auth.me": { roles: "signed-in", scoped: false, call: (w) => w.caller.auth.me() },
  "systems.register": {
    roles: ["applicant"],
    scoped: false,
    call: (w) => w.caller.systems.register({ name: unique("s"), purpose: "矩阵测试", level: 2, zone: "internal" }),
  },
  "systems.update": {
    roles: ["applicant", "dept_admin"],
    scoped: true,
    call: async (w) => w.caller.systems.update({ id: (await w.org.newSystem()).id, purpose: "更新用途" }),
  },
  "systems.grade": {
    roles: ["security"],
    scoped: false,
    call: async (w) => w.caller.systems.grade({ id: (await w.org.newSystem()).id, level: 3, filingNumber: "32100000000-30001" }),
  },
  "systems.list": { roles: ALL_READERS, scoped: false, call: (w) => w.caller.systems.list() },
  "systems.get": { roles: ALL_READERS, scoped: true, call: async (w) => w.caller.systems.get({ id: (await w.org.newSystem()).id }) },
  "requests.create": {
    roles: ["applicant"],
    scoped: true,
    call: async (w) =>
      w.caller.requests.create({ systemId: (await w.org.newSystem()).id, kind: "new", resources: { vcpu: 1, memory_gib: 1 }, justification: "矩阵测试" }),
  },
  "requests.submit": { roles: ["applicant"], scoped: true, call: async (w) => w.caller.requests.submit({ id: (await requestFor(w, "draft")).request.id }) },
  "requests.withdraw": {
    roles: ["applicant", "dept_admin"],
    scoped: true,
    call: async (w) => w.caller.requests.withdraw({ id: (await requestFor(w, "submitted")).request.id }),
  },
  "requests.approve": {
    roles: ["dept_admin", "ops", "security"],
    scoped: true,
    call: async (w) => w.caller.requests.approve({ id: (await requestFor(w, stateFor(w.role) as never)).request.id }),
  },
  "requests.reject": {
    roles: ["dept_admin", "ops", "security"],
    scoped: true,
    call: async (w) => w.caller.requests.reject({ id: (await requestFor(w, stateFor(w.role) as never)).request.id, reason: "矩阵测试驳回" }),
  },
  "requests.list": { roles: ALL_READERS, scoped: false, call: (w) => w.caller.requests.list() },
  "requests.queue": { roles: ["dept_admin", "ops", "security"], scoped: false, call: (w) => w.caller.requests.queue({ stage: stageOf(w.role) }) },
  "requests.get": { roles: ALL_READERS, scoped: true, call: async (w) => w.caller.requests.get({ id: (await requestFor(w, "submitted")).request.id }) },
  "requests.rate": {
    roles: ["applicant"],
    scoped: true,
    call: async (w) => {
      const { request } = await requestFor(w, "provisioning");
      await completeProvisioning(db.db, request.id, { ok: true });
      return w.caller.requests.rate({ id: request.id, score: 4 });
    },
  },
  "departments.list": { roles: "signed-in", scoped: false, call: (w) => w.caller.departments.list() },
  "departments.overview": { roles: ALL_READERS, scoped: true, call: (w) => w.caller.departments.overview({ id: w.org.dept.id }) },
  "departments.setCeiling": { roles: ["ops"], scoped: false, call: (w) => w.caller.departments.setCeiling({ id: w.org.dept.id, ceiling: { vcpu: 900 } }) },
  "platform.capacity": { roles: ["ops", "security", "sysadmin"], scoped: false, call: (w) => w.caller.platform.capacity() },
  "platform.setCapacity": { roles: ["ops"], scoped: false, call: (w) => w.caller.platform.setCapacity({}) },
  "platform.reclaimExpired": { roles: ["ops"], scoped: false, call: (w) => w.caller.platform.reclaimExpired() },
  "ratings.summary": { roles: ["ops"], scoped: false, call: (w) => w.caller.ratings.summary() },
  "users.list": { roles: ["sysadmin"], scoped: false, call: (w) => w.caller.users.list() },
  "users.create": {
    roles: ["sysadmin"],
    scoped: false,
    call: (w) => w.caller.users.create({ username: unique("n"), displayName: "新用户", departmentId: w.org.dept.id, roles: ["applicant"] }),
  },
  "users.setRoles": {
    roles: ["sysadmin"],
    scoped: false,
    call: async (w) => w.caller.users.setRoles({ id: (await makeUser(db, w.org.dept.id, [])).id, roles: ["applicant"] }),
  },
  "users.resetPassword": {
    roles: ["sysadmin"],
    scoped: false,
    call: async (w) => w.caller.users.resetPassword({ id: (await makeUser(db, w.org.dept.id, ["applicant"])).id }),
  },
  "users.resetMfa": {
    roles: ["security"],
    scoped: false,
    call: async (w) => w.caller.users.resetMfa({ username: (await makeUser(db, w.org.dept.id, ["ops"])).username }),
  },
  "users.setSso": {
    roles: ["sysadmin"],
    scoped: false,
    call: async (w) => w.caller.users.setSso({ id: (await makeUser(db, w.org.dept.id, ["applicant"])).id, ssoUsername: unique("sso.") }),
  },
  "users.setStatus": {
    roles: ["sysadmin"],
    scoped: false,
    call: async (w) => w.caller.users.setStatus({ id: (await makeUser(db, w.org.dept.id, [])).id, unlock: true }),
  },
  "exemptions.grant": {
    roles: ["security"],
    scoped: false,
    call: async (w) =>
      w.caller.exemptions.grant({
        systemId: (await w.org.newSystem()).id,
        controlId: "registry-allowlist",
        reason: "矩阵测试豁免",
        expiresAt: new Date(Date.now() + 86_400_000),
      }),
  },
  "exemptions.revoke": {
    roles: ["security"],
    scoped: false,
    call: async (w) => {
      const { id } = await w.org.as("security").exemptions.grant({
        systemId: (await w.org.newSystem()).id,
        controlId: "registry-allowlist",
        reason: "矩阵测试豁免",
        expiresAt: new Date(Date.now() + 86_400_000),
      });
      return w.caller.exemptions.revoke({ id });
    },
  },
  "exemptions.list": { roles: ALL_READERS, scoped: true, call: async (w) => w.caller.exemptions.list({ systemId: (await w.org.newSystem()).id }) },
  "evidence.list": { roles: ALL_READERS, scoped: false, call: (w) => w.caller.evidence.list() },
  "evidence.get": { roles: ALL_READERS, scoped: true, call: async (w) => w.caller.evidence.get({ systemId: (await w.org.newSystem()).id }) },
  "evidence.refresh": {
    roles: ["security"],
    scoped: false,
    call: async (w) => {
      const { system, request } = await requestIn(w.org, "provisioning");
      await completeProvisioning(db.db, request.id, { ok: true });
      // The row the controller keeps for every system it manages.
      await db.db.insert(reconcileStates).values({ systemId: system.id });
      return w.caller.evidence.refresh({ systemId: system.id });
    },
  },
  "policies.catalog": { roles: "signed-in", scoped: false, call: (w) => w.caller.policies.catalog({ zone: "internal" }) },
  "audit.search": { roles: ["auditor"], scoped: false, call: (w) => w.caller.audit.search({ limit: 5 }) },
  "audit.verify": { roles: ["auditor"], scoped: false, call: (w) => w.caller.audit.verify() },
  "audit.anchor": { roles: ["auditor"], scoped: false, call: (w) => w.caller.audit.anchor() },
  "audit.checkAnchor": { roles: ["auditor"], scoped: false, call: (w) => w.caller.audit.checkAnchor({ seq: 1, hash: "0".repeat(64) }) },
  // This chain has no break to acknowledge: an admitted caller reaches the service, which answers
  // CONFLICT (test/security.integration.test.ts acknowledges real breaks).
  "audit.acknowledgeBreak": {
    roles: ["auditor"],
    scoped: false,
    call: (w) =>
      w.caller.audit.acknowledgeBreak({ seq: 1, reason: "矩阵测试 / matrix test" }).catch((e: TRPCError) => (e.code === "CONFLICT" ? e : Promise.reject(e))),
  },
  "allocations.list": { roles: ALL_READERS, scoped: false, call: (w) => w.caller.allocations.list() },
  "tokens.list": { roles: ["dept_admin", "ops", "security", "auditor", "sysadmin"], scoped: false, call: (w) => w.caller.tokens.list() },
  "tokens.create": {
    roles: ["dept_admin", "ops", "security", "auditor", "sysadmin"],
    scoped: false,
    call: (w) => w.caller.tokens.create({ name: unique("t"), roles: [w.role], expiresInDays: 1 }),
  },
  "tokens.revoke": {
    roles: ["dept_admin", "ops", "security", "auditor", "sysadmin"],
    scoped: false,
    call: async (w) => w.caller.tokens.revoke({ id: (await w.caller.tokens.create({ name: unique("t"), roles: [w.role], expiresInDays: 1 })).id }),
  },
};

let db: Database;
const KNOWN_PASSWORD = "Matrix-Known-Passw0rd";
let knownHash: string;
beforeAll(async () => {
  db = await testDatabase();
  knownHash = await hashPassword(KNOWN_PASSWORD);
});

/** "FORBIDDEN" when the call was refused for role or department; otherwise how it ended. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    const err = e as TRPCError;
    const code = (err.cause as { code?: string } | undefined)?.code;
    if (code === "FORBIDDEN" || (err.code === "FORBIDDEN" && !code)) return "FORBIDDEN";
    return `error:${code ?? err.code}:${err.message}`;
  }
}

const procedures = Object.keys((appRouter._def as unknown as { procedures: Record<string, unknown> }).procedures).sort();

describe("role matrix", () => {
  it("has a row for every procedure of the router, and no row for a procedure that is gone", () => {
    expect(procedures.length).toBeGreaterThan(30);
    expect(Object.keys(TABLE).sort()).toEqual(procedures);
  });

  it.each(procedures)("%s: each role, own and other department", async (path) => {
    const row = TABLE[path];
    if (!row) throw new Error(`no role-matrix row for ${path}`);
    const org = await makeOrg(db);
    const other = await makeOrg(db);
    const mismatches: string[] = [];
    for (const role of ROLES) {
      for (const side of ["own", "other"] as const) {
        const actor = side === "own" ? await makeUser(db, org.dept.id, [role]) : await makeUser(db, other.dept.id, [role]);
        const got = await outcome(row.call({ org, caller: callerFor(db, actor), actor, role }));
        const admitted = row.roles === "anyone" || row.roles === "signed-in" || row.roles.includes(role);
        const departmentBound = role === "applicant" || role === "dept_admin";
        const expectAllowed = admitted && !(row.scoped && side === "other" && departmentBound);
        if (expectAllowed === (got === "FORBIDDEN")) mismatches.push(`${role}/${side}: expected ${expectAllowed ? "allowed" : "FORBIDDEN"}, got ${got}`);
        // Allowed calls must also succeed outright, so the matrix proves the permission works.
        else if (expectAllowed && got !== "ok") mismatches.push(`${role}/${side}: allowed but failed: ${got}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("refuses every non-public procedure to an anonymous caller", async () => {
    const org = await makeOrg(db);
    for (const path of procedures) {
      const row = TABLE[path]!;
      if (row.roles === "anyone") continue;
      const err = await row
        .call({ org, caller: callerFor(db, null), actor: org.people.applicant, role: "applicant" })
        .then(() => null)
        .catch((e: TRPCError) => e);
      expect(err?.code, path).toBe("UNAUTHORIZED");
    }
  });
});
