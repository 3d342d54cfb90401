/**
 * Grading (定级) as the gate before provisioning: the department proposes a level and zone, a
 * security officer confirms them with the filing number, and only then do requests reach
 * provisioning. Regrading is the security officer's, audited, and re-applies the controls.
 */
import type { TRPCError } from "@trpc/server";
import type { Database } from "@zhengyun/db/client";
import { allocations, auditLog, informationSystems } from "@zhengyun/db/schema";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, filingNumber, makeOrg, type Org, testDatabase, unique } from "../../test/harness.js";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});

/** How a call failed: tRPC code, application code and message; "ok" when it did not. */
async function failure(p: Promise<unknown>): Promise<{ code: string; app?: string | undefined; message: string } | "ok"> {
  try {
    await p;
    return "ok";
  } catch (e) {
    const err = e as TRPCError;
    return { code: err.code, app: (err.cause as { code?: string } | undefined)?.code, message: err.message };
  }
}

/** A new request for the system, taken through department and ops approval. */
async function opsApproved(org: Org, systemId: string, resources: Record<string, number> = { vcpu: 2, memory_gib: 4 }) {
  const req = await org.as("applicant").requests.create({ systemId, kind: "new", resources, segmentPrefix: 28, justification: "业务上云", submit: true });
  await org.as("deptAdmin").requests.approve({ id: req.id });
  const ops = await org.as("ops").requests.approve({ id: req.id });
  return { id: req.id, ops };
}

async function allocationOf(systemId: string) {
  const [row] = await db.db.select().from(allocations).where(eq(allocations.systemId, systemId));
  return row;
}

async function auditOf(systemId: string, action: string) {
  return db.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, systemId), eq(auditLog.action, action)));
}

