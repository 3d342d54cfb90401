/**
 * Every procedure, called as every role from the target's own department and from another one,
 * is allowed or FORBIDDEN exactly as this table says. The procedure list comes from the router:
 * a procedure without a row here fails the test.
 */
import type { TRPCError } from "@trpc/server";
import type { Database } from "@zhengyun/db/client";
import type { Actor } from "@zhengyun/db/context";
import { completeProvisioning } from "@zhengyun/db/requests/platform";
import { evidenceReports, notifications, reconcileStates, usagePoints, users } from "@zhengyun/db/schema";
import { type RequestState, ROLES, type Role } from "@zhengyun/db/schema/enums";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../src/auth/passwords.js";
import { totpFor } from "../src/auth/totp.js";
import { appRouter } from "../src/server/router.js";
import { callerFor, type IsolatedDatabase, isolatedDatabase, makeOrg, makeUser, type Org, requestIn, testDatabase, unique } from "./harness.js";

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
/** Usage and cost reports: department staff for their own department, ops for all. */
const USAGE_READERS = ["applicant", "dept_admin", "ops"] as const;

/** A request of the target department in `state`, filed by the caller when the caller is its applicant. */
async function requestFor(w: World, state: "draft" | "submitted" | "dept_approved" | "ops_approved" | "provisioning") {
  const requester = w.role === "applicant" && w.actor.departmentId === w.org.dept.id ? w.actor : w.org.people.applicant;
  const org = { ...w.org, as: (who: keyof Org["people"]) => (who === "applicant" ? callerFor(db, requester) : w.org.as(who)) } as Org;
  return requestIn(org, state);
}

const stageOf = (role: Role): "dept" | "ops" | "security" => (role === "ops" ? "ops" : role === "security" ? "security" : "dept");
const stateFor = (role: Role): RequestState => (role === "ops" ? "dept_approved" : role === "security" ? "ops_approved" : "submitted");

