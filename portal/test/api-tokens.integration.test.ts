/** API tokens over real HTTP: create (secret shown once), use, scoped refusal, expiry, revocation, audit. */

import type { Database } from "@zhengyun/db/client";
import { apiTokens, auditLog } from "@zhengyun/db/schema";
import { and, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_AUTH_POLICY, SESSION_COOKIE } from "../src/auth/policy.js";
import { createSession, tokenHash } from "../src/auth/sessions.js";
import { buildApp } from "../src/server/app.js";
import { makeOrg, type Org, requestIn, testDatabase } from "./harness.js";

let db: Database;
let app: FastifyInstance;
let base: string;
let org: Org;
let other: Org;

beforeAll(async () => {
  db = await testDatabase();
  app = await buildApp({ db: db.db, logger: false, cookieSecret: "token-test-secret-token-test-secret" });
  await app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  org = await makeOrg(db);
  other = await makeOrg(db);
});
afterAll(async () => {
  await app?.close();
});

async function call(method: string, path: string, auth: { cookie?: string; bearer?: string }, body?: unknown) {
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> & { items?: Record<string, unknown>[] } };
}

const auditFor = (tokenId: string) =>
  db.db
    .select({ action: auditLog.action, after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.targetType, "api_token"), eq(auditLog.targetId, tokenId)))
    .orderBy(auditLog.seq);

describe("API tokens", () => {
  it("live through create, use, scoped refusal, revocation, each audited", async () => {
    const cookie = `${SESSION_COOKIE}=${await createSession(db.db, org.people.deptAdmin.id, DEFAULT_AUTH_POLICY, {})}`;
    const created = await call("POST", "/api/v1/tokens", { cookie }, { name: "政务服务网集成", roles: ["dept_admin"], expiresInDays: 30 });
    expect(created.status).toBe(201);
    const secret = created.json.secret as string;
    const id = created.json.id as string;
    expect(secret).toMatch(/^zy_[A-Za-z0-9_-]{43}$/);
    // Hashed at rest; the secret is not shown again.
    const [row] = await db.db.select().from(apiTokens).where(eq(apiTokens.id, id));
    expect(row!.tokenHash).toBe(tokenHash(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    const listed = await call("GET", "/api/v1/tokens", { cookie });
    expect(listed.json.items!.find((t) => t.id === id)).toMatchObject({ name: "政务服务网集成", roles: ["dept_admin"], lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(listed.json)).not.toContain(secret);

    // The token acts as its owner with only its roles, on REST and tRPC alike.
    expect((await call("GET", "/api/v1/me", { bearer: secret })).json).toMatchObject({ id: org.people.deptAdmin.id, roles: ["dept_admin"] });
    const trpc = await fetch(`${base}/trpc/auth.me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(trpc.status).toBe(200);

    const mine = await requestIn(org, "submitted");
    const approved = await call("POST", `/api/v1/approvals/${mine.request.id}/approve`, { bearer: secret }, {});
    expect(approved.status).toBe(200);
    expect(approved.json.state).toBe("dept_approved");

    // Another department's request is refused, as it is to the owner.
    const theirs = await requestIn(other, "submitted");
    const refused = await call("POST", `/api/v1/approvals/${theirs.request.id}/approve`, { bearer: secret }, {});
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ code: "FORBIDDEN" });
    // A role the token does not carry is refused even though… the owner does not hold it either.
    expect((await call("GET", "/api/v1/audit/verify", { bearer: secret })).status).toBe(403);
    // A token cannot mint tokens.
    expect((await call("POST", "/api/v1/tokens", { bearer: secret }, { name: "x", roles: ["dept_admin"] })).json).toMatchObject({ code: "FORBIDDEN" });

    const [used] = await db.db.select({ lastUsedAt: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.id, id));
    expect(used!.lastUsedAt).not.toBeNull();

    const revoked = await call("DELETE", `/api/v1/tokens/${id}`, { cookie });
    expect(revoked.status).toBe(200);
    expect((await call("GET", "/api/v1/me", { bearer: secret })).json).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    expect((await call("DELETE", `/api/v1/tokens/${id}`, { cookie })).json).toMatchObject({ code: "INVALID_STATE" });

    const trail = await auditFor(id);
    expect(trail.map((e) => e.action)).toEqual(["api_token.created", "api_token.used", "api_token.used", "api_token.used", "api_token.revoked"]);
    expect(trail[1]!.after).toMatchObject({ procedure: "requests.approve", ok: true });
    expect(trail[2]!.after).toMatchObject({ procedure: "requests.approve", ok: false, code: "FORBIDDEN" });
    expect(trail[3]!.after).toMatchObject({ procedure: "tokens.create", ok: false, code: "FORBIDDEN" });
  });

  it("carry only roles their creator holds, and stop at expiry", async () => {
    const cookie = `${SESSION_COOKIE}=${await createSession(db.db, org.people.ops.id, DEFAULT_AUTH_POLICY, {})}`;
    const tooMuch = await call("POST", "/api/v1/tokens", { cookie }, { name: "auto", roles: ["ops", "security"] });
    expect(tooMuch.status).toBe(403);
    expect((await call("POST", "/api/v1/tokens", { cookie }, { name: "auto", roles: ["ops"], expiresInDays: 366 })).status).toBe(400);
    const created = await call("POST", "/api/v1/tokens", { cookie }, { name: "运维脚本", roles: ["ops"], expiresInDays: 1 });
    const secret = created.json.secret as string;
    expect((await call("GET", "/api/v1/approvals?stage=ops", { bearer: secret })).status).toBe(200);
    // A department admin does not see an ops person's own automation token.
    const adminCookie = `${SESSION_COOKIE}=${await createSession(db.db, org.people.deptAdmin.id, DEFAULT_AUTH_POLICY, {})}`;
    const adminList = await call("GET", "/api/v1/tokens", { cookie: adminCookie });
    expect(adminList.json.items!.some((t) => t.id === created.json.id)).toBe(false);

    const past = new Date(Date.now() - 60_000);
    await db.db
      .update(apiTokens)
      .set({ createdAt: new Date(past.getTime() - 86_400_000), expiresAt: past })
      .where(eq(apiTokens.id, created.json.id as string));
    const expired = await call("GET", "/api/v1/approvals?stage=ops", { bearer: secret });
    expect(expired.status).toBe(401);
    expect((await call("GET", "/api/v1/me", { bearer: "zy_not-a-real-token-at-all-000000" })).status).toBe(401);
  });
});
