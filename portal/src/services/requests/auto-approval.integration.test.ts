import type { Database } from "@zhengyun/db/client";
import { completeProvisioning } from "@zhengyun/db/requests/platform";
import { auditLog, requestTransitions, resourceRequests, usagePoints } from "@zhengyun/db/schema";
import { and, asc, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { makeOrg, testDatabase } from "../../../test/harness.js";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});

const DAY = 86_400_000;

/** A live level-`level` system holding 4 vCPU / 8 GiB, used at `share` of its grant for the last 10 days. */
async function liveSystem(org: Awaited<ReturnType<typeof makeOrg>>, level: number, share: number) {
  const system = await org.newSystem(level, "internal");
  const storage = level >= 3 ? { storage_encrypted_gib: 10 } : { storage_standard_gib: 10 };
  const first = await org.as("applicant").requests.create({
    systemId: system.id,
    kind: "new",
    resources: { vcpu: 4, memory_gib: 8, ...storage },
    justification: "初次开通",
    submit: true,
  });
  await org.as("deptAdmin").requests.approve({ id: first.id });
  await org.as("ops").requests.approve({ id: first.id });
  if (level >= 3) await org.as("security").requests.approve({ id: first.id });
  await completeProvisioning(db.db, first.id, { ok: true });
  const today = Math.floor(Date.now() / DAY) * DAY;
  await db.db.insert(usagePoints).values(
    (["vcpu", "memory_gib"] as const).flatMap((resource) =>
      Array.from({ length: 10 }, (_, i) => {
        const granted = resource === "vcpu" ? 4 : 8;
        return {
          systemId: system.id,
          departmentId: org.dept.id,
          resource,
          resolution: "1d" as const,
          bucket: new Date(today - (10 - i) * DAY),
          samples: 288,
          usedAvg: granted * share,
          usedMax: granted * share,
          grantedAvg: granted,
          grantedMax: granted,
        };
      }),
    ),
  );
  return system;
}

const growBy = (org: Awaited<ReturnType<typeof makeOrg>>, systemId: string, vcpu: number, level = 2) =>
  org.as("applicant").requests.create({
    systemId,
    kind: "change",
    resources: { vcpu, memory_gib: 8, ...(level >= 3 ? { storage_encrypted_gib: 10 } : { storage_standard_gib: 10 }) },
    justification: "业务增长扩容",
    submit: true,
  });

describe("auto-approval rules", () => {
  it("are off by default: a department without an enabled rule waits for ops", async () => {
    const org = await makeOrg(db);
    const system = await liveSystem(org, 2, 0.9);
    await org.as("ops").autoRules.save({ departmentId: org.dept.id, name: "未启用", maxLevel: 2 });
    const change = await growBy(org, system.id, 5);
    const result = await org.as("deptAdmin").requests.approve({ id: change.id });
    expect(result).toMatchObject({ state: "dept_approved", autoApproval: null });
  });

  it("take the ops stage for one request and leave another to people, each decision audited", async () => {
    const org = await makeOrg(db);
    const { id: ruleId } = await org.as("ops").autoRules.save({
      departmentId: org.dept.id,
      name: "高负载小幅扩容",
      enabled: true,
      maxLevel: 2,
      maxGrowthPct: 50,
      minUsagePct: 70,
      minUsageDays: 7,
    });
    const busy = await liveSystem(org, 2, 0.9);
    const quiet = await liveSystem(org, 2, 0.3);
    const graded3 = await liveSystem(org, 3, 0.95);

    // Busy and growing by a quarter: the rule approves in ops' place and provisioning starts.
    const approved = await growBy(org, busy.id, 5);
    const a = await org.as("deptAdmin").requests.approve({ id: approved.id });
    expect(a).toMatchObject({ state: "provisioning", autoApproval: { approved: true, ruleId, ruleName: "高负载小幅扩容" } });
    const [row] = await db.db.select().from(resourceRequests).where(eq(resourceRequests.id, approved.id));
    expect(row).toMatchObject({ state: "provisioning", opsApproverId: null });
    const transitions = await db.db.select().from(requestTransitions).where(eq(requestTransitions.requestId, approved.id)).orderBy(asc(requestTransitions.id));
    expect(transitions.map((t) => [t.toState, t.actorId === null])).toEqual([
      ["submitted", false],
      ["dept_approved", false],
      ["provisioning", true],
    ]);

    // Barely used: the rule declines and the request waits for a person at the ops stage.
    const refused = await growBy(org, quiet.id, 5);
    const r = await org.as("deptAdmin").requests.approve({ id: refused.id });
    expect(r).toMatchObject({ state: "dept_approved", autoApproval: { approved: false } });
    expect(r.autoApproval?.approved === false && r.autoApproval.verdicts[0]?.reasons).toEqual(["vcpu used 30% < 70%"]);

    // Level 3: never, whatever the usage; the security stage stays with people too.
    const level3 = await growBy(org, graded3.id, 5, 3);
    const l3 = await org.as("deptAdmin").requests.approve({ id: level3.id });
    expect(l3).toMatchObject({ state: "dept_approved", autoApproval: { approved: false } });
    expect(l3.autoApproval?.approved === false && l3.autoApproval.verdicts[0]?.reasons).toEqual(["level 3 above 2"]);

    const entries = await db.db
      .select()
      .from(auditLog)
      .where(
        and(
          inArray(auditLog.targetId, [approved.id, refused.id, level3.id]),
          inArray(auditLog.action, ["request.provisioning", "request.auto_approval_declined"]),
        ),
      )
      .orderBy(asc(auditLog.seq));
    expect(entries.map((e) => [e.targetId, e.action, e.actorName, e.actorId])).toEqual([
      [approved.id, "request.provisioning", `auto-rule:${ruleId}`, null],
      [refused.id, "request.auto_approval_declined", "auto-approval", null],
      [level3.id, "request.auto_approval_declined", "auto-approval", null],
    ]);
    expect(entries[0]!.after).toMatchObject({ state: "provisioning", decidedBy: { ruleId, ruleName: "高负载小幅扩容" } });
    expect(entries[1]!.after).toMatchObject({ leftFor: "ops", verdicts: [{ ruleId, approve: false, reasons: ["vcpu used 30% < 70%"] }] });

    // The request left for people is approved by ops as before.
    expect(await org.as("ops").requests.approve({ id: refused.id })).toMatchObject({ state: "provisioning", autoApproval: null });
  });

  it("refuse growth beyond the department's ceiling and leave the request untouched for ops", async () => {
    const org = await makeOrg(db, { ceiling: { vcpu: 5, memory_gib: 100, storage_standard_gib: 100 } });
    const system = await liveSystem(org, 2, 0.9);
    await org.as("ops").autoRules.save({ departmentId: org.dept.id, name: "余量内", enabled: true, maxLevel: 2 });
    const change = await growBy(org, system.id, 6);
    const result = await org.as("deptAdmin").requests.approve({ id: change.id });
    expect(result).toMatchObject({ state: "dept_approved", autoApproval: { approved: false } });
    expect(result.autoApproval?.approved === false && result.autoApproval.verdicts[0]?.reasons).toEqual(["vcpu would hold 6 > ceiling 5"]);
  });
});
