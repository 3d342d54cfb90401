/**
 * Two-factor sign-in, the password life cycle and sessions, through the real HTTP server and
 * PostgreSQL: each sign-in step is a POST with the cookies a browser would carry.
 */
import { randomBytes } from "node:crypto";
import type { Database } from "@zhengyun/db/client";
import { auditLog, passwordHistory, recoveryCodes, sessions, signInChallenges, users } from "@zhengyun/db/schema";
import type { Role } from "@zhengyun/db/schema/enums";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrolTotp, totpCode } from "../../test/auth/totp.js";
import { makeDepartment, makeUser, TEST_RATE_LIMITS, testDatabase, unique } from "../../test/harness.js";
import { buildApp } from "../server/app.js";
import { hashPassword } from "./passwords.js";
import { type AuthPolicy, DEFAULT_AUTH_POLICY, SESSION_COOKIE, SIGN_IN_COOKIE } from "./policy.js";
import { totpFor } from "./totp.js";

const PASSWORD = "Zhengyun-Identity-2026";
let db: Database;
let app: FastifyInstance;
let everyone: FastifyInstance;
let passwordHash: string;

beforeAll(async () => {
  db = await testDatabase();
  app = await buildApp({ db: db.db, logger: false, cookieSecret: randomBytes(32).toString("hex"), rateLimits: TEST_RATE_LIMITS });
  const all: AuthPolicy = { ...DEFAULT_AUTH_POLICY, mfa: "all" };
  everyone = await buildApp({ db: db.db, logger: false, cookieSecret: randomBytes(32).toString("hex"), policy: all, rateLimits: TEST_RATE_LIMITS });
  passwordHash = await hashPassword(PASSWORD);
});
afterAll(async () => {
  await app?.close();
  await everyone?.close();
});

interface Answer<T> {
  status: number;
  data?: T;
  error?: { message: string; data: { code: string; appCode?: string } };
}

/** One browser: a cookie jar over the real HTTP stack. */
function client(server: FastifyInstance = app) {
  const cookies = new Map<string, string>();
  const send = async <T>(method: "GET" | "POST", path: string, payload?: unknown): Promise<Answer<T>> => {
    // A mutation without input goes as the UI's batching client sends it.
    const bare = method === "POST" && payload === undefined;
    const res = await server.inject({
      method,
      url: `/trpc/${path}${bare ? "?batch=1" : ""}`,
      cookies: Object.fromEntries(cookies),
      ...(method === "POST" ? { payload: (payload ?? {}) as object } : {}),
    });
    for (const c of res.cookies) {
      if (c.maxAge === 0 || c.value === "" || (c.expires && c.expires.getTime() < Date.now())) cookies.delete(c.name);
      else cookies.set(c.name, c.value);
    }
    const json = res.json() as { result?: { data: T }; error?: Answer<T>["error"] } | [{ result?: { data: T }; error?: Answer<T>["error"] }];
    const body = Array.isArray(json) ? json[0] : json;
    return { status: res.statusCode, ...(body.result ? { data: body.result.data } : {}), ...(body.error ? { error: body.error } : {}) };
  };
  return {
    cookies,
    post: <T = { ok: true; next: string }>(path: string, payload?: unknown) => send<T>("POST", path, payload),
    get: <T = unknown>(path: string) => send<T>("GET", path),
    me: () =>
      send<{ id: string; notice: { lastLogin: { at: string; ip: string | null } | null; lastFailed: { at: string; ip: string | null } | null } }>(
        "GET",
        "auth.me",
      ),
  };
}

async function person(roles: Role[]) {
  const dept = await makeDepartment(db);
  return makeUser(db, dept.id, roles, passwordHash);
}

const auditOf = (userId: string) =>
  db.db
    .select({ action: auditLog.action, actorId: auditLog.actorId, actorRole: auditLog.actorRole, after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.targetType, "user"), eq(auditLog.targetId, userId)))
    .orderBy(asc(auditLog.seq));

const account = async (userId: string) => (await db.db.select().from(users).where(eq(users.id, userId)))[0]!;