describe("grading gate", () => {
  it("stops an ungraded system's request before provisioning, with the reason, until the security officer grades it", async () => {
    const org = await makeOrg(db);
    const system = await org.newSystem(2, "external", { graded: false });
    const { id, ops } = await opsApproved(org, system.id);

    // Ops approval reserves the growth, but the request waits for grading: nothing is granted yet.
    expect(ops).toMatchObject({ state: "ops_approved", awaitingGrading: true });
    expect(await allocationOf(system.id)).toBeUndefined();
    const waiting = await org.as("applicant").requests.get({ id });
    expect(waiting).toMatchObject({ state: "ops_approved", graded: false });
    // Nobody can approve it into provisioning while the system is ungraded.
    const refused = await failure(org.as("security").requests.approve({ id }));
    expect(refused).toMatchObject({ code: "CONFLICT", app: "INVALID_STATE" });
    expect((refused as { message: string }).message).toMatch(/awaits grading \(定级\) by a security officer/);
    expect((await org.as("applicant").systems.list({ ungraded: true, limit: 500 })).items.map((s) => s.id)).toContain(system.id);

    // Grading lets it proceed: level 2 needs no security approval, so it goes on to provisioning.
    const number = filingNumber();
    const graded = await org.as("security").systems.grade({ id: system.id, level: 2, filingNumber: number });
    expect(graded).toMatchObject({ graded: true, level: 2, continued: [id], rejected: [] });
    const detail = await org.as("applicant").requests.get({ id });
    expect(detail.state).toBe("provisioning");
    expect(detail.transitions.at(-1)).toMatchObject({ to: "provisioning", actorRole: "security" });
    expect((await allocationOf(system.id))?.generation).toBe(1);

    const shown = await org.as("applicant").systems.get({ id: system.id });
    expect(shown).toMatchObject({ graded: true, level: 2, proposedLevel: 2, filingNumber: number, gradedByName: org.people.security.displayName });
    expect(shown.gradedAt).toBeInstanceOf(Date);
    const [entry] = await auditOf(system.id, "system.grade");
    expect(entry).toMatchObject({ actorName: org.people.security.username, actorRole: "security" });
    expect(entry!.after).toMatchObject({ level: 2, filingNumber: number, continued: [id] });
  });

  it("applies the confirmed level, not the proposed one: proposed 1, graded 3 needs the security approval", async () => {
    const org = await makeOrg(db);
    const system = await org.newSystem(1, "internal", { graded: false });
    const { id } = await opsApproved(org, system.id);
    const graded = await org.as("security").systems.grade({ id: system.id, level: 3, filingNumber: filingNumber() });
    // Level 3 waits for a security officer other than the ops approver: grading does not skip that.
    expect(graded.continued).toEqual([]);
    expect((await org.as("applicant").requests.get({ id })).state).toBe("ops_approved");
    expect((await org.as("security").requests.approve({ id })).state).toBe("provisioning");
    const shown = await org.as("applicant").systems.get({ id: system.id });
    expect(shown).toMatchObject({ proposedLevel: 1, proposedZone: "internal", level: 3, zone: "internal", graded: true });
  });

  it("rejects a waiting request that the confirmed level no longer allows, saying why", async () => {
    const org = await makeOrg(db);
    const system = await org.newSystem(2, "external", { graded: false });
    const { id } = await opsApproved(org, system.id, { vcpu: 2, memory_gib: 4, storage_standard_gib: 20 });
    const graded = await org.as("security").systems.grade({ id: system.id, level: 3, filingNumber: filingNumber() });
    expect(graded.rejected).toEqual([id]);
    const detail = await org.as("applicant").requests.get({ id });
    expect(detail.state).toBe("rejected");
    expect(detail.rejectionReason).toMatch(/level 3 .* encrypted storage class/);
    expect(detail.segments.every((s) => s.releasedAt !== null)).toBe(true);
  });

  it("requires the filing number from level 2, and only a security officer grades", async () => {
    const org = await makeOrg(db);
    const system = await org.newSystem(2, "external", { graded: false });
    const noFiling = await failure(org.as("security").systems.grade({ id: system.id, level: 2 }));
    expect(noFiling).toMatchObject({ code: "BAD_REQUEST" });
    expect((noFiling as { message: string }).message).toMatch(/^filingNumber: .*filing number \(备案号\)/);
    for (const who of ["applicant", "deptAdmin", "ops", "auditor", "sysadmin"] as const)
      expect(await failure(org.as(who).systems.grade({ id: system.id, level: 1 }))).toMatchObject({ code: "FORBIDDEN" });
    // Level 1 systems are graded without a filing (备案 is for level 2 and above).
    expect(await org.as("security").systems.grade({ id: system.id, level: 1 })).toMatchObject({ level: 1, graded: true });
  });

  it("lowers a level only as the security officer's audited, reasoned decision, and re-applies the controls", async () => {
    const org = await makeOrg(db);
    const system = await org.newSystem(3, "external");
    const { id } = await opsApproved(org, system.id, { vcpu: 2, memory_gib: 4, storage_encrypted_gib: 10 });
    await org.as("security").requests.approve({ id });
    const generation = (await allocationOf(system.id))!.generation;

    const noReason = await failure(org.as("security").systems.grade({ id: system.id, level: 2, filingNumber: filingNumber() }));
    expect(noReason).toMatchObject({ code: "BAD_REQUEST" });
    expect((noReason as { message: string }).message).toMatch(/^reason: .*regrading a graded system needs a reason/);
    expect(await failure(org.as("ops").systems.grade({ id: system.id, level: 2, filingNumber: filingNumber(), reason: "业务范围缩小" }))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await org.as("applicant").systems.get({ id: system.id })).level).toBe(3);

    await org.as("security").systems.grade({ id: system.id, level: 2, filingNumber: filingNumber(), reason: "复核后业务范围缩小，降为二级" });
    expect((await allocationOf(system.id))!.generation).toBe(generation + 1);
    const [entry] = await auditOf(system.id, "system.regrade");
    expect(entry).toMatchObject({ actorName: org.people.security.username, actorRole: "security" });
    expect(entry!.before).toMatchObject({ level: 3, graded: true });
    expect(entry!.after).toMatchObject({ level: 2, reason: "复核后业务范围缩小，降为二级" });
  });

  it("corrects the zone only before anything is provisioned", async () => {
    const org = await makeOrg(db);
    const fresh = await org.newSystem(2, "external", { graded: false });
    expect(await org.as("security").systems.grade({ id: fresh.id, level: 2, zone: "internal", filingNumber: filingNumber() })).toMatchObject({
      zone: "internal",
    });
    expect(await org.as("applicant").systems.get({ id: fresh.id })).toMatchObject({ proposedZone: "external", zone: "internal" });

    const busy = await org.newSystem(2, "external");
    await opsApproved(org, busy.id);
    const moved = await failure(
      org.as("security").systems.grade({ id: busy.id, level: 2, zone: "internal", filingNumber: filingNumber(), reason: "区域更正" }),
    );
    expect(moved).toMatchObject({ code: "BAD_REQUEST" });
    expect((moved as { message: string }).message).toMatch(/^zone: .*only before anything is provisioned/);
  });

  it("refuses level 4 on a platform that hosts up to level 3", async () => {
    const org = await makeOrg(db);
    const level3Platform = (who: keyof Org["people"]) => callerFor(db, org.people[who], { maxLevel: 3 });
    const register = await failure(level3Platform("applicant").systems.register({ name: unique("系统"), purpose: "四级系统", level: 4, zone: "internal" }));
    expect(register).toMatchObject({ code: "BAD_REQUEST" });
    expect((register as { message: string }).message).toMatch(/^level: .*hosts systems up to level 3; a level 4 system cannot be hosted here/);

    const proposed3 = await level3Platform("applicant").systems.register({ name: unique("系统"), purpose: "三级系统", level: 3, zone: "internal" });
    const grade4 = await failure(level3Platform("security").systems.grade({ id: proposed3.id, level: 4, filingNumber: filingNumber() }));
    expect(grade4).toMatchObject({ code: "BAD_REQUEST" });
    expect((grade4 as { message: string }).message).toMatch(/up to level 3/);
    const [row] = await db.db.select({ graded: informationSystems.graded }).from(informationSystems).where(eq(informationSystems.id, proposed3.id));
    expect(row?.graded).toBe(false);
    expect(await level3Platform("security").systems.grade({ id: proposed3.id, level: 3, filingNumber: filingNumber() })).toMatchObject({ level: 3 });
  });
});

