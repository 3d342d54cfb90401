/**
 * The REST API over real HTTP on real PostgreSQL: the OpenAPI document validates; every operation
 * answers a valid call with 2xx for an allowed role, and fuzzed invalid calls with a 4xx problem
 * document (never 5xx) that changes nothing.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import type { Database } from "@zhengyun/db/client";
import type { Actor } from "@zhengyun/db/context";
import { completeProvisioning } from "@zhengyun/db/requests/platform";
import { apiTokens, auditLog, autoApprovalRules, informationSystems, notifications, reconcileStates, resourceRequests } from "@zhengyun/db/schema";
import { and, count, eq, inArray } from "drizzle-orm";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../src/auth/passwords.js";
import { DEFAULT_AUTH_POLICY, SESSION_COOKIE } from "../src/auth/policy.js";
import { createSession } from "../src/auth/sessions.js";
import { buildApp } from "../src/server/app.js";
import { openApiDocument } from "../src/server/rest/openapi.js";
import { REST_ROUTES } from "../src/server/rest/routes.js";
import { makeOrg, makeUser, type Org, requestIn, testDatabase, unique } from "./harness.js";

let db: Database;
let app: FastifyInstance;
let base: string;
let org: Org;

beforeAll(async () => {
  db = await testDatabase();
  app = await buildApp({ db: db.db, logger: false, cookieSecret: "rest-test-secret-rest-test-secret" });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as { port: number };
  base = `http://127.0.0.1:${port}`;
  org = await makeOrg(db);
});
afterAll(async () => {
  await app?.close();
});

const sessionFor = async (actor: Actor) => `${SESSION_COOKIE}=${await createSession(db.db, actor.id, DEFAULT_AUTH_POLICY, {})}`;

async function call(method: string, path: string, opts: { cookie?: string; bearer?: string; body?: unknown; rawBody?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type") ?? "", json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe("OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document, served at /api/openapi.json, with one operation per route", async () => {
    const served = await call("GET", "/api/openapi.json");
    expect(served.status).toBe(200);
    expect(served.json).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    const result = await new Validator().validate(structuredClone(openApiDocument()) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const doc = served.json as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe("3.1.0");
    const ops = Object.entries(doc.paths).flatMap(([p, m]) => Object.keys(m).map((verb) => `${verb.toUpperCase()} ${p}`));
    expect(ops.sort()).toEqual(REST_ROUTES.map((r) => `${r.method} /api${r.path}`).sort());
  });

  it("has a reference page that loads only same-origin scripts", async () => {
    const res = await fetch(`${base}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await res.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, inline] of scripts) {
      expect(inline?.trim()).toBe("");
      const src = attrs?.match(/src="([^"]+)"/)?.[1];
      expect(src?.startsWith("/api/docs/")).toBe(true);
      expect((await fetch(`${base}${src}`)).status).toBe(200);
    }
  });
});

type Who = keyof Org["people"];
interface Case {
  who: Who;
  /** Fills the route's path and gives its query or body, set up fresh for each call. */
  valid: () => Promise<{ path: Record<string, string>; query?: Record<string, string | string[]>; body?: unknown }>;
}

const systemId = async () => (await org.newSystem()).id;
const active = async () => {
  const { system, request } = await requestIn(org, "provisioning");
  await completeProvisioning(db.db, request.id, { ok: true });
  return { system, request };
};

