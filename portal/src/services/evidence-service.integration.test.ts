// Compliance evidence in the portal: what the controller stored, shown by scope, as a printable
// page and a download, and a fresh check on request. Real PostgreSQL, the real HTTP server.
import { randomBytes } from "node:crypto";
import type { TRPCError } from "@trpc/server";
import type { Database } from "@zhengyun/db/client";
import { completeProvisioning } from "@zhengyun/db/requests/platform";
import { auditLog, evidenceReports, reconcileStates } from "@zhengyun/db/schema";
import { compileBaseline, compileTenant, evidenceReport, type KubeObject, type TenantInput } from "@zhengyun/policies";
import { and, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, makeOrg, type Org, requestIn, testDatabase } from "../../test/harness.js";
import { DEFAULT_AUTH_POLICY, SESSION_COOKIE } from "../auth/policy.js";
import { createSession } from "../auth/sessions.js";
import { buildApp } from "../server/app.js";

let db: Database;
let app: FastifyInstance;
let org: Org;
let other: Org;
let system: { id: string; name: string; namespace: string };

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: TRPCError) => (e.cause as { code?: string } | undefined)?.code ?? e.code,
  );

function inputFor(namespace: string, exemptions: TenantInput["exemptions"] = []): TenantInput {
  return {
    system: namespace,
    namespace,
    department: "test",
    level: 3,
    zone: "external",
    quota: { cpu: "2", memory: "4Gi", storage: { encrypted: "10Gi" } },
    exemptions,
    egressAllowList: [],
    now: new Date(),
  };
}

/** A report as the controller stores it, with `live` standing for what it read from the cluster. */
async function storeReport(systemId: string, input: TenantInput, live: KubeObject[], at: Date) {
  const report = evidenceReport(input, live);
  const [row] = await db.db
    .insert(evidenceReports)
    .values({ systemId, contentHash: `sha256:${randomBytes(8).toString("hex")}`, generatedAt: at, confirmedAt: at, level: 3, ...report.summary, report })
    .returning({ id: evidenceReports.id });
  return row!.id;
}

async function cookieFor(userId: string): Promise<string> {
  return `${SESSION_COOKIE}=${await createSession(db.db, userId, DEFAULT_AUTH_POLICY, {})}`;
}

let enforcedId: number;
let driftedId: number;

beforeAll(async () => {
  db = await testDatabase();
  app = await buildApp({ db: db.db, logger: false, cookieSecret: randomBytes(32).toString("hex") });
  org = await makeOrg(db, { level: 3 });
  other = await makeOrg(db, { level: 3 });
  const filed = await requestIn(org, "provisioning", { level: 3 });
  await completeProvisioning(db.db, filed.request.id, { ok: true });
  await db.db.insert(reconcileStates).values({ systemId: filed.system.id });
  system = { ...filed.system, name: (await org.as("applicant").systems.get({ id: filed.system.id })).name };
  const input = inputFor(system.namespace);
  const compiled = [...compileBaseline(), ...compileTenant(input).objects];
  driftedId = await storeReport(system.id, input, [], new Date(Date.now() - 60_000));
  enforcedId = await storeReport(system.id, input, compiled, new Date());
});

afterAll(async () => {
  await app?.close();
});

