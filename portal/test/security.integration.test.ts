/**
 * The portal as an attacker meets it, through the real HTTP server on a database of its own:
 * text PostgreSQL cannot store, oversized batches, floods, bodies of every type, headers, metrics,
 * error bodies, and an audit chain that reports every break and takes an auditor's acknowledgement.
 */
import { randomBytes } from "node:crypto";
import { appendAudit, auditHashAlgorithm } from "@zhengyun/db/audit/append";
import type { AuditAction, AuditTargetType } from "@zhengyun/db/audit/vocabulary";
import { type Database, openDatabase } from "@zhengyun/db/client";
import { auditLog } from "@zhengyun/db/schema";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../src/auth/passwords.js";
import { SESSION_COOKIE } from "../src/auth/policy.js";
import { buildApp } from "../src/server/app.js";
import { parseTrustProxy, seedChoice } from "../src/server/config.js";
import type { RateLimits } from "../src/server/hardening.js";
import { buildMetricsApp, createMetrics } from "../src/server/metrics.js";
import { callerFor, type IsolatedDatabase, isolatedDatabase, makeDepartment, makeUser, TEST_RATE_LIMITS, unique } from "./harness.js";

const PASSWORD = "Zhengyun-安全测试-2026";
let isolated: IsolatedDatabase;
let db: Database;
let passwordHash: string;
const apps: FastifyInstance[] = [];
const GENEROUS: RateLimits = TEST_RATE_LIMITS;

async function app(opts: { rateLimits?: RateLimits; trustProxy?: boolean; secureCookies?: boolean; database?: Database } = {}) {
  const a = await buildApp({
    db: (opts.database ?? db).db,
    logger: false,
    cookieSecret: randomBytes(32).toString("hex"),
    rateLimits: opts.rateLimits ?? GENEROUS,
    trustProxy: opts.trustProxy ?? true,
    secureCookies: opts.secureCookies ?? false,
  });
  apps.push(a);
  return a;
}

beforeAll(async () => {
  isolated = await isolatedDatabase("zy_sec");
  db = isolated.database;
  passwordHash = await hashPassword(PASSWORD);
});

afterAll(async () => {
  for (const a of apps) await a.close();
  await isolated?.drop();
});

async function person(roles: Parameters<typeof makeUser>[2] = ["applicant"]) {
  const dept = await makeDepartment(db);
  return makeUser(db, dept.id, roles, passwordHash);
}

const auditor = async () => callerFor(db, await person(["auditor"]));

function login(a: FastifyInstance, username: string, password: string, ip = "192.0.2.1") {
  return a.inject({ method: "POST", url: "/trpc/auth.login", headers: { "x-forwarded-for": ip }, payload: { username, password } });
}

/** Rewrites one stored entry as the table's owner would, triggers off. */
async function tamper(seq: number, after: unknown) {
  await db.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update_delete`);
    await tx.execute(sql`update audit_log set after = ${JSON.stringify(after)}::jsonb where seq = ${seq}`);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update_delete`);
  });
}

/** Acknowledges every break verification reports, so the next test starts from a green chain. */
async function settle() {
  const auditorCaller = await auditor();
  const v = await auditorCaller.audit.verify();
  for (const b of v.breaks.filter((x) => !x.acknowledged))
    await auditorCaller.audit.acknowledgeBreak({ seq: b.seq, reason: "测试前的已知断链 / known before this test" });
  expect(await auditorCaller.audit.verify()).toMatchObject({ ok: true });
}