const CASES: Record<string, Case> = {
  "auth.me": { who: "applicant", valid: async () => ({ path: {} }) },
  "auth.login": {
    who: "applicant",
    valid: async () => {
      const user = await makeUser(db, org.dept.id, ["applicant"], await hashPassword("Rest-api-pass-1"));
      return { path: {}, body: { username: user.username, password: "Rest-api-pass-1" } };
    },
  },
  "auth.logout": { who: "applicant", valid: async () => ({ path: {} }) },
  "systems.list": { who: "applicant", valid: async () => ({ path: {}, query: { limit: "5" } }) },
  "systems.register": {
    who: "applicant",
    valid: async () => ({ path: {}, body: { name: unique("系统"), purpose: "接口测试用系统", level: 2, zone: "internal" } }),
  },
  "systems.get": { who: "applicant", valid: async () => ({ path: { id: await systemId() } }) },
  "systems.update": { who: "applicant", valid: async () => ({ path: { id: await systemId() }, body: { purpose: "新的用途说明" } }) },
  "systems.grade": {
    who: "security",
    valid: async () => ({ path: { id: await systemId() }, body: { level: 3, filingNumber: "32100000000-30001", reason: "复核定级 / regrade on review" } }),
  },
  "requests.list": { who: "applicant", valid: async () => ({ path: {}, query: { states: ["submitted", "draft"], mine: "true", limit: "10" } }) },
  "requests.create": {
    who: "applicant",
    valid: async () => ({
      path: {},
      body: {
        systemId: await systemId(),
        kind: "new",
        resources: { vcpu: 1, memory_gib: 2, storage_standard_gib: 5 },
        segmentPrefix: null,
        justification: "接口测试",
      },
    }),
  },
  "requests.get": { who: "applicant", valid: async () => ({ path: { id: (await requestIn(org, "submitted")).request.id } }) },
  "requests.submit": { who: "applicant", valid: async () => ({ path: { id: (await requestIn(org, "draft")).request.id } }) },
  "requests.withdraw": {
    who: "applicant",
    valid: async () => ({ path: { id: (await requestIn(org, "submitted")).request.id }, body: { reason: "不再需要" } }),
  },
  "requests.rate": { who: "applicant", valid: async () => ({ path: { id: (await active()).request.id }, body: { score: 5, comment: "好" } }) },
  "requests.queue": { who: "ops", valid: async () => ({ path: {}, query: { stage: "ops" } }) },
  "requests.approve": { who: "deptAdmin", valid: async () => ({ path: { id: (await requestIn(org, "submitted")).request.id }, body: {} }) },
  "requests.reject": {
    who: "deptAdmin",
    valid: async () => ({ path: { id: (await requestIn(org, "submitted")).request.id }, body: { reason: "理由不充分" } }),
  },
  "allocations.list": { who: "ops", valid: async () => ({ path: {}, query: { limit: "3" } }) },
  "evidence.list": { who: "applicant", valid: async () => ({ path: {}, query: { includeReleased: "true" } }) },
  "evidence.get": { who: "applicant", valid: async () => ({ path: { systemId: await systemId() } }) },
  "evidence.refresh": {
    who: "security",
    valid: async () => {
      const { system } = await active();
      await db.db.insert(reconcileStates).values({ systemId: system.id });
      return { path: { systemId: system.id } };
    },
  },
  "audit.search": { who: "auditor", valid: async () => ({ path: {}, query: { limit: "5", action: "request.submitted" } }) },
  "audit.verify": { who: "auditor", valid: async () => ({ path: {} }) },
  "audit.anchor": { who: "auditor", valid: async () => ({ path: {} }) },
  "audit.checkAnchor": { who: "auditor", valid: async () => ({ path: {}, body: { seq: 1, hash: "0".repeat(64) } }) },
  "departments.list": { who: "applicant", valid: async () => ({ path: {} }) },
  "departments.overview": { who: "applicant", valid: async () => ({ path: { id: org.dept.id } }) },
  "notifications.list": { who: "deptAdmin", valid: async () => ({ path: {}, query: { filter: "unread", limit: "20" } }) },
  "notifications.markRead": {
    who: "deptAdmin",
    valid: async () => {
      const { request } = await requestIn(org, "submitted");
      const [row] = await db.db
        .select({ id: notifications.id })
        .from(notifications)
        .where(and(eq(notifications.userId, org.people.deptAdmin.id), eq(notifications.link, `/requests/${request.id}`)));
      return { path: {}, body: { ids: [row!.id] } };
    },
  },
  "notifications.markAllRead": { who: "deptAdmin", valid: async () => ({ path: {} }) },
  "notifications.deliveries": { who: "deptAdmin", valid: async () => ({ path: {}, query: { limit: "10" } }) },
  "usage.series": { who: "applicant", valid: async () => ({ path: { departmentId: org.dept.id }, query: { resource: "vcpu", days: "7" } }) },
  "usage.monthly": { who: "deptAdmin", valid: async () => ({ path: { departmentId: org.dept.id }, query: { month: "2026-11" } }) },
  "usage.exportReport": { who: "deptAdmin", valid: async () => ({ path: { departmentId: org.dept.id }, query: { month: "2026-11", format: "csv" } }) },
  "usage.idle": { who: "ops", valid: async () => ({ path: {} }) },
  "usage.overview": { who: "ops", valid: async () => ({ path: {}, query: { month: "2026-11" } }) },
  "usage.priceList": { who: "applicant", valid: async () => ({ path: {} }) },
  "usage.updatePrices": {
    who: "ops",
    valid: async () => ({
      path: {},
      body: {
        prices: {
          vcpu: 0.06,
          memory_gib: 0.02,
          storage_standard_gib: 0.0003,
          storage_ssd_gib: 0.0008,
          storage_encrypted_gib: 0.001,
          segments: 0.1,
          egress_mbps: 0.05,
        },
        note: "REST 测试",
      },
    }),
  },
  "autoRules.list": { who: "ops", valid: async () => ({ path: {} }) },
  "autoRules.save": { who: "ops", valid: async () => ({ path: {}, body: { departmentId: org.dept.id, name: unique("规则"), maxLevel: 2, maxGrowthPct: 50 } }) },
  "autoRules.remove": {
    who: "ops",
    valid: async () => {
      const [row] = await db.db
        .insert(autoApprovalRules)
        .values({ departmentId: org.dept.id, name: unique("r") })
        .returning({ id: autoApprovalRules.id });
      return { path: { id: row!.id } };
    },
  },
  "tokens.list": { who: "deptAdmin", valid: async () => ({ path: {}, query: { limit: "10" } }) },
  "tokens.create": { who: "deptAdmin", valid: async () => ({ path: {}, body: { name: unique("集成"), roles: ["dept_admin"], expiresInDays: 30 } }) },
  "tokens.revoke": {
    who: "deptAdmin",
    valid: async () => {
      const [row] = await db.db
        .insert(apiTokens)
        .values({
          name: "to revoke",
          tokenHash: unique("h"),
          prefix: "zy_x",
          userId: org.people.deptAdmin.id,
          departmentId: org.dept.id,
          roles: ["dept_admin"],
          expiresAt: new Date(Date.now() + 86_400_000),
        })
        .returning({ id: apiTokens.id });
      return { path: { id: row!.id } };
    },
  },
};

