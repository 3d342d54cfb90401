import { randomBytes } from "node:crypto";
import type { Database } from "@zhengyun/db/client";
import { auditLog, sessions } from "@zhengyun/db/schema";
import { and, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, makeDepartment, makeUser, testDatabase } from "../../test/harness.js";
import { buildApp } from "../server/app.js";
import { hashPassword } from "./passwords.js";
import { DEFAULT_AUTH_POLICY, SESSION_COOKIE } from "./policy.js";
import { createSession, purgeStaleSessions, resolveSession, tokenHash } from "./sessions.js";

const PASSWORD = "Zhengyun-会话口令-2024";
const policy = DEFAULT_AUTH_POLICY;
const MINUTE = 60_000;
let db: Database;
let app: FastifyInstance;
let passwordHash: string;

beforeAll(async () => {
  db = await testDatabase();
  app = await buildApp({ db: db.db, logger: false, cookieSecret: randomBytes(32).toString("hex") });
  passwordHash = await hashPassword(PASSWORD);
});
afterAll(async () => {
  await app?.close();
});

async function person(roles: Parameters<typeof makeUser>[2] = ["applicant"]) {
  const dept = await makeDepartment(db);
  return makeUser(db, dept.id, roles, passwordHash);
}

/** auth.logout sent as the UI's tRPC client (httpBatchLink) sends a mutation without input. */
const logout = (token: string) => app.inject({ method: "POST", url: "/trpc/auth.logout?batch=1", payload: {}, cookies: { [SESSION_COOKIE]: token } });

/** Signs in over HTTP and returns the session token from the cookie. */
async function signIn(username: string): Promise<string> {
  const res = await app.inject({ method: "POST", url: "/trpc/auth.login", payload: { username, password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  const token = res.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
  expect(token).toBeTruthy();
  return token as string;
}

async function me(token: string) {
  const res = await app.inject({ method: "GET", url: "/trpc/auth.me", cookies: { [SESSION_COOKIE]: token } });
  const body = res.json() as { result?: { data: { id: string } }; error?: { data: { code: string } } };
  return { status: res.statusCode, id: body.result?.data.id, code: body.error?.data.code };
}

const sessionExists = async (token: string) =>
  (
    await db.db
      .select({ userId: sessions.userId })
      .from(sessions)
      .where(eq(sessions.tokenHash, tokenHash(token)))
  ).length === 1;

describe("sessions", () => {
  it("ends a session left idle longer than the idle window, while activity keeps it alive", async () => {
    const user = await person();
    const t0 = Date.now();
    const token = await createSession(db.db, user.id, policy, {}, new Date(t0));
    const at = (ms: number) => resolveSession(db.db, token, policy, new Date(t0 + ms));

    expect((await at(policy.idleTimeoutMs - MINUTE))?.id).toBe(user.id);
    // Without that activity this would be past the idle window; with it, it is not.
    expect((await at(2 * policy.idleTimeoutMs - 2 * MINUTE))?.id).toBe(user.id);
    const [row] = await db.db
      .select({ lastSeenAt: sessions.lastSeenAt })
      .from(sessions)
      .where(eq(sessions.tokenHash, tokenHash(token)));
    expect(row?.lastSeenAt.getTime()).toBe(t0 + 2 * policy.idleTimeoutMs - 2 * MINUTE);

    expect(await at(3 * policy.idleTimeoutMs - 2 * MINUTE)).toBeNull();
    // Refusing an idle session does not refresh it: it stays refused.
    expect(await at(3 * policy.idleTimeoutMs - MINUTE)).toBeNull();
  });

  it("ends a session at its absolute expiry however active it is", async () => {
    const user = await person();
    const t0 = Date.now();
    const token = await createSession(db.db, user.id, policy, {}, new Date(t0));
    const step = policy.idleTimeoutMs - MINUTE;
    let t = t0;
    for (; t + step < t0 + policy.absoluteTimeoutMs; t += step) expect((await resolveSession(db.db, token, policy, new Date(t + step)))?.id).toBe(user.id);
    expect((await resolveSession(db.db, token, policy, new Date(t0 + policy.absoluteTimeoutMs - 1)))?.id).toBe(user.id);
    expect(await resolveSession(db.db, token, policy, new Date(t0 + policy.absoluteTimeoutMs))).toBeNull();
  });

  it("refuses unknown tokens and purges only stale sessions", async () => {
    const user = await person();
    expect(await resolveSession(db.db, undefined, policy)).toBeNull();
    expect(await resolveSession(db.db, randomBytes(32).toString("base64url"), policy)).toBeNull();

    const t0 = Date.now();
    const fresh = await createSession(db.db, user.id, policy, {}, new Date(t0));
    const idle = await createSession(db.db, user.id, policy, {}, new Date(t0 - policy.idleTimeoutMs - MINUTE));
    const expired = await createSession(db.db, user.id, policy, {}, new Date(t0 - policy.absoluteTimeoutMs - MINUTE));
    await purgeStaleSessions(db.db, policy, new Date(t0));
    expect(await sessionExists(fresh)).toBe(true);
    expect(await sessionExists(idle)).toBe(false);
    expect(await sessionExists(expired)).toBe(false);
  });

  it("logout destroys the session behind the cookie, and only that one", async () => {
    const user = await person();
    const token = await signIn(user.username);
    const otherDevice = await signIn(user.username);
    expect(await me(token)).toMatchObject({ status: 200, id: user.id });

    const out = await logout(token);
    expect(out.statusCode).toBe(200);
    const cleared = out.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cleared?.value).toBe("");
    expect(cleared?.expires?.getTime() ?? 0).toBeLessThan(Date.now());
    expect(await sessionExists(token)).toBe(false);

    // A client that kept the old cookie is refused.
    expect(await me(token)).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect((await logout(token)).statusCode).toBe(401);
    expect(await me(otherDevice)).toMatchObject({ status: 200, id: user.id });

    const entries = await db.db
      .select({ actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.logout"), eq(auditLog.targetId, user.id)));
    expect(entries).toEqual([{ actorId: user.id }]);
  });

  it("stops a disabled user's session and refuses new sign-ins while disabled", async () => {
    const user = await person();
    const admin = await person(["sysadmin"]);
    const token = await signIn(user.username);
    expect(await me(token)).toMatchObject({ status: 200, id: user.id });

    await callerFor(db, admin).users.setStatus({ id: user.id, disabled: true });
    expect(await me(token)).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(await resolveSession(db.db, token, policy)).toBeNull();
    const again = await app.inject({ method: "POST", url: "/trpc/auth.login", payload: { username: user.username, password: PASSWORD } });
    expect(again.statusCode).toBe(401);
    expect(again.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();

    // Re-enabling the account does not bring the old session back.
    await callerFor(db, admin).users.setStatus({ id: user.id, disabled: false });
    expect(await resolveSession(db.db, token, policy)).toBeNull();
  });
});