describe("drift handling mode", () => {
  it("is a platform decision: the department cannot switch healing off, ops and security can, audited", async () => {
    const org = await makeOrg(db);
    const system = await org.newSystem();
    expect(await failure(org.as("applicant").systems.update({ id: system.id, driftReportOnly: true } as never))).toMatchObject({ code: "BAD_REQUEST" });
    for (const who of ["applicant", "deptAdmin", "auditor", "sysadmin"] as const)
      expect(await failure(org.as(who).systems.setDriftMode({ id: system.id, driftReportOnly: true, reason: "排查问题" }))).toMatchObject({
        code: "FORBIDDEN",
      });
    expect((await org.as("applicant").systems.get({ id: system.id })).driftReportOnly).toBe(false);

    await org.as("ops").systems.setDriftMode({ id: system.id, driftReportOnly: true, reason: "变更窗口内只报告漂移" });
    expect((await org.as("applicant").systems.get({ id: system.id })).driftReportOnly).toBe(true);
    await org.as("security").systems.setDriftMode({ id: system.id, driftReportOnly: false, reason: "恢复自动修复" });
    const entries = await auditOf(system.id, "system.drift_mode");
    expect(entries.map((e) => [e.actorRole, (e.after as { driftReportOnly: boolean }).driftReportOnly])).toEqual([
      ["ops", true],
      ["security", false],
    ]);
  });
});

describe("exemptions name real controls", () => {
  it("refuses a control the catalog lacks, one never exemptible, and one absent at the system's level", async () => {
    const org = await makeOrg(db);
    const system = await org.newSystem(2);
    const grant = (controlId: string) =>
      org.as("security").exemptions.grant({ systemId: system.id, controlId, reason: "测试豁免理由", expiresAt: new Date(Date.now() + 86_400_000) });
    const cases: [string, RegExp][] = [
      ["no-such-control", /^controlId: .*the control catalog has no control “no-such-control”/],
      ["network-default-deny", /^controlId: .*control “network-default-deny” cannot be exempted/],
      ["digest-pinning", /^controlId: .*control “digest-pinning” does not apply at level 2/],
    ];
    for (const [controlId, message] of cases) {
      const refused = await failure(grant(controlId));
      expect(refused, controlId).toMatchObject({ code: "BAD_REQUEST", app: "INVALID_INPUT" });
      expect((refused as { message: string }).message, controlId).toMatch(message);
    }
    expect((await org.as("security").exemptions.list({ systemId: system.id, activeOnly: false })).items).toEqual([]);
    expect(await grant("registry-allowlist")).toMatchObject({ id: expect.any(String) });
  });
});