describe("two-factor sign-in (TOTP)", () => {
  it("makes a platform role enrol after the password, with a QR code, before any session exists", async () => {
    const ops = await person(["ops"]);
    const browser = client();
    const first = await browser.post("auth.login", { username: ops.username, password: PASSWORD });
    expect(first.data).toEqual({ ok: true, next: "enrol_totp" });
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(browser.cookies.has(SIGN_IN_COOKIE)).toBe(true);
    // Nothing else is reachable in between.
    expect((await browser.me()).status).toBe(401);
    expect((await browser.get("systems.list")).status).toBe(401);
    // The other steps are refused out of order.
    expect((await browser.post("auth.secondFactor", { code: "123456" })).error?.data.appCode).toBe("INVALID_STATE");

    const setup = await browser.post<{ secret: string; uri: string; qrDataUrl: string }>("auth.totpSetup");
    expect(setup.status).toBe(200);
    const { secret, uri, qrDataUrl } = setup.data!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toMatch(new RegExp(`^otpauth://totp/.*${ops.username}\\?.*secret=${secret}`));
    expect(Buffer.from(qrDataUrl.replace("data:image/svg+xml;base64,", ""), "base64").toString()).toMatch(/^<svg/);
    // Pending, sealed: the secret is not in the row in clear, and does not count yet.
    let row = await account(ops.id);
    expect(row.totpEnabledAt).toBeNull();
    expect(row.totpPendingSecret).toMatch(/^v1\./);
    expect(row.totpPendingSecret).not.toContain(secret);

    const wrong = await browser.post("auth.totpConfirm", { code: "000000" });
    expect(wrong.status).toBe(400);
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);

    const code = totpFor(secret, ops.username).generate();
    const confirmed = await browser.post<{ ok: true; next: string; recoveryCodes: string[] }>("auth.totpConfirm", { code });
    expect(confirmed.data?.next).toBe("done");
    expect(confirmed.data?.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.data?.recoveryCodes).size).toBe(10);
    expect(browser.cookies.has(SESSION_COOKIE)).toBe(true);
    expect(browser.cookies.has(SIGN_IN_COOKIE)).toBe(false);
    expect((await browser.me()).data?.id).toBe(ops.id);

    row = await account(ops.id);
    expect(row.totpEnabledAt).toBeInstanceOf(Date);
    expect(row.totpSecret).toMatch(/^v1\./);
    expect(row.totpSecret).not.toContain(secret);
    expect(row.totpPendingSecret).toBeNull();
    const stored = await db.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, ops.id));
    expect(stored).toHaveLength(10);
    for (const c of stored) for (const shown of confirmed.data!.recoveryCodes) expect(c.codeHash).not.toContain(shown);
    // Enrolled: a second enrolment is refused, and the secret is never shown again.
    expect((await browser.post("auth.totpSetup")).error?.data.appCode).toBe("CONFLICT");
    expect((await auditOf(ops.id)).map((e) => e.action)).toEqual(["auth.login", "auth.totp_enrolled"]);
  });

  it("asks an enrolled account for its code: wrong code refused and counted, a code used once, recovery codes once", async () => {
    const auditor = await person(["auditor"]);
    const secret = await enrolTotp(db, auditor.id);
    const signIn = async () => {
      const b = client();
      expect((await b.post("auth.login", { username: auditor.username, password: PASSWORD })).data).toEqual({ ok: true, next: "totp" });
      expect(b.cookies.has(SESSION_COOKIE)).toBe(false);
      return b;
    };

    const b1 = await signIn();
    const wrong = await b1.post("auth.secondFactor", { code: "000000" });
    expect(wrong.status).toBe(401);
    expect(wrong.error?.data.appCode).toBe("UNAUTHENTICATED");
    expect((await account(auditor.id)).failedLogins).toBe(1);
    const code = await totpCode(db, auditor.id, secret);
    expect((await b1.post("auth.secondFactor", { code })).data).toEqual({ ok: true, next: "done" });
    expect((await b1.me()).data?.id).toBe(auditor.id);
    expect((await account(auditor.id)).failedLogins).toBe(0);

    // The same code again, within its window, in another sign-in: refused.
    const b2 = await signIn();
    const replay = await b2.post("auth.secondFactor", { code });
    expect(replay.status).toBe(401);
    expect(b2.cookies.has(SESSION_COOKIE)).toBe(false);

    // A recovery code: enrol through the API to get them, then spend one.
    await db.db.update(users).set({ totpSecret: null, totpEnabledAt: null }).where(eq(users.id, auditor.id));
    const enrol = client();
    expect((await enrol.post("auth.login", { username: auditor.username, password: PASSWORD })).data?.next).toBe("enrol_totp");
    const setup = await enrol.post<{ secret: string }>("auth.totpSetup");
    const codes = (await enrol.post<{ recoveryCodes: string[] }>("auth.totpConfirm", { code: totpFor(setup.data!.secret, "x").generate() })).data!
      .recoveryCodes;
    const b3 = await signIn();
    expect((await b3.post("auth.secondFactor", { code: codes[3]!.toUpperCase() })).data).toEqual({ ok: true, next: "done" });
    const b4 = await signIn();
    const spent = await b4.post("auth.secondFactor", { code: codes[3] });
    expect(spent.status).toBe(401);
    expect(
      await db.db
        .select()
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.userId, auditor.id), isNull(recoveryCodes.usedAt))),
    ).toHaveLength(9);

    const actions = (await auditOf(auditor.id)).map((e) => [e.action, (e.after as { method?: string } | null)?.method]);
    expect(actions).toContainEqual(["auth.second_factor", "totp"]);
    expect(actions).toContainEqual(["auth.second_factor", "recovery_code"]);
    expect(actions.filter(([a]) => a === "auth.second_factor_failed")).toHaveLength(3);
  });

  it("locks the account after five wrong codes, as after five wrong passwords", async () => {
    const sysadmin = await person(["sysadmin"]);
    await enrolTotp(db, sysadmin.id);
    const b = client();
    await b.post("auth.login", { username: sysadmin.username, password: PASSWORD });
    for (let i = 0; i < 4; i++) expect((await b.post("auth.secondFactor", { code: "111111" })).status).toBe(401);
    const fifth = await b.post("auth.secondFactor", { code: "111111" });
    expect(fifth.error?.data.appCode).toBe("ACCOUNT_LOCKED");
    expect((await account(sysadmin.id)).lockedUntil).toBeInstanceOf(Date);
    expect(await db.db.select().from(signInChallenges).where(eq(signInChallenges.userId, sysadmin.id))).toEqual([]);
  });

  it("lets only the security officer reset another person's second factor, audited, ending their sessions", async () => {
    const dept = await makeDepartment(db);
    const target = await makeUser(db, dept.id, ["ops"], passwordHash);
    const officer = await makeUser(db, dept.id, ["security"], passwordHash);
    const admin = await makeUser(db, dept.id, ["sysadmin"], passwordHash);
    const targetSecret = await enrolTotp(db, target.id);
    const officerSecret = await enrolTotp(db, officer.id);
    const adminSecret = await enrolTotp(db, admin.id);
    const signedIn = async (who: { id: string; username: string }, secret: string) => {
      const b = client();
      await b.post("auth.login", { username: who.username, password: PASSWORD });
      expect((await b.post("auth.secondFactor", { code: await totpCode(db, who.id, secret) })).data?.next).toBe("done");
      return b;
    };
    const targetBrowser = await signedIn(target, targetSecret);
    const adminBrowser = await signedIn(admin, adminSecret);
    expect((await adminBrowser.post("users.resetMfa", { username: target.username })).status).toBe(403);

    const officerBrowser = await signedIn(officer, officerSecret);
    expect((await officerBrowser.post("users.resetMfa", { username: officer.username })).status).toBe(403);
    expect((await officerBrowser.post("users.resetMfa", { username: target.username })).data).toEqual({ userId: target.id });
    expect((await targetBrowser.me()).status).toBe(401);
    const row = await account(target.id);
    expect([row.totpSecret, row.totpEnabledAt]).toEqual([null, null]);
    const [reset] = (await auditOf(target.id)).filter((e) => e.action === "user.mfa_reset");
    expect(reset).toMatchObject({ actorId: officer.id, actorRole: "security", after: { enrolled: false } });
    // The next sign-in enrols afresh.
    expect((await client().post("auth.login", { username: target.username, password: PASSWORD })).data?.next).toBe("enrol_totp");
  });

  it("signs other roles in with the password alone by default, and requires two factors of everyone when configured", async () => {
    const applicant = await person(["applicant"]);
    expect((await client().post("auth.login", { username: applicant.username, password: PASSWORD })).data).toEqual({ ok: true, next: "done" });
    const strict = client(everyone);
    expect((await strict.post("auth.login", { username: applicant.username, password: PASSWORD })).data).toEqual({ ok: true, next: "enrol_totp" });
    expect(strict.cookies.has(SESSION_COOKIE)).toBe(false);
  });
});

