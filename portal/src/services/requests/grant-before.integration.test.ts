import { beforeAll, describe, expect, it } from "vitest";
import { makeOrg, type Org, testDatabase } from "../../../test/harness.js";
import type { Database } from "../../db/client.js";
import { completeProvisioning } from "./platform.js";

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
});

/** Orders IPv4 CIDRs by network address, as PostgreSQL orders the cidr type. */
function cidrOrder(cidr: string): number {
  return cidr
    .split("/")[0]!
    .split(".")
    .reduce((n, octet) => n * 256 + Number(octet), 0);
}