describe("text the database cannot store", () => {
  it("refuses a lone surrogate or NUL in any input with BAD_REQUEST, and the chain stays intact", async () => {
    const a = await app();
    await settle();
    for (const username of ["\ud800x", "x\udfff", "adm\u0000in"]) {
      const res = await login(a, username, "whatever");
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.error.data.code).toBe("BAD_REQUEST");
      expect(body.error.message).toMatch(/^username: .*lone surrogate or NUL/);
      expect(res.body).not.toMatch(/select|Failed query|password_hash/i);
    }
    const pw = await login(a, "someone", "pass\u0000word");
    expect(pw.statusCode).toBe(400);
    expect(pw.json().error.message).toMatch(/^password:/);

    // Queries too, with the input in the URL, and nested fields of signed-in procedures.
    const q = await a.inject({ method: "GET", url: `/trpc/audit.search?input=${encodeURIComponent(JSON.stringify({ text: "a\u0000" }))}` });
    expect(q.statusCode).toBe(400);
    // Outside tRPC, query strings are checked alike.
    const page = await a.inject({ method: "GET", url: "/evidence/00000000-0000-4000-8000-000000000000?report=1%00" });
    expect(page.statusCode).toBe(400);

    const verdict = await (await auditor()).audit.verify();
    expect(verdict).toMatchObject({ ok: true, breakCount: 0 });
  });

  it("stores and hashes text exactly as PostgreSQL returns it when it reaches the chain another way", async () => {
    await db.db.transaction((tx) =>
      appendAudit(tx, {
        actorId: null,
        actorName: "sso\ud800",
        actorRole: null,
        action: "auth.sso_refused",
        targetType: "user",
        targetId: "x\u0000y",
        after: { reason: "claim \udc00 with NUL \u0000", "key\ud800": 1 },
        correlationId: unique("c"),
        at: new Date(),
      }),
    );
    const [row] = await db.db.select().from(auditLog).orderBy(sql`seq desc`).limit(1);
    expect(row).toMatchObject({ actorName: "sso\ufffd", targetId: "x\ufffdy", after: { reason: "claim \ufffd with NUL \ufffd", "key\ufffd": 1 } });
    expect(await (await auditor()).audit.verify()).toMatchObject({ ok: true });
  });
});