describe("passwords and sessions", () => {
  it("enforces complexity and history on a change, and ends the person's other sessions", async () => {
    const applicant = await person(["applicant"]);
    const other = client();
    await other.post("auth.login", { username: applicant.username, password: PASSWORD });
    const b = client();
    await b.post("auth.login", { username: applicant.username, password: PASSWORD });
    const change = (currentPassword: string, newPassword: string) => b.post("auth.changePassword", { currentPassword, newPassword });

    const wrongCurrent = await change("not-it", "Another-Passw0rd");
    expect(wrongCurrent.error?.message).toMatch(/current password is wrong/);
    for (const weak of ["Short1!", "alllowercaseletters", "lowercase-and-symbols", `X1-${applicant.username}`]) {
      const refused = await change(PASSWORD, weak);
      expect(refused.status, weak).toBe(400);
      expect(refused.error?.message).toMatch(/newPassword:/);
    }
    expect((await change(PASSWORD, PASSWORD)).error?.message).toMatch(/must differ from the last 5 passwords/);

    const sequence = ["Second-Passw0rd", "Third-Passw0rd", "Fourth-Passw0rd", "Fifth-Passw0rd", "Sixth-Passw0rd"];
    let current = PASSWORD;
    for (const next of sequence) {
      expect((await change(current, next)).data).toEqual({ ok: true });
      current = next;
    }
    // The last five (the current one included) are remembered; older ones may come back.
    for (const recent of sequence) expect((await change(current, recent)).error?.message, recent).toMatch(/must differ/);
    expect((await change(current, PASSWORD)).data).toEqual({ ok: true });
    expect(await db.db.select().from(passwordHistory).where(eq(passwordHistory.userId, applicant.id))).toHaveLength(5);
    // Other sessions ended; this one goes on.
    expect((await other.me()).status).toBe(401);
    expect((await b.me()).status).toBe(200);
    expect((await auditOf(applicant.id)).filter((e) => e.action === "auth.password_changed")).toHaveLength(6);
  });

  it("forces a change of an expired password at sign-in, and only then issues the session", async () => {
    const applicant = await person(["applicant"]);
    await db.db
      .update(users)
      .set({ passwordChangedAt: new Date(Date.now() - 91 * 86_400_000) })
      .where(eq(users.id, applicant.id));
    const b = client();
    expect((await b.post("auth.login", { username: applicant.username, password: PASSWORD })).data).toEqual({ ok: true, next: "change_password" });
    expect((await b.me()).status).toBe(401);
    expect((await b.post("auth.setPassword", { newPassword: PASSWORD })).error?.message).toMatch(/must differ/);
    expect((await b.post("auth.setPassword", { newPassword: "weak" })).status).toBe(400);
    expect((await b.post("auth.setPassword", { newPassword: "Renewed-Passw0rd-1" })).data).toEqual({ ok: true, next: "done" });
    expect((await b.me()).data?.id).toBe(applicant.id);
    expect((await auditOf(applicant.id)).filter((e) => e.action === "auth.password_changed").map((e) => e.after)).toEqual([{ reason: "expired" }]);
  });

  it("gives new and reset accounts a generated temporary password, changed at the first sign-in", async () => {
    const admin = await person(["sysadmin"]);
    const adminSecret = await enrolTotp(db, admin.id);
    const adminBrowser = client();
    await adminBrowser.post("auth.login", { username: admin.username, password: PASSWORD });
    await adminBrowser.post("auth.secondFactor", { code: await totpCode(db, admin.id, adminSecret) });

    const username = unique("new.");
    const created = await adminBrowser.post<{ id: string; temporaryPassword: string }>("users.create", {
      username,
      displayName: "新同事",
      departmentId: admin.departmentId,
      roles: ["applicant"],
    });
    expect(created.status).toBe(200);
    const temporary = created.data!.temporaryPassword;
    expect(temporary).toHaveLength(16);
    // A password chosen by the administrator is not accepted at all.
    const chosen = await adminBrowser.post("users.create", {
      username: unique("x."),
      displayName: "x",
      departmentId: admin.departmentId,
      password: "Chosen-Passw0rd",
    });
    expect(chosen.status).toBe(400);
    // The audit trail never holds the password.
    const [createdEntry] = (await auditOf(created.data!.id)).filter((e) => e.action === "user.create");
    expect(JSON.stringify(createdEntry)).not.toContain(temporary);

    const newcomer = client();
    expect((await newcomer.post("auth.login", { username, password: temporary })).data).toEqual({ ok: true, next: "change_password" });
    expect((await newcomer.post("auth.setPassword", { newPassword: temporary })).error?.message).toMatch(/must differ/);
    expect((await newcomer.post("auth.setPassword", { newPassword: "Own-Choice-Passw0rd" })).data).toEqual({ ok: true, next: "done" });
    expect((await newcomer.me()).data?.id).toBe(created.data!.id);

    // A reset: a new temporary password, the person's sessions end, and it must be changed again.
    expect((await adminBrowser.post("users.resetPassword", { id: admin.id })).status).toBe(403);
    const reset = await adminBrowser.post<{ temporaryPassword: string }>("users.resetPassword", { id: created.data!.id });
    expect((await newcomer.me()).status).toBe(401);
    expect((await client().post("auth.login", { username, password: "Own-Choice-Passw0rd" })).status).toBe(401);
    const again = client();
    expect((await again.post("auth.login", { username, password: reset.data!.temporaryPassword })).data?.next).toBe("change_password");
    expect((await account(created.data!.id)).mustChangePassword).toBe(true);
    expect((await auditOf(created.data!.id)).map((e) => e.action)).toContain("user.password_reset");
  });

  it("keeps at most three sessions per account, ending the oldest", async () => {
    const applicant = await person(["applicant"]);
    const browsers = [];
    for (let i = 0; i < 4; i++) {
      const b = client();
      await b.post("auth.login", { username: applicant.username, password: PASSWORD });
      browsers.push(b);
    }
    expect((await browsers[0]!.me()).status).toBe(401);
    for (const b of browsers.slice(1)) expect((await b.me()).status).toBe(200);
    expect(await db.db.select().from(sessions).where(eq(sessions.userId, applicant.id))).toHaveLength(3);
    expect((await auditOf(applicant.id)).find((e) => e.action === "auth.sessions_ended")?.after).toEqual({
      reason: "concurrent session limit",
      limit: 3,
      ended: 1,
    });
  });

  it("shows after sign-in the previous successful and the last failed sign-in", async () => {
    const applicant = await person(["applicant"]);
    const first = client();
    await first.post("auth.login", { username: applicant.username, password: PASSWORD });
    expect((await first.me()).data?.notice).toEqual({ lastLogin: null, lastFailed: null });

    expect((await client().post("auth.login", { username: applicant.username, password: "wrong" })).status).toBe(401);
    const second = client();
    await second.post("auth.login", { username: applicant.username, password: PASSWORD });
    const notice = (await second.me()).data?.notice;
    const row = await account(applicant.id);
    expect(notice?.lastLogin?.ip).toBe("127.0.0.1");
    expect(Date.parse(notice!.lastLogin!.at)).toBeLessThan(row.lastLoginAt!.getTime());
    expect(notice?.lastFailed).toEqual({ at: row.lastFailedLoginAt!.toISOString(), ip: "127.0.0.1" });
  });
});