function url(path: string, params: Record<string, string>, query?: Record<string, string | string[]>) {
  const filled = path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k] ?? "missing"));
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) for (const one of Array.isArray(v) ? v : [v]) qs.append(k, one);
  return `/api${filled}${qs.size ? `?${qs}` : ""}`;
}

/** Rows of this test's department a refused call must not have touched (other files share the database). */
async function footprint() {
  const people = Object.values(org.people).map((p) => p.id);
  const [[a], [r], [s], [t]] = await Promise.all([
    db.db.select({ n: count() }).from(auditLog).where(inArray(auditLog.actorId, people)),
    db.db.select({ n: count() }).from(resourceRequests).where(eq(resourceRequests.departmentId, org.dept.id)),
    db.db.select({ n: count() }).from(informationSystems).where(eq(informationSystems.departmentId, org.dept.id)),
    db.db.select({ n: count() }).from(apiTokens).where(eq(apiTokens.departmentId, org.dept.id)),
  ]);
  return { audit: a!.n, requests: r!.n, systems: s!.n, tokens: t!.n };
}

type Schema = {
  type?: string;
  enum?: unknown[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  anyOf?: Schema[];
  items?: Schema;
};

const isUuid = (v: string) => /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(v);

/**
 * Values the field's schema refuses, derived from the schema itself. `inQuery`: only values that
 * stay wrong once written as query text.
 */
function invalidFor(schema: Schema, inQuery: boolean): fc.Arbitrary<unknown> | null {
  const nullable = schema.anyOf?.some((s) => s.type === "null") ?? false;
  const s = schema.anyOf?.find((x) => x.type !== "null") ?? schema;
  const out: fc.Arbitrary<unknown>[] = [];
  const text = (min: number, max: number) => fc.string({ minLength: min, maxLength: max, unit: "grapheme-ascii" });
  if (s.enum) out.push(text(1, 12).filter((v) => !s.enum!.includes(v)));
  if (s.type === "string") {
    if (s.maxLength !== undefined) out.push(text(s.maxLength + 1, s.maxLength + 30).map((v) => `x${v}`));
    if (s.format === "uuid") out.push(text(1, 40).filter((v) => !isUuid(v)));
    if (!inQuery) out.push(fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 2 }));
  }
  if (s.type === "integer" || s.type === "number") {
    out.push(text(1, 8).filter((v) => !/^-?\d+(\.\d+)?$/.test(v)));
    if (s.maximum !== undefined) out.push(fc.integer({ min: s.maximum + 1, max: s.maximum + 1_000_000 }).map((v) => (inQuery ? String(v) : v)));
    if (s.minimum !== undefined) out.push(fc.integer({ min: s.minimum - 1_000_000, max: s.minimum - 1 }).map((v) => (inQuery ? String(v) : v)));
    if (s.type === "integer") out.push(fc.integer({ min: 1, max: 9 }).map((v) => (inQuery ? `${v}.5` : v + 0.5)));
  }
  if (s.type === "boolean") out.push(inQuery ? text(1, 6).filter((v) => v !== "true" && v !== "false") : fc.oneof(fc.string(), fc.integer()));
  if (s.type === "array") {
    const item = s.items ? invalidFor(s.items, inQuery) : null;
    if (item) out.push(fc.array(item, { minLength: 1, maxLength: 2 }).map((v) => (inQuery ? v.map(String) : v)));
    if (!inQuery) out.push(fc.string(), fc.integer());
  }
  if (s.type === "object" && !inQuery) out.push(fc.string(), fc.integer(), fc.array(fc.integer(), { maxLength: 2 }));
  if (!inQuery && !nullable && s.type) out.push(fc.constant(null));
  return out.length ? fc.oneof(...out) : null;
}

