import type { Database } from "@zhengyun/db/client";
import { completeProvisioning, reclaimExpired } from "@zhengyun/db/requests/platform";
import { beforeAll, describe, expect, it } from "vitest";
import { makeOrg, type Org, testDatabase } from "../../../test/harness.js";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});

const get = (org: Org, id: string) => org.as("applicant").requests.get({ id });
/** The CIDR of the one segment carved for a request. */
const carved = async (org: Org, id: string) => {
  const { segments } = await get(org, id);
  expect(segments).toHaveLength(1);
  return segments[0]!.cidr;
};
const approveThrough = async (org: Org, id: string, stages: ("deptAdmin" | "ops" | "security")[]) => {
  for (const who of stages) await org.as(who).requests.approve({ id });
};

describe("the grant a request replaced", () => {
  it("is kept on new, change and release requests, with the segments live before each", async () => {
    const org = await makeOrg(db);
    const system = await org.newSystem(3, "external");

    // New, level 3: the segment is carved at ops approval, the grant applied at security approval.
    const created = await org.as("applicant").requests.create({
      systemId: system.id,
      kind: "new",
      resources: { vcpu: 2, memory_gib: 4, storage_encrypted_gib: 10 },
      segmentPrefix: 28,
      justification: "业务系统上云",
      submit: true,
    });
    await approveThrough(org, created.id, ["deptAdmin", "ops"]);
    expect((await get(org, created.id)).grantBefore).toBeNull();
    await approveThrough(org, created.id, ["security"]);
    // Its own segment comes with the grant: before it, the system held nothing.
    expect((await get(org, created.id)).grantBefore).toEqual({ resources: {}, segments: [] });
    await completeProvisioning(db.db, created.id, { ok: true });
    const first = await carved(org, created.id);

    // Change: grows, and asks for a second segment.
    const change = await org.as("applicant").requests.create({
      systemId: system.id,
      kind: "change",
      resources: { vcpu: 4, memory_gib: 8, storage_encrypted_gib: 30 },
      segmentPrefix: 27,
      justification: "业务量增长",
      submit: true,
    });
    await approveThrough(org, change.id, ["deptAdmin", "ops", "security"]);
    await completeProvisioning(db.db, change.id, { ok: true });
    const second = await carved(org, change.id);
    const changed = await get(org, change.id);
    expect(changed.grantBefore).toEqual({ resources: { vcpu: 2, memory_gib: 4, storage_encrypted_gib: 10, segments: 1 }, segments: [first] });
    expect(changed.target).toEqual({ vcpu: 4, memory_gib: 8, storage_encrypted_gib: 30, segments: 2 });

    // Release: gives back everything, both segments.
    const release = await org.as("applicant").requests.create({ systemId: system.id, kind: "release", justification: "系统下线", submit: true });
    await approveThrough(org, release.id, ["deptAdmin", "ops", "security"]);
    await completeProvisioning(db.db, release.id, { ok: true });
    const released = await get(org, release.id);
    expect(released).toMatchObject({ state: "active", target: {}, currentGrant: {} });
    expect(released.grantBefore).toEqual({
      resources: { vcpu: 4, memory_gib: 8, storage_encrypted_gib: 30, segments: 2 },
      segments: [first, second].sort((a, b) => cidrOrder(a) - cidrOrder(b)),
    });

    // Later requests leave what the earlier ones replaced as it was.
    expect((await get(org, created.id)).grantBefore).toEqual({ resources: {}, segments: [] });
    expect((await get(org, change.id)).grantBefore).toEqual(changed.grantBefore);
    expect((await get(org, change.id)).currentGrant).toEqual({});
  });

  it("is kept on the release that reclaims an expired grant, without the segment of the request it withdraws", async () => {
    const org = await makeOrg(db);
    const system = await org.newSystem(3, "internal");
    const expiresAt = new Date(Date.now() + 60_000);
    const temporary = await org.as("applicant").requests.create({
      systemId: system.id,
      kind: "new",
      resources: { vcpu: 1, memory_gib: 2, storage_encrypted_gib: 5 },
      segmentPrefix: 28,
      expiresAt,
      justification: "临时活动",
      submit: true,
    });
    await approveThrough(org, temporary.id, ["deptAdmin", "ops", "security"]);
    await completeProvisioning(db.db, temporary.id, { ok: true });
    const granted = await carved(org, temporary.id);

    // A change waiting for the security officer, holding a segment carved at ops approval.
    const pending = await org.as("applicant").requests.create({
      systemId: system.id,
      kind: "change",
      resources: { vcpu: 2, memory_gib: 4, storage_encrypted_gib: 5 },
      segmentPrefix: 28,
      justification: "活动延长",
      submit: true,
    });
    await approveThrough(org, pending.id, ["deptAdmin", "ops"]);
    const pendingCidr = await carved(org, pending.id);

    expect(await reclaimExpired(db.db, new Date(expiresAt.getTime() + 1000))).toContain(system.id);
    expect((await get(org, pending.id)).grantBefore).toBeNull();
    const [pendingSegment] = (await get(org, pending.id)).segments;
    expect(pendingSegment).toMatchObject({ cidr: pendingCidr, releasedAt: expect.any(Date) });

    const [reclaim] = await org.as("applicant").requests.list({ systemId: system.id, states: ["provisioning"], limit: 10 });
    expect(reclaim).toMatchObject({ kind: "release" });
    const filed = await get(org, reclaim!.id);
    expect(filed.grantBefore).toEqual({ resources: { vcpu: 1, memory_gib: 2, storage_encrypted_gib: 5, segments: 1 }, segments: [granted] });
    await completeProvisioning(db.db, reclaim!.id, { ok: true });
    expect((await get(org, reclaim!.id)).grantBefore).toEqual(filed.grantBefore);
    expect((await get(org, temporary.id)).state).toBe("expired");
  });
});

/** Orders IPv4 CIDRs by network address, as PostgreSQL orders the cidr type. */
function cidrOrder(cidr: string): number {
  return cidr
    .split("/")[0]!
    .split(".")
    .reduce((n, octet) => n * 256 + Number(octet), 0);
}