describe("the audit chain", () => {
  it("finds the controller's drift entries and evidence requests under the system filter, older words included", async () => {
    const systemId = unique("sys");
    const entry = (action: AuditAction, targetType: AuditTargetType) =>
      db.db.transaction((tx) =>
        appendAudit(tx, {
          actorId: null,
          actorName: "zhengyun-controller",
          actorRole: null,
          action,
          targetType,
          targetId: systemId,
          correlationId: unique("c"),
          at: new Date(),
        }),
      );
    await entry("system.drift_detected", "system");
    await entry("evidence.refresh_requested", "system");
    // As entries were written before the vocabulary was one (the chain keeps their words).
    await entry("system.drift_healed", "information_system" as AuditTargetType);
    const found = await (await auditor()).audit.search({ targetType: "system", targetId: systemId, limit: 10 });
    expect(found.map((e) => e.action).sort()).toEqual(["evidence.refresh_requested", "system.drift_detected", "system.drift_healed"]);
    await expect((await auditor()).audit.search({ targetType: "information_system" as AuditTargetType, limit: 1 })).rejects.toThrow();
  });

  it("reports every break, takes the auditor's acknowledgement of each, and shows a new break again", async () => {
    await settle();
    const auditorCaller = await auditor();
    const org = await person();
    const seqs: number[] = [];
    for (let i = 0; i < 4; i++)
      seqs.push(
        (
          await db.db.transaction((tx) =>
            appendAudit(tx, {
              actorId: org.id,
              actorName: org.username,
              actorRole: "applicant",
              action: "audit.anchor_taken",
              targetType: "audit",
              targetId: String(i),
              after: { i },
              correlationId: unique("c"),
              at: new Date(),
            }),
          )
        ).seq,
      );
    await tamper(seqs[0]!, { i: 100 });
    await tamper(seqs[2]!, { i: 102 });

    const broken = await auditorCaller.audit.verify();
    expect(broken).toMatchObject({ ok: false, firstBrokenSeq: seqs[0], reason: "hash-mismatch", breakCount: 2 });
    expect(broken.breaks.map((b) => [b.seq, b.reason, b.acknowledged])).toEqual([
      [seqs[0], "hash-mismatch", null],
      [seqs[2], "hash-mismatch", null],
    ]);

    // Only a break verification reports can be acknowledged, and only once.
    await expect(auditorCaller.audit.acknowledgeBreak({ seq: seqs[1]!, reason: "不是断链 / not a break" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(auditorCaller.audit.acknowledgeBreak({ seq: seqs[0]!, reason: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const ack = await auditorCaller.audit.acknowledgeBreak({ seq: seqs[0]!, reason: "升级前写入的孤立代理项 / lone surrogate written before the fix" });
    const half = await auditorCaller.audit.verify();
    expect(half).toMatchObject({ ok: false, firstBrokenSeq: seqs[2], breakCount: 2 });
    expect(half.breaks[0]!.acknowledged).toMatchObject({ ackSeq: ack.ackSeq, reason: "升级前写入的孤立代理项 / lone surrogate written before the fix" });
    await expect(auditorCaller.audit.acknowledgeBreak({ seq: seqs[0]!, reason: "再次确认 / again" })).rejects.toMatchObject({ code: "CONFLICT" });

    await auditorCaller.audit.acknowledgeBreak({ seq: seqs[2]!, reason: "已核实 / checked with the DBA" });
    const green = await auditorCaller.audit.verify();
    expect(green).toMatchObject({ ok: true, breakCount: 2 });
    expect(green.breaks.every((b) => b.acknowledged)).toBe(true);
    // The acknowledgements are entries of the chain themselves.
    const acks = await auditorCaller.audit.search({ action: "audit.break_acknowledged", limit: 10 });
    expect(acks.map((e) => e.targetId)).toEqual(expect.arrayContaining([String(seqs[0]), String(seqs[2])]));

    // Altering an acknowledged entry again makes it a new break.
    await tamper(seqs[2]!, { i: 202 });
    expect(await auditorCaller.audit.verify()).toMatchObject({ ok: false, firstBrokenSeq: seqs[2] });
    await settle();
  });

  it("hashes new entries with SM3 when configured, records the digest per entry, and verifies a mixed chain", async () => {
    await settle();
    expect(auditHashAlgorithm({})).toBe("sha256");
    expect(auditHashAlgorithm({ ZHENGYUN_AUDIT_HASH: "sm3" })).toBe("sm3");
    expect(() => auditHashAlgorithm({ ZHENGYUN_AUDIT_HASH: "md5" })).toThrow(/sha256, sm3/);
    const previous = process.env.ZHENGYUN_AUDIT_HASH;
    const org = await person();
    try {
      process.env.ZHENGYUN_AUDIT_HASH = "sm3";
      await (await auditor()).audit.anchor();
      await login(await app(), org.username, "wrong");
    } finally {
      if (previous === undefined) delete process.env.ZHENGYUN_AUDIT_HASH;
      else process.env.ZHENGYUN_AUDIT_HASH = previous;
    }
    await (await auditor()).audit.anchor();
    const rows = await db.sql.query<{ hash_alg: string }>("select hash_alg from audit_log order by seq desc limit 3");
    expect(rows.rows.map((r) => r.hash_alg)).toEqual(["sha256", "sm3", "sm3"]);
    const mixed = await (await auditor()).audit.verify();
    expect(mixed.ok).toBe(true);
    expect(mixed.breaks.filter((b) => !b.acknowledged)).toEqual([]);
    // An SM3 entry altered is caught like any other.
    const [sm3] = (await db.sql.query<{ seq: number }>("select seq::int as seq from audit_log where hash_alg = 'sm3' order by seq limit 1")).rows;
    await tamper(sm3!.seq, { altered: true });
    expect(await (await auditor()).audit.verify()).toMatchObject({ ok: false, firstBrokenSeq: sm3!.seq });
    await settle();
  });
});

describe("abuse limits", () => {
  it("refuses batches over the limit and any batch with more than one sign-in, before reading the body", async () => {
    const a = await app();
    const before = await db.db.$count(auditLog);
    const paths = Array.from({ length: 100 }, () => "auth.login").join(",");
    const body = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [i, { username: `admin${i}`, password: "x" }]));
    const hundred = await a.inject({ method: "POST", url: `/trpc/${paths}?batch=1`, payload: body });
    expect(hundred.statusCode).toBe(400);
    expect(hundred.json().error.message).toMatch(/at most 10 calls/);
    const two = await a.inject({ method: "POST", url: "/trpc/auth.login,auth.login?batch=1", payload: { 0: body[0], 1: body[1] } });
    expect(two.statusCode).toBe(400);
    // One error per call of the batch, as the UI's client reads it.
    expect(two.json()).toHaveLength(2);
    expect(two.json()[0].error.message).toMatch(/cannot be batched/);
    const eleven = Array.from({ length: 11 }, () => "auth.me").join(",");
    expect((await a.inject({ method: "GET", url: `/trpc/${eleven}?batch=1` })).statusCode).toBe(400);
    expect(await db.db.$count(auditLog)).toBe(before);
  });

  it("throttles a flood of sign-ins from one address while another address still signs in", async () => {
    const a = await app({ rateLimits: { ...GENEROUS, loginPerIp: 5 } });
    const target = await person(["sysadmin"]);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await login(a, unique("spray"), "Password1!", "203.0.113.66")).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const refused = await login(a, target.username, PASSWORD, "203.0.113.66");
    expect(refused.statusCode).toBe(429);
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
    expect(refused.json().error.data).toMatchObject({ code: "TOO_MANY_REQUESTS", appCode: "RATE_LIMITED" });
    const other = await login(a, target.username, PASSWORD, "198.51.100.5");
    expect(other.statusCode).toBe(200);
    // The UI batches its calls: a throttled batch answers each call, in the shape its client reads.
    const batched = await a.inject({
      method: "POST",
      url: "/trpc/auth.login?batch=1",
      headers: { "x-forwarded-for": "203.0.113.66" },
      payload: { 0: { username: target.username, password: PASSWORD } },
    });
    expect(batched.statusCode).toBe(429);
    expect(batched.json()).toEqual([{ error: expect.objectContaining({ data: expect.objectContaining({ appCode: "RATE_LIMITED", httpStatus: 429 }) }) }]);
  });

  it("limits sign-ins per account across addresses, and mutations per address", async () => {
    const a = await app({ rateLimits: { ...GENEROUS, loginPerAccount: 3, mutationPerIp: 2 } });
    const target = await person();
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await login(a, target.username.toUpperCase(), "wrong", `203.0.113.${10 + i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
    const logout = () => a.inject({ method: "POST", url: "/trpc/auth.logout", headers: { "x-forwarded-for": "203.0.113.99" }, payload: {} });
    // Counted before the procedure runs: the anonymous calls are refused (401) until the limit, then 429.
    expect([(await logout()).statusCode, (await logout()).statusCode, (await logout()).statusCode]).toEqual([401, 401, 429]);
  });

  it("counts REST sign-ins and mutations like tRPC ones, answering with a problem document", async () => {
    const a = await app({ rateLimits: { ...GENEROUS, loginPerIp: 2, mutationPerIp: 2 } });
    const signIn = () =>
      a.inject({
        method: "POST",
        url: "/api/v1/session",
        headers: { "x-forwarded-for": "203.0.113.77" },
        payload: { username: unique("rest"), password: "wrong" },
      });
    const codes = [(await signIn()).statusCode, (await signIn()).statusCode];
    const third = await signIn();
    expect([...codes, third.statusCode]).toEqual([401, 401, 429]);
    expect(third.headers["content-type"]).toContain("application/problem+json");
    expect(third.json()).toMatchObject({ status: 429, code: "RATE_LIMITED" });
    const logout = () => a.inject({ method: "DELETE", url: "/api/v1/session", headers: { "x-forwarded-for": "203.0.113.78" } });
    expect([(await logout()).statusCode, (await logout()).statusCode, (await logout()).statusCode]).toEqual([401, 401, 429]);
  });

  it("does not trust X-Forwarded-For unless configured", async () => {
    const a = await app({ rateLimits: { ...GENEROUS, loginPerIp: 2 }, trustProxy: false });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await login(a, unique("x"), "wrong", `203.0.113.${i}`)).statusCode);
    expect(codes).toEqual([401, 401, 429]);
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy("1")).toBe(1);
    expect(parseTrustProxy("10.0.0.0/8")).toBe("10.0.0.0/8");
  });

  it("refuses multipart and other non-JSON bodies with 415 and oversized bodies with 413, before reading them", async () => {
    const a = await app();
    const boundary = "----zy";
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="username"\r\n\r\n${"x".repeat(2 * 1024 * 1024)}\r\n--${boundary}--\r\n`;
    const res = await a.inject({
      method: "POST",
      url: "/trpc/auth.login",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      payload: multipart,
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.data.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    for (const type of ["text/plain", "application/octet-stream", "application/x-www-form-urlencoded"])
      expect(
        (await a.inject({ method: "POST", url: "/trpc/auth.login", headers: { "content-type": type }, payload: "username=a&password=b" })).statusCode,
      ).toBe(415);
    const big = await a.inject({
      method: "POST",
      url: "/trpc/auth.login",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ username: "a", password: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
  });
});

describe("safe defaults", () => {
  it("sends the security headers on every response, HSTS only over TLS", async () => {
    const plain = await app();
    for (const url of ["/healthz", "/trpc/auth.me", "/no-such-page"]) {
      const res = await plain.inject({ method: "GET", url });
      expect(res.headers["content-security-policy"]).toMatch(/script-src 'self'/);
      expect(res.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
      expect(res.headers["content-security-policy"]).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-frame-options"]).toBe("DENY");
      expect(res.headers["referrer-policy"]).toBe("no-referrer");
      expect(res.headers["strict-transport-security"]).toBeUndefined();
    }
    const tls = await app({ secureCookies: true });
    expect((await tls.inject({ method: "GET", url: "/healthz" })).headers["strict-transport-security"]).toMatch(/max-age=31536000/);
  });

  it("marks cookies Secure when configured or when the request came over TLS", async () => {
    const user = await person();
    const a = await app();
    const cookieOf = (res: Awaited<ReturnType<typeof login>>) => res.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cookieOf(await login(a, user.username, PASSWORD))?.secure).toBeUndefined();
    const viaTls = await a.inject({
      method: "POST",
      url: "/trpc/auth.login",
      headers: { "x-forwarded-for": "192.0.2.1", "x-forwarded-proto": "https" },
      payload: { username: user.username, password: PASSWORD },
    });
    expect(cookieOf(viaTls)?.secure).toBe(true);
    expect(cookieOf(await login(await app({ secureCookies: true }), user.username, PASSWORD))?.secure).toBe(true);
  });

  it("serves /metrics only apart from the application, with labels limited to known procedures", async () => {
    const metrics = createMetrics();
    const a = await buildApp({ db: db.db, logger: false, cookieSecret: randomBytes(32).toString("hex"), rateLimits: GENEROUS, metrics });
    apps.push(a);
    expect((await a.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(404);
    for (let i = 0; i < 30; i++) await a.inject({ method: "GET", url: `/trpc/invented.path${i}` });
    await a.inject({ method: "GET", url: "/trpc/auth.me" });
    await a.inject({ method: "GET", url: "/trpc/auth.me,auth.me?batch=1&input=%7B%7D" });
    const scrape = buildMetricsApp(metrics, { token: "a-long-scrape-token-0123456789" });
    apps.push(scrape);
    expect((await scrape.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(401);
    const text = (await scrape.inject({ method: "GET", url: "/metrics", headers: { authorization: "Bearer a-long-scrape-token-0123456789" } })).body;
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]));
    expect(routes).toEqual(new Set(["/trpc/unknown", "/trpc/auth.me", "/trpc/batch", "unmatched"].filter((r) => routes.has(r))));
    expect(routes.has("/trpc/unknown")).toBe(true);
    expect([...routes].some((r) => r?.includes("invented"))).toBe(false);
  });

  it("tells clients a code and a request id, never SQL; /readyz keeps the database's words to the log", async () => {
    const gone = new URL(isolated.url);
    gone.pathname = `/${unique("zy_missing_")}`;
    const broken = await openDatabase({ url: gone.toString(), poolSize: 1 });
    try {
      const a = await app({ database: broken });
      const ready = await a.inject({ method: "GET", url: "/readyz" });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: "not ready" });
      const res = await a.inject({
        method: "POST",
        url: "/trpc/auth.login",
        headers: { "x-request-id": "req-42" },
        payload: { username: "ops1", password: "x" },
      });
      expect(res.statusCode).toBe(500);
      expect(res.json().error.message).toMatch(/internal error.*request id req-42/);
      expect(res.body).not.toMatch(/select|Failed query|database|password_hash/i);
    } finally {
      await broken.close();
    }
  });

  it("seeds the demo only when asked or on loopback", () => {
    expect(seedChoice({ HOST: "127.0.0.1" }).seed).toBe("demo");
    expect(seedChoice({ HOST: "0.0.0.0" })).toMatchObject({ seed: "none", why: expect.stringMatching(/ZHENGYUN_SEED=demo/) });
    expect(seedChoice({ HOST: "0.0.0.0", ZHENGYUN_SEED: "demo" }).seed).toBe("demo");
    expect(seedChoice({ HOST: "127.0.0.1", DATABASE_URL: "postgres://x@y/z" }).seed).toBe("none");
  });
});
