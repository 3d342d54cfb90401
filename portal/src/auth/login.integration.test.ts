import { randomBytes } from "node:crypto";
import type { Database } from "@zhengyun/db/client";
import { AppError } from "@zhengyun/db/errors";
import { auditLog, loginThrottle, users } from "@zhengyun/db/schema";
import { and, asc, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDepartment, makeUser, TEST_RATE_LIMITS, testDatabase, unique } from "../../test/harness.js";
import { buildApp } from "../server/app.js";
import { loginWithPassword } from "./login.js";
import { hashPassword } from "./passwords.js";
import { DEFAULT_AUTH_POLICY, SESSION_COOKIE } from "./policy.js";

const PASSWORD = "Zhengyun-正确口令-2024";
const policy = DEFAULT_AUTH_POLICY;
let db: Database;
let app: FastifyInstance;
let passwordHash: string;

beforeAll(async () => {
  db = await testDatabase();
  // Generous rate limits: these tests are about the lockout, which the limits would otherwise preempt.
  const rateLimits = TEST_RATE_LIMITS;
  app = await buildApp({ db: db.db, logger: false, cookieSecret: randomBytes(32).toString("hex"), rateLimits });
  passwordHash = await hashPassword(PASSWORD);
});
afterAll(async () => {
  await app?.close();
});

async function person() {
  const dept = await makeDepartment(db);
  return makeUser(db, dept.id, ["applicant"], passwordHash);
}

interface TrpcError {
  message: string;
  data: { code: string; httpStatus: number; appCode?: string; fields?: Record<string, unknown> };
}

/** POST /trpc/auth.login through the real HTTP stack. */
async function login(username: string, password: string) {
  const res = await app.inject({ method: "POST", url: "/trpc/auth.login", payload: { username, password } });
  const body = res.json() as { result?: { data: unknown }; error?: TrpcError };
  return { status: res.statusCode, body, error: body.error, session: res.cookies.find((c) => c.name === SESSION_COOKIE) };
}

/** app.inject's requests come from 127.0.0.1. */
const SOURCE = "127.0.0.1";

/** The failure counter of a login name from a source (none: no failures counted). */
async function state(username: string, source = SOURCE) {
  const [row] = await db.db
    .select({ failedLogins: loginThrottle.failures, lockedUntil: loginThrottle.lockedUntil })
    .from(loginThrottle)
    .where(and(eq(loginThrottle.loginName, username), eq(loginThrottle.source, source)));
  return row ?? { failedLogins: 0, lockedUntil: null };
}

const audit = (targetId: string) =>
  db.db
    .select({ action: auditLog.action, actorId: auditLog.actorId, actorName: auditLog.actorName, after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.targetType, "user"), eq(auditLog.targetId, targetId)))
    .orderBy(asc(auditLog.seq));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