describe("compliance evidence", () => {
  it("lists the systems in scope with their latest report", async () => {
    const all = (await org.as("security").evidence.list({ departmentId: org.dept.id })).items;
    const row = all.find((r) => r.systemId === system.id);
    expect(row?.latest).toMatchObject({ reportId: enforcedId, drifted: 0 });
    expect(row?.latest?.enforced).toBe(row?.latest?.total);
    expect(row?.latest?.total).toBeGreaterThan(5);
    // A system on the cluster without a report yet comes before it, with no summary.
    const waiting = await requestIn(org, "provisioning", { level: 3 });
    const listed = (await org.as("security").evidence.list({ departmentId: org.dept.id })).items;
    expect(listed.findIndex((r) => r.systemId === waiting.system.id)).toBeLessThan(listed.findIndex((r) => r.systemId === system.id));
    expect(listed.find((r) => r.systemId === waiting.system.id)?.latest).toBeNull();

    // Another department's applicant does not see it; this department's does.
    expect((await other.as("applicant").evidence.list()).items.some((r) => r.systemId === system.id)).toBe(false);
    expect((await org.as("applicant").evidence.list()).items.some((r) => r.systemId === system.id)).toBe(true);
    // An applicant's department filter cannot reach past their own department.
    expect((await other.as("applicant").evidence.list({ departmentId: org.dept.id })).items).toEqual([]);
  });

  it("shows a system's latest report, an earlier one on request, and its history", async () => {
    const latest = await org.as("auditor").evidence.get({ systemId: system.id });
    expect(latest.reportId).toBe(enforcedId);
    expect(latest.report?.system).toMatchObject({ namespace: system.namespace, level: 3 });
    expect(latest.history.map((h) => h.reportId)).toEqual([enforcedId, driftedId]);
    expect(latest.system).toMatchObject({ id: system.id, name: system.name });

    const earlier = await org.as("auditor").evidence.get({ systemId: system.id, reportId: driftedId });
    expect(earlier.report?.summary.drifted).toBe(earlier.report?.summary.total);
    expect(earlier.report?.controls.every((c) => c.objects.some((o) => o.status === "missing"))).toBe(true);

    // A report id of another system is not this system's report.
    const elsewhere = await requestIn(org, "provisioning", { level: 3 });
    expect(await codeOf(org.as("auditor").evidence.get({ systemId: elsewhere.system.id, reportId: enforcedId }))).toBe("NOT_FOUND");
    expect(await codeOf(other.as("deptAdmin").evidence.get({ systemId: system.id }))).toBe("FORBIDDEN");
  });

  it("asks the controller for a fresh check, audited, only for systems on the cluster", async () => {
    await db.db
      .update(reconcileStates)
      .set({ checkDueAt: new Date(Date.now() + 3_600_000) })
      .where(eq(reconcileStates.systemId, system.id));
    const before = Date.now();
    await org.as("security").evidence.refresh({ systemId: system.id });
    const [state] = await db.db.select().from(reconcileStates).where(eq(reconcileStates.systemId, system.id));
    expect(state?.checkDueAt?.getTime()).toBeLessThanOrEqual(Date.now());
    expect(state?.checkDueAt?.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    const audited = await db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, system.id), eq(auditLog.action, "evidence.refresh_requested")));
    expect(audited).toHaveLength(1);
    expect(audited[0]?.actorName).toBe(org.people.security.username);

    const unprovisioned = await org.newSystem(3);
    expect(await codeOf(org.as("security").evidence.refresh({ systemId: unprovisioned.id }))).toBe("INVALID_STATE");
    expect(await codeOf(callerFor(db, other.people.applicant).evidence.refresh({ systemId: system.id }))).toBe("FORBIDDEN");
  });

  it("serves the report as a printable page and a JSON download to those who may see it", async () => {
    const cookie = await cookieFor(org.people.security.id);
    const page = await app.inject({ method: "GET", url: `/evidence/${system.id}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(page.headers["cache-control"]).toContain("no-store");
    expect(page.body).toContain("等级保护合规证据报告");
    expect(page.body).toContain(system.name);
    expect(page.body).toContain("第三级");
    expect(page.body).toContain(org.dept.code);

    const earlier = await app.inject({ method: "GET", url: `/evidence/${system.id}?report=${driftedId}`, headers: { cookie } });
    expect(earlier.body).toContain("缺失");

    const json = await app.inject({ method: "GET", url: `/evidence/${system.id}?format=json`, headers: { cookie } });
    expect(json.headers["content-disposition"]).toMatch(/^attachment; filename="evidence-\d+\.json"; filename\*=UTF-8''/);
    expect(JSON.parse(json.body)).toMatchObject({ reportId: enforcedId, system: { id: system.id }, report: { summary: { drifted: 0 } } });
  });

  it("sends strangers to sign in and refuses other departments, unknown systems and bad addresses", async () => {
    const anonymous = await app.inject({ method: "GET", url: `/evidence/${system.id}` });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(`/evidence/${system.id}`)}`);

    const stranger = await app.inject({ method: "GET", url: `/evidence/${system.id}`, headers: { cookie: await cookieFor(other.people.applicant.id) } });
    expect(stranger.statusCode).toBe(403);
    expect(stranger.body).toContain("无权查看");
    expect(stranger.body).not.toContain(system.namespace);

    const cookie = await cookieFor(org.people.auditor.id);
    const unknown = await app.inject({ method: "GET", url: "/evidence/00000000-0000-4000-8000-000000000000", headers: { cookie } });
    expect(unknown.statusCode).toBe(404);
    const bad = await app.inject({ method: "GET", url: "/evidence/not-an-id?report=x", headers: { cookie } });
    expect(bad.statusCode).toBe(400);
    const none = await org.newSystem(3);
    const missing = await app.inject({ method: "GET", url: `/evidence/${none.id}`, headers: { cookie } });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain("尚无合规证据报告");
  });
});
