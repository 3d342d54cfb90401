import type { TRPCError } from "@trpc/server";
import type { Database } from "@zhengyun/db/client";
import { completeProvisioning } from "@zhengyun/db/requests/platform";
import { networkSegments, requestTransitions, resourceRequests, roleAssignments } from "@zhengyun/db/schema";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { callerFor, makeOrg, makeUser, requestIn, testDatabase } from "../../../test/harness.js";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});

/** The AppError code carried by a failed call. */
async function appCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return ((e as TRPCError).cause as { code?: string } | undefined)?.code ?? (e as TRPCError).code;
  }
  return "NO_ERROR";
}

describe("request workflow", () => {
  it("takes a level 3 request through department, ops and a different security officer", async () => {
    const org = await makeOrg(db);
    const { request } = await requestIn(org, "ops_approved", { level: 3, segmentPrefix: 27 });
    expect((await org.as("applicant").requests.get({ id: request.id })).state).toBe("ops_approved");

    // The same person cannot give the ops and the security approval: nobody holds both roles at
    // once (the database refuses it), and one who moved from ops to security meanwhile is refused too.
    const mover = await makeUser(db, org.dept.id, ["ops"]);
    const { request: second } = await requestIn(org, "dept_approved", { level: 3 });
    await callerFor(db, mover).requests.approve({ id: second.id });
    await expect(db.db.insert(roleAssignments).values({ userId: mover.id, role: "security" })).rejects.toThrow();
    await db.db.update(roleAssignments).set({ role: "security" }).where(eq(roleAssignments.userId, mover.id));
    expect(await appCode(callerFor(db, { ...mover, roles: ["security"] }).requests.approve({ id: second.id }))).toBe("SEPARATION_OF_DUTIES");

    const done = await org.as("security").requests.approve({ id: request.id });
    expect(done.state).toBe("provisioning");
    const detail = await org.as("applicant").requests.get({ id: request.id });
    expect(detail.transitions.map((t) => t.to)).toEqual(["submitted", "dept_approved", "ops_approved", "provisioning"]);
    expect(detail.segments).toHaveLength(1);
    expect(detail.segments[0]!.cidr).toMatch(/^10\.(6[4-9]|7\d)\.\d+\.\d+\/27$/);
    expect(detail.allocation?.generation).toBe(1);

    await completeProvisioning(db.db, request.id, { ok: true });
    expect((await org.as("applicant").requests.get({ id: request.id })).state).toBe("active");
  });

  it("turns a failed request active when a later attempt succeeds, and only then", async () => {
    const org = await makeOrg(db);
    const { request } = await requestIn(org, "provisioning");
    await completeProvisioning(db.db, request.id, { ok: false, reason: "ApplyFailed: the API server was unreachable" });
    // Another failure report changes nothing: the request already says it failed.
    expect(await appCode(completeProvisioning(db.db, request.id, { ok: false, reason: "again" }))).toBe("INVALID_STATE");
    const failed = await org.as("applicant").requests.get({ id: request.id });
    expect(failed).toMatchObject({ state: "failed", failureReason: "ApplyFailed: the API server was unreachable" });

    await completeProvisioning(db.db, request.id, { ok: true });
    const active = await org.as("applicant").requests.get({ id: request.id });
    expect(active).toMatchObject({ state: "active", failureReason: null });
    expect(active.transitions.map((t) => t.to)).toEqual(["submitted", "dept_approved", "provisioning", "failed", "active"]);
    expect(active.transitions.at(-1)?.note).toContain("the API server was unreachable");
    // Terminal states a person chose stay as they are.
    const { request: rejected } = await requestIn(org, "submitted");
    await org.as("deptAdmin").requests.reject({ id: rejected.id, reason: "不需要" });
    expect(await appCode(completeProvisioning(db.db, rejected.id, { ok: true }))).toBe("INVALID_STATE");
  });

  it("lets nobody approve their own request", async () => {
    const org = await makeOrg(db);
    const selfish = await makeUser(db, org.dept.id, ["applicant", "dept_admin"]);
    const system = await callerFor(db, selfish).systems.register({ name: "自批系统", purpose: "测试", level: 1, zone: "internal" });
    const req = await callerFor(db, selfish).requests.create({
      systemId: system.id,
      kind: "new",
      resources: { vcpu: 1, memory_gib: 1 },
      justification: "测试自批",
      submit: true,
    });
    expect(await appCode(callerFor(db, selfish).requests.approve({ id: req.id }))).toBe("SEPARATION_OF_DUTIES");
    const [row] = await db.db.select({ state: resourceRequests.state }).from(resourceRequests).where(eq(resourceRequests.id, req.id));
    expect(row!.state).toBe("submitted");
  });

  it("frees the segment of a request withdrawn after ops approval", async () => {
    const org = await makeOrg(db);
    const { request } = await requestIn(org, "ops_approved", { level: 3, segmentPrefix: 28, zone: "internal" });
    const [seg] = await db.db.select().from(networkSegments).where(eq(networkSegments.requestId, request.id));
    expect(seg!.releasedAt).toBeNull();
    await org.as("applicant").requests.withdraw({ id: request.id, reason: "不再需要" });
    const [after] = await db.db.select().from(networkSegments).where(eq(networkSegments.requestId, request.id));
    expect(after!.releasedAt).not.toBeNull();
  });

  it("refuses bad input with a message naming the field, and writes nothing", async () => {
    const org = await makeOrg(db);
    const system = await org.newSystem(2, "internal");
    const count = async () =>
      (await db.db.select({ n: sql<number>`count(*)::int` }).from(resourceRequests).where(eq(resourceRequests.systemId, system.id)))[0]!.n;
    const bad = org
      .as("applicant")
      .requests.create({ systemId: system.id, kind: "new", resources: { vcpu: -1, memory_gib: 2 }, segmentPrefix: 22, justification: "x" } as never);
    await expect(bad).rejects.toThrow(/resources\.vcpu: must not be negative.*segmentPrefix: segments are \/24 to \/28/s);
    // Internal-zone systems never get internet egress: refused by the service, nothing written.
    const egress = org.as("applicant").requests.create({
      systemId: system.id,
      kind: "new",
      resources: { vcpu: 1, memory_gib: 2 },
      egress: [{ host: "example.gov.cn", port: 443 }],
      justification: "需要访问外网",
    });
    await expect(egress).rejects.toThrow(/egress: internal-zone systems have no internet egress/);
    expect(await count()).toBe(0);
  });

  it("rejects with a reason and refuses decisions out of turn", async () => {
    const org = await makeOrg(db);
    const { request } = await requestIn(org, "submitted");
    expect(await appCode(org.as("ops").requests.approve({ id: request.id }))).toBe("FORBIDDEN");
    await org.as("deptAdmin").requests.reject({ id: request.id, reason: "规格偏大" });
    const detail = await org.as("applicant").requests.get({ id: request.id });
    expect(detail.state).toBe("rejected");
    expect(detail.rejectionReason).toBe("规格偏大");
    expect(await appCode(org.as("deptAdmin").requests.approve({ id: request.id }))).toBe("INVALID_STATE");
    const transitions = await db.db.select().from(requestTransitions).where(eq(requestTransitions.requestId, request.id));
    expect(transitions.at(-1)?.actorId).toBe(org.people.deptAdmin.id);
  });

  it("allows one request in flight per system", async () => {
    const org = await makeOrg(db);
    const { system } = await requestIn(org, "submitted");
    const again = org.as("applicant").requests.create({ systemId: system.id, kind: "new", resources: { vcpu: 1, memory_gib: 1 }, justification: "重复申请" });
    expect(await appCode(again)).toBe("CONFLICT");
  });

  it("grows and releases through change and release requests, then rates", async () => {
    const org = await makeOrg(db);
    const { system, request } = await requestIn(org, "provisioning", { level: 2, segmentPrefix: 26 });
    await completeProvisioning(db.db, request.id, { ok: true });
    const change = await org
      .as("applicant")
      .requests.create({ systemId: system.id, kind: "change", resources: { vcpu: 8, memory_gib: 16 }, justification: "业务量增长", submit: true });
    await org.as("deptAdmin").requests.approve({ id: change.id });
    await org.as("ops").requests.approve({ id: change.id });
    await completeProvisioning(db.db, change.id, { ok: true });
    const grown = await org.as("applicant").systems.get({ id: system.id });
    expect(grown.granted).toMatchObject({ vcpu: 8, memory_gib: 16, segments: 1 });
    expect(grown.holdsResources).toBe(true);
    expect(grown.segments).toEqual([{ cidr: expect.stringMatching(/\/26$/), zone: grown.zone }]);

    const release = await org.as("applicant").requests.create({ systemId: system.id, kind: "release", justification: "系统下线", submit: true });
    await org.as("deptAdmin").requests.approve({ id: release.id });
    await org.as("ops").requests.approve({ id: release.id });
    await completeProvisioning(db.db, release.id, { ok: true });
    const released = await org.as("applicant").systems.get({ id: system.id });
    expect(released.granted).toEqual({});
    expect(released.holdsResources).toBe(false);
    expect(released.segments).toEqual([]);
    const listed = (await org.as("applicant").systems.list()).items.find((s) => s.id === system.id);
    expect(listed).toMatchObject({ phase: "released", holdsResources: false });
    const segs = await db.db.select().from(networkSegments).where(eq(networkSegments.systemId, system.id));
    expect(segs.every((s) => s.releasedAt !== null)).toBe(true);

    await org.as("applicant").requests.rate({ id: change.id, score: 2, comment: "审批太慢" });
    const summary = await org.as("ops").ratings.summary();
    expect(summary.low.some((l) => l.requestId === change.id && l.comment === "审批太慢")).toBe(true);
    expect(await appCode(org.as("applicant").requests.rate({ id: change.id, score: 5 }))).toBe("CONFLICT");
  });

  it("reclaims an expired grant as a platform release", async () => {
    const org = await makeOrg(db);
    const system = await org.newSystem(1, "internal");
    const expiresAt = new Date(Date.now() + 60_000);
    const req = await org
      .as("applicant")
      .requests.create({ systemId: system.id, kind: "new", resources: { vcpu: 1, memory_gib: 1 }, expiresAt, justification: "临时活动", submit: true });
    await org.as("deptAdmin").requests.approve({ id: req.id });
    await org.as("ops").requests.approve({ id: req.id });
    await completeProvisioning(db.db, req.id, { ok: true });
    const { reclaimExpired } = await import("@zhengyun/db/requests/platform");
    const reclaimed = await reclaimExpired(db.db, new Date(expiresAt.getTime() + 1000));
    expect(reclaimed).toContain(system.id);
    expect((await org.as("applicant").requests.get({ id: req.id })).state).toBe("expired");
    expect((await org.as("applicant").systems.get({ id: system.id })).granted).toEqual({});
  });
});