const matrixWebhook = {
  name: "矩阵测试",
  format: "wecom" as const,
  url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix",
  events: ["approval_waiting" as const],
};

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
    call: async (w) =>
      w.caller.systems.grade({ id: (await w.org.newSystem(2, "external", { graded: false })).id, level: 3, filingNumber: "32100000000-30001" }),
  },
  "systems.setDriftMode": {
    roles: ["ops", "security"],
    scoped: false,
    call: async (w) => w.caller.systems.setDriftMode({ id: (await w.org.newSystem()).id, driftReportOnly: true, reason: "矩阵测试" }),
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
  "egress.list": { roles: ALL_READERS, scoped: false, call: (w) => w.caller.egress.list() },
  "egress.exportCsv": { roles: ALL_READERS, scoped: false, call: (w) => w.caller.egress.exportCsv() },
  "egress.system": { roles: ALL_READERS, scoped: true, call: async (w) => w.caller.egress.system({ id: (await w.org.newSystem()).id }) },
  "egress.verifyDay": { roles: ["auditor", "security"], scoped: false, call: (w) => w.caller.egress.verifyDay({ day: "2026-01-01" }) },
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
  "notifications.list": { roles: "signed-in", scoped: false, call: (w) => w.caller.notifications.list({ filter: "unread" }) },
  "notifications.unread": { roles: "signed-in", scoped: false, call: (w) => w.caller.notifications.unread() },
  "notifications.markRead": {
    roles: "signed-in",
    scoped: false,
    call: async (w) => {
      // Each person marks their own: a notification of the caller's, as a request's move would leave.
      const [row] = await db.db
        .insert(notifications)
        .values({ userId: w.actor.id, event: "approval_waiting", params: {}, link: "/", dedupKey: unique("matrix") })
        .returning({ id: notifications.id });
      return w.caller.notifications.markRead({ ids: [row!.id] });
    },
  },
  "notifications.markAllRead": { roles: "signed-in", scoped: false, call: (w) => w.caller.notifications.markAllRead() },
  "notifications.preferences": { roles: "signed-in", scoped: false, call: (w) => w.caller.notifications.preferences() },
  "notifications.setPreferences": {
    roles: "signed-in",
    scoped: false,
    call: (w) => w.caller.notifications.setPreferences({ email: "matrix@example.gov.cn", events: [{ event: "low_rating", portal: true, email: false }] }),
  },
  // Department admins manage their own department's webhooks only.
  "notifications.webhooks": { roles: ["dept_admin"], scoped: false, call: (w) => w.caller.notifications.webhooks() },
  "notifications.deliveries": { roles: ["dept_admin"], scoped: false, call: (w) => w.caller.notifications.deliveries() },
  "notifications.saveWebhook": {
    roles: ["dept_admin"],
    scoped: true,
    call: async (w) => {
      const hook = await w.org.as("deptAdmin").notifications.saveWebhook(matrixWebhook);
      return w.caller.notifications.saveWebhook({ ...matrixWebhook, id: hook.id, enabled: false });
    },
  },
  "notifications.deleteWebhook": {
    roles: ["dept_admin"],
    scoped: true,
    call: async (w) => w.caller.notifications.deleteWebhook({ id: (await w.org.as("deptAdmin").notifications.saveWebhook(matrixWebhook)).id }),
  },
  "usage.series": { roles: USAGE_READERS, scoped: true, call: (w) => w.caller.usage.series({ departmentId: w.org.dept.id, resource: "vcpu", days: 7 }) },
  "usage.idle": { roles: USAGE_READERS, scoped: true, call: (w) => w.caller.usage.idle({ departmentId: w.org.dept.id }) },
  "usage.monthly": { roles: USAGE_READERS, scoped: true, call: (w) => w.caller.usage.monthly({ departmentId: w.org.dept.id, month: "2026-11" }) },
  "usage.exportReport": {
    roles: USAGE_READERS,
    scoped: true,
    call: (w) => w.caller.usage.exportReport({ departmentId: w.org.dept.id, month: "2026-11", format: "csv" }),
  },
  "usage.overview": { roles: ["ops"], scoped: false, call: (w) => w.caller.usage.overview({ month: "2026-11" }) },
  "usage.priceList": { roles: USAGE_READERS, scoped: false, call: (w) => w.caller.usage.priceList() },
  "usage.updatePrices": {
    roles: ["ops"],
    scoped: false,
    call: async (w) => w.caller.usage.updatePrices({ prices: (await w.org.as("ops").usage.priceList()).current.prices, note: "矩阵测试" }),
  },
  "autoRules.list": { roles: ["ops"], scoped: false, call: (w) => w.caller.autoRules.list() },
  "autoRules.save": { roles: ["ops"], scoped: false, call: (w) => w.caller.autoRules.save({ departmentId: w.org.dept.id, name: unique("规则"), maxLevel: 2 }) },
  "autoRules.remove": {
    roles: ["ops"],
    scoped: false,
    call: async (w) =>
      w.caller.autoRules.remove({ id: (await w.org.as("ops").autoRules.save({ departmentId: w.org.dept.id, name: unique("规则"), maxLevel: 2 })).id }),
  },

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

/**
 * What each list procedure returns to every role of another department: department staff must
 * get none of the target department's rows, whatever filters they pass; platform roles see every
 * department by design (the rows are there, so the check bites); other roles are refused.
 */
describe("cross-department lists", () => {
  type Probe = {
    roles: readonly Role[] | "signed-in";
    /** The number of the target department's rows the caller gets, over every call made. */
    owned: (c: Caller, role: Role, t: Target) => Promise<number>;
  };
  type Target = Awaited<ReturnType<typeof targetDepartment>>;

  /** Query procedures that list nothing of a department: gets are in the matrix above (scoped). */
  const NOT_LISTS: Record<string, string> = {
    "auth.me": "the caller's own account",
    "systems.get": "one row, scoped in the matrix",
    "requests.get": "one row, scoped in the matrix",
    "departments.overview": "one row, scoped in the matrix",
    "evidence.get": "one row, scoped in the matrix",
    "platform.capacity": "platform totals, no department rows",
    "policies.catalog": "the control catalog, no department rows",
    "audit.verify": "the chain's verdict and counts, no entries",
    "audit.checkAnchor": "one anchor's verdict, no entries",
    "tokens.list": "the caller's own tokens (a department admin's: also their department's integrations)",
    "egress.system": "one system, scoped in the matrix",
    "egress.verifyDay": "a day's count and digest, no rows",
    "notifications.list": "the caller's own notifications",
    "notifications.unread": "the caller's own unread count",
    "notifications.preferences": "the caller's own preferences",
    // Their rows are connections: egress-log-service.integration.test.ts writes another
    // department's and proves neither list nor export returns them to department staff.
    "egress.list": "connection rows, cross-department refusal proved in the egress log service test",
    "egress.exportCsv": "connection rows, cross-department refusal proved in the egress log service test",
    "usage.series": "one department's sums, scoped in the matrix",
    "usage.monthly": "one department's report, scoped in the matrix",
    "usage.exportReport": "one department's report, scoped in the matrix",
    "usage.priceList": "the platform's price list, no department rows",
    "autoRules.list": "ops only; rules are platform configuration",
    "usage.overview": "ops only: every department's total by design",
  };

  const count = <T>(rows: T[], mine: (row: T) => boolean) => rows.filter(mine).length;
  /** Every row of a keyset-paged list, page by page. */
  const walk = async <T>(list: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>) => {
    const rows: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(cursor);
      rows.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return rows;
  };
  const stageOfRole = (role: Role) => stageOf(role);

  const PROBES: Record<string, Probe> = {
    "systems.list": {
      roles: ALL_READERS,
      owned: async (c, _r, t) =>
        count(await walk((cursor) => c.systems.list({ limit: 1000, cursor })), (s) => s.departmentId === t.deptId) +
        count(await walk((cursor) => c.systems.list({ ungraded: true, limit: 1000, cursor })), (s) => s.departmentId === t.deptId),
    },
    "requests.list": {
      roles: ALL_READERS,
      owned: async (c, _r, t) =>
        count(await c.requests.list({ limit: 500 }), (r) => r.departmentId === t.deptId) +
        count(await c.requests.list({ systemId: t.systemIds[0]!, limit: 500 }), (r) => r.departmentId === t.deptId),
    },
    "requests.queue": {
      roles: ["dept_admin", "ops", "security"],
      owned: async (c, role, t) => count(await c.requests.queue({ stage: stageOfRole(role) }), (r) => r.departmentId === t.deptId),
    },
    "departments.list": {
      roles: "signed-in",
      owned: async (c, _r, t) => count(await walk((cursor) => c.departments.list({ cursor })), (d) => d.id === t.deptId),
    },
    "exemptions.list": {
      roles: ALL_READERS,
      owned: async (c, _r, t) =>
        count(await walk((cursor) => c.exemptions.list({ activeOnly: false, limit: 500, cursor })), (e) => t.systemIds.includes(e.systemId)) +
        count((await c.exemptions.list()).items, (e) => t.systemIds.includes(e.systemId)),
    },
    "allocations.list": {
      roles: ALL_READERS,
      owned: async (c, _r, t) => {
        let owned = 0;
        let cursor: string | undefined;
        do {
          const page = await c.allocations.list({ limit: 500, ...(cursor ? { cursor } : {}) });
          owned += count(page.items, (a) => t.systemIds.includes(a.systemId));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return owned;
      },
    },
    "evidence.list": {
      roles: ALL_READERS,
      owned: async (c, _r, t) =>
        count(await walk((cursor) => c.evidence.list({ includeReleased: true, limit: 1000, cursor })), (e) => t.systemIds.includes(e.systemId)) +
        count(await walk((cursor) => c.evidence.list({ departmentId: t.deptId, includeReleased: true, limit: 1000, cursor })), (e) =>
          t.systemIds.includes(e.systemId),
        ),
    },
    "ratings.summary": {
      roles: ["ops"],
      owned: async (c, _r, t) => {
        const { perDepartment, low } = await c.ratings.summary();
        return count(perDepartment, (d) => d.departmentId === t.deptId) + count(low, (l) => t.requestIds.includes(l.requestId));
      },
    },
    "audit.search": {
      roles: ["auditor"],
      owned: async (c, _r, t) =>
        count(await c.audit.search({ limit: 500 }), (e) => t.ids.includes(e.targetId)) +
        count(await c.audit.search({ targetId: t.systemIds[0]!, limit: 500 }), (e) => t.ids.includes(e.targetId)),
    },
    "notifications.webhooks": {
      roles: ["dept_admin"],
      owned: async (c, _r, t) => count(await c.notifications.webhooks(), (h) => t.webhookIds.includes(h.id)),
    },
    "notifications.deliveries": {
      roles: ["dept_admin"],
      owned: async (c, _r, t) =>
        count(await c.notifications.deliveries({ limit: 500 }), (d) => t.webhookIds.includes(d.webhookId)) +
        count(await c.notifications.deliveries({ webhookId: t.webhookIds[0]!, limit: 500 }), (d) => t.webhookIds.includes(d.webhookId)),
    },
    "users.list": {
      roles: ["sysadmin"],
      owned: async (c, _r, t) => count(await walk((cursor) => c.users.list({ limit: 500, cursor })), (u) => t.userIds.includes(u.id)),
    },
    "usage.idle": { roles: USAGE_READERS, owned: async (c, _r, t) => count(await c.usage.idle(), (i) => t.systemIds.includes(i.systemId)) },
  };

  let isolated: IsolatedDatabase;
  let target: Target;

  /** A department with a row in every list: systems graded and not, requests at every stage, an exemption, a rating, evidence. */
  async function targetDepartment(database: Database) {
    const org = await makeOrg(database);
    const active = await requestIn(org, "provisioning", { segmentPrefix: 28 });
    await completeProvisioning(database.db, active.request.id, { ok: true });
    await org.as("applicant").requests.rate({ id: active.request.id, score: 1, comment: "开通太慢" });
    await database.db.insert(evidenceReports).values({
      systemId: active.system.id,
      contentHash: "0".repeat(64),
      generatedAt: new Date(),
      confirmedAt: new Date(),
      level: 2,
      total: 0,
      enforced: 0,
      exempted: 0,
      drifted: 0,
      report: {} as never,
    });
    const { id: exemptionId } = await org.as("security").exemptions.grant({
      systemId: active.system.id,
      controlId: "registry-allowlist",
      reason: "迁移期间使用原有镜像仓库",
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    // A webhook that hears of the requests below (nothing sends here: its messages stay in the log).
    const webhook = await org.as("deptAdmin").notifications.saveWebhook({ ...matrixWebhook, events: ["approval_waiting", "request_decided"] });
    // Thirty-five days of a grant barely used: a reclaim candidate in the idle list.
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    await database.db.insert(usagePoints).values(
      Array.from({ length: 35 }, (_, i) => ({
        systemId: active.system.id,
        departmentId: org.dept.id,
        resource: "vcpu" as const,
        resolution: "1d" as const,
        bucket: new Date(today - (35 - i) * 86_400_000),
        samples: 288,
        usedAvg: 0,
        usedMax: 0,
        grantedAvg: 2,
        grantedMax: 2,
      })),
    );
    const submitted = await requestIn(org, "submitted");
    const deptApproved = await requestIn(org, "dept_approved");
    const opsApproved = await requestIn(org, "ops_approved");
    const ungraded = await org.newSystem(1, "internal", { graded: false });
    const systemIds = [active.system.id, submitted.system.id, deptApproved.system.id, opsApproved.system.id, ungraded.id];
    const requestIds = [active.request.id, submitted.request.id, deptApproved.request.id, opsApproved.request.id];
    return {
      deptId: org.dept.id,
      systemIds,
      requestIds,
      userIds: Object.values(org.people).map((p) => p.id),
      ids: [...systemIds, ...requestIds, exemptionId, org.dept.id],
      webhookIds: [webhook.id],
    };
  }

  beforeAll(async () => {
    // A database of its own, so no list is cut short by other tests' rows.
    isolated = await isolatedDatabase("zy_leaks");
    target = await targetDepartment(isolated.database);
  });
  afterAll(async () => {
    await isolated?.drop();
  });

  it("probes every query procedure that lists rows", () => {
    const queries = Object.entries((appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> }).procedures)
      .filter(([, p]) => p._def.type === "query")
      .map(([path]) => path);
    expect(queries.filter((q) => !(q in PROBES) && !(q in NOT_LISTS))).toEqual([]);
  });

  it.each(Object.keys(PROBES))("%s: another department's staff get none of its rows", async (path) => {
    const probe = PROBES[path]!;
    const other = await makeOrg(isolated.database);
    const got: Record<string, string> = {};
    for (const role of ROLES) {
      const actor = await makeUser(isolated.database, other.dept.id, [role]);
      const admitted = probe.roles === "signed-in" || probe.roles.includes(role);
      const n = await probe.owned(callerFor(isolated.database, actor), role, target).then(
        (rows) => rows,
        (e: TRPCError) => (e.code === "FORBIDDEN" ? "FORBIDDEN" : Promise.reject(e)),
      );
      got[role] = typeof n === "number" ? (n === 0 ? "none" : "rows") : n;
      if (!admitted) expect(n, `${role} is not admitted`).toBe("FORBIDDEN");
    }
    const expected = Object.fromEntries(
      ROLES.map((role) => {
        const admitted = probe.roles === "signed-in" || probe.roles.includes(role);
        return [role, !admitted ? "FORBIDDEN" : role === "applicant" || role === "dept_admin" ? "none" : "rows"];
      }),
    );
    expect(got).toEqual(expected);
  });
});