/** Each input field of an operation with the schema the document gives it. */
function fieldSchemas(method: string, path: string): { query: Record<string, Schema>; body: Record<string, Schema> } {
  const op = (openApiDocument() as { paths: Record<string, Record<string, Record<string, unknown>>> }).paths[`/api${path}`]![method.toLowerCase()]!;
  const params = (op.parameters as { name: string; in: string; schema: Schema }[] | undefined) ?? [];
  const body = (op.requestBody as { content: Record<string, { schema: { properties?: Record<string, Schema> } }> } | undefined)?.content["application/json"]
    ?.schema.properties;
  return { query: Object.fromEntries(params.filter((p) => p.in === "query").map((p) => [p.name, p.schema])), body: body ?? {} };
}

describe("every operation", () => {
  it("has a case here", () => {
    expect(Object.keys(CASES).sort()).toEqual(REST_ROUTES.map((r) => r.procedure).sort());
  });

  it.each(REST_ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))("%s: valid → 2xx, invalid → 4xx problem, nothing written", async (_, route) => {
    const c = CASES[route.procedure]!;
    const cookie = await sessionFor(org.people[c.who]);
    const valid = await c.valid();
    const ok = await call(route.method, url(route.path, valid.path, valid.query), { cookie, ...(valid.body !== undefined ? { body: valid.body } : {}) });
    expect({ status: ok.status, body: ok.json }).toMatchObject({ status: route.status ?? 200 });
    expect(ok.type).toContain("application/json");

    // Without credentials: 401 problem (the login itself is public).
    if (route.procedure !== "auth.login") {
      const anon = await call(route.method, url(route.path, valid.path, valid.query), valid.body !== undefined ? { body: valid.body } : {});
      expect(anon.status).toBe(401);
      expect(anon.json).toMatchObject({ code: "UNAUTHENTICATED", status: 401 });
    }

    const fresh = await c.valid();
    const before = await footprint();
    const paramNames = Object.keys(fresh.path);
    const schemas = fieldSchemas(route.method, route.path);
    const fieldArbs = Object.entries(route.method === "GET" ? schemas.query : schemas.body)
      .map(([field, schema]) => [field, invalidFor(schema, route.method === "GET")] as const)
      .filter((x): x is readonly [string, fc.Arbitrary<unknown>] => x[1] !== null);
    const hasBody = Object.keys(schemas.body).length > 0;
    type Bad = { kind: "field"; field: string; value: unknown } | { kind: "param"; value: string } | { kind: "raw"; value: string };
    const choices: fc.Arbitrary<Bad>[] = [
      // One field given a value its schema refuses.
      ...fieldArbs.map(([field, arb]) => fc.record({ kind: fc.constant("field" as const), field: fc.constant(field), value: arb })),
      // A path id that is no id.
      ...(paramNames.length
        ? [fc.record({ kind: fc.constant("param" as const), value: fc.string({ minLength: 1, maxLength: 60 }).filter((v) => !isUuid(v)) })]
        : []),
      // A body that is not JSON, or not an object.
      ...(hasBody ? [fc.record({ kind: fc.constant("raw" as const), value: fc.constantFrom("{", "[1,2", '"text"', "42", "[]") })] : []),
    ];
    if (choices.length === 0) return;
    const invalidCall = fc.oneof(...choices);
    await fc.assert(
      fc.asyncProperty(invalidCall, async (bad) => {
        let res: Awaited<ReturnType<typeof call>>;
        if (bad.kind === "param") {
          res = await call(route.method, url(route.path, Object.fromEntries(paramNames.map((p) => [p, bad.value])), fresh.query), {
            cookie,
            ...(fresh.body !== undefined ? { body: fresh.body } : {}),
          });
        } else if (bad.kind === "raw") {
          res = await call(route.method, url(route.path, fresh.path), { cookie, rawBody: bad.value });
        } else if (route.method === "GET") {
          res = await call(route.method, url(route.path, fresh.path, { ...fresh.query, [bad.field]: bad.value as string | string[] }), { cookie });
        } else {
          res = await call(route.method, url(route.path, fresh.path), { cookie, body: { ...(fresh.body as object), [bad.field]: bad.value } });
        }
        expect(res.status, JSON.stringify(res.json)).toBeGreaterThanOrEqual(400);
        expect(res.status, JSON.stringify(res.json)).toBeLessThan(500);
        expect(res.type).toContain("application/problem+json");
        expect(res.json).toMatchObject({
          status: res.status,
          code: expect.any(String),
          detail: expect.any(String),
          type: expect.stringContaining("urn:zhengyun:error:"),
        });
      }),
      { numRuns: 12, seed: 16 },
    );
    const after = await footprint();
    // Refused calls write nothing; a refused login attempt is itself audited (its own rule).
    if (route.procedure === "auth.login") expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
    else expect(after).toEqual(before);
  });
});