describe("password login", () => {
  it("signs in with the right password and sets a strict, httpOnly session cookie", async () => {
    const user = await person();
    const res = await login(user.username, PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.result?.data).toEqual({ ok: true, next: "done" });
    expect(res.session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/", maxAge: policy.absoluteTimeoutMs / 1000 });
    expect(res.session?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const me = await app.inject({ method: "GET", url: "/trpc/auth.me", cookies: { [SESSION_COOKIE]: res.session?.value ?? "" } });
    expect(me.statusCode).toBe(200);
    expect(me.json().result.data).toMatchObject({ id: user.id, username: user.username });
    expect(await audit(user.id)).toEqual([{ action: "auth.login", actorId: user.id, actorName: user.username, after: { method: "password" } }]);
  });

  it("gives an unknown user, a wrong password and a disabled account the same answer, and audits each", async () => {
    const user = await person();
    const wrong = await login(user.username, "not-the-password");
    const ghostName = unique("ghost");
    const ghost = await login(ghostName, "not-the-password");
    const disabled = await person();
    await db.db.update(users).set({ disabled: true }).where(eq(users.id, disabled.id));
    const refused = await login(disabled.username, PASSWORD);

    for (const res of [wrong, ghost, refused]) {
      expect(res.status).toBe(401);
      expect(res.session).toBeUndefined();
      expect(res.error?.data.appCode).toBe("UNAUTHENTICATED");
      expect(res.error?.message).toBe(wrong.error?.message);
    }
    expect(wrong.error?.message).toMatch(/wrong username or password/);

    const counted = { failedLogins: 1, lockedUntil: null, source: SOURCE };
    expect(await audit(ghostName)).toEqual([
      { action: "auth.login_failed", actorId: null, actorName: ghostName, after: { reason: "unknown user", ...counted } },
    ]);
    expect(await audit(disabled.id)).toEqual([
      { action: "auth.login_failed", actorId: disabled.id, actorName: disabled.username, after: { reason: "disabled", ...counted } },
    ]);
    expect(await audit(user.id)).toMatchObject([{ action: "auth.login_failed", actorId: user.id, after: { failedLogins: 1, lockedUntil: null } }]);
  });

  it("locks the account after five wrong passwords, refuses even the right one, and unlocks after the window", async () => {
    const user = await person();
    const before = Date.now();
    for (let i = 1; i <= 4; i++) {
      const res = await login(user.username, `wrong-${i}`);
      expect(res.status).toBe(401);
      // Each failure is committed although the call errors.
      expect((await state(user.username)).failedLogins).toBe(i);
    }
    const fifth = await login(user.username, "wrong-5");
    expect(fifth.status).toBe(403);
    expect(fifth.error?.data.appCode).toBe("ACCOUNT_LOCKED");

    const locked = await state(user.username);
    expect(locked?.failedLogins).toBe(5);
    const lockedUntil = locked?.lockedUntil as Date;
    expect(lockedUntil.getTime()).toBeGreaterThanOrEqual(before + policy.lockoutMs);
    expect(lockedUntil.getTime()).toBeLessThanOrEqual(Date.now() + policy.lockoutMs);

    const right = await login(user.username, PASSWORD);
    expect(right.status).toBe(403);
    expect(right.error?.data.appCode).toBe("ACCOUNT_LOCKED");
    expect(right.session).toBeUndefined();
    // Both refusals tell the form until when.
    for (const res of [fifth, right]) expect(res.error?.data.fields).toEqual({ lockedUntil: lockedUntil.toISOString() });

    const meta = (at: number) => ({ correlationId: unique("c"), now: new Date(at), source: SOURCE });
    const input = { username: user.username, password: PASSWORD };
    expect(await codeOf(loginWithPassword(db.db, policy, input, meta(lockedUntil.getTime() - 1000)))).toBe("ACCOUNT_LOCKED");
    expect(await loginWithPassword(db.db, policy, input, meta(lockedUntil.getTime() + 1000))).toEqual({ userId: user.id });
    expect(await state(user.username)).toEqual({ failedLogins: 0, lockedUntil: null });

    expect((await audit(user.id)).map((e) => e.action)).toEqual([
      ...Array<string>(5).fill("auth.login_failed"),
      "auth.login_refused_locked",
      "auth.login_refused_locked",
      "auth.login",
    ]);
  });

  it("starts counting afresh once a lock has passed", async () => {
    const user = await person();
    const t0 = Date.parse("2030-01-01T00:00:00Z");
    const attempt = (password: string, at: number) =>
      codeOf(loginWithPassword(db.db, policy, { username: user.username, password }, { correlationId: unique("c"), now: new Date(at), source: SOURCE }));
    for (let i = 0; i < 4; i++) expect(await attempt("wrong", t0 + i)).toBe("UNAUTHENTICATED");
    expect(await attempt("wrong", t0 + 4)).toBe("ACCOUNT_LOCKED");

    const after = t0 + 4 + policy.lockoutMs + 1;
    expect(await attempt("wrong", after)).toBe("UNAUTHENTICATED");
    expect(await state(user.username)).toEqual({ failedLogins: 1, lockedUntil: null });
    expect(await attempt(PASSWORD, after + 1)).toBe("OK");
  });

  it("judges at most five concurrent wrong guesses before the lock holds", async () => {
    const user = await person();
    const guesses = Array.from({ length: 12 }, (_, i) => login(user.username, `guess-${i}`));
    const results = await Promise.all(guesses);
    expect(results.filter((r) => r.status === 401)).toHaveLength(4);
    expect(results.filter((r) => r.error?.data.appCode === "ACCOUNT_LOCKED")).toHaveLength(8);
    expect((await state(user.username)).failedLogins).toBe(5);
    const actions = (await audit(user.id)).map((e) => e.action);
    expect(actions.filter((a) => a === "auth.login_failed")).toHaveLength(5);
    expect(actions.filter((a) => a === "auth.login_refused_locked")).toHaveLength(7);
  });

  it("locks a name only for the source that failed: the account still signs in from elsewhere", async () => {
    const user = await person();
    const attempt = (password: string, source: string) =>
      codeOf(loginWithPassword(db.db, policy, { username: user.username, password }, { correlationId: unique("c"), source }));
    for (let i = 0; i < 4; i++) expect(await attempt("wrong", "203.0.113.7")).toBe("UNAUTHENTICATED");
    expect(await attempt("wrong", "203.0.113.7")).toBe("ACCOUNT_LOCKED");
    expect(await attempt(PASSWORD, "203.0.113.7")).toBe("ACCOUNT_LOCKED");
    // The administrator at their own desk is not locked out by the attacker's failures.
    expect(await attempt(PASSWORD, "198.51.100.20")).toBe("OK");
    expect(await state(user.username, "203.0.113.7")).toMatchObject({ failedLogins: 5 });
  });

  it("answers an unknown name exactly as a known one, lock included", async () => {
    const user = await person();
    const ghost = unique("ghost");
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      const a = await login(user.username, "wrong");
      const b = await login(ghost, "wrong");
      known.push([a.status, a.error?.data.appCode, a.error?.message.replace(/until .*/, "")]);
      unknown.push([b.status, b.error?.data.appCode, b.error?.message.replace(/until .*/, "")]);
    }
    expect(unknown).toEqual(known);
    expect(known.at(-1)).toEqual([403, "ACCOUNT_LOCKED", expect.any(String)]);
  });
});
