// Reading evidence objects from the local control plane: the system's own objects fresh every
// time, cluster-wide ones shared for a while. Real API server, no fakes.
import { randomBytes } from "node:crypto";
import { evidenceObjects, type TenantInput } from "@zhengyun/policies";
import { Kube, loadKubeConfig } from "@zhengyun/policies/kube";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownObject, readEvidenceObjects, SharedObjects } from "./live.js";

const kube = new Kube(loadKubeConfig());
const suffix = randomBytes(4).toString("hex");
const shared = `zy-evidence-shared-${suffix}`;
const own = `zy-evidence-own-${suffix}`;

const configMap = (namespace: string, value: string) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "probe", namespace },
  data: { value },
});

beforeAll(async () => {
  for (const name of [shared, own]) await kube.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  await kube.apply(configMap(shared, "first"));
});

afterAll(async () => {
  for (const name of [shared, own]) await kube.delete({ apiVersion: "v1", kind: "Namespace", name });
});

describe("evidence objects", () => {
  it("reads a cluster-wide object once per time-to-live, then again", async () => {
    let clock = 0;
    const cache = new SharedObjects(kube, 30_000, () => clock);
    const ref = { apiVersion: "v1", kind: "ConfigMap", name: "probe", namespace: shared };
    expect((await cache.read(ref))?.data).toEqual({ value: "first" });

    await kube.apply(configMap(shared, "second"));
    clock = 29_999;
    expect((await cache.read(ref))?.data).toEqual({ value: "first" });
    clock = 30_000;
    expect((await cache.read(ref))?.data).toEqual({ value: "second" });
  });

  it("remembers that an object is missing only as long as anything else", async () => {
    let clock = 0;
    const cache = new SharedObjects(kube, 1_000, () => clock);
    const ref = { apiVersion: "v1", kind: "ConfigMap", name: "later", namespace: shared };
    expect(await cache.read(ref)).toBeUndefined();
    await kube.apply({ ...configMap(shared, "now"), metadata: { name: "later", namespace: shared } });
    clock = 1_000;
    expect((await cache.read(ref))?.data).toEqual({ value: "now" });
  });

  it("reads the system's own namespace fresh and the rest through the shared cache", async () => {
    const input: TenantInput = {
      system: own,
      namespace: own,
      department: "test",
      level: 3,
      zone: "internal",
      quota: { cpu: "1", memory: "1Gi", storage: { encrypted: "1Gi" } },
      exemptions: [],
      egressAllowList: [],
      now: new Date(),
    };
    const refs = evidenceObjects(input);
    const mine = refs.filter((r) => ownObject(r, own));
    expect(mine.map((r) => r.kind)).toContain("Namespace");
    expect(mine.length).toBeLessThan(refs.length);
    expect(refs.filter((r) => !ownObject(r, own)).every((r) => r.namespace !== own)).toBe(true);

    const cache = new SharedObjects(kube, 60_000);
    const before = await readEvidenceObjects(kube, cache, input);
    expect(before.some((o) => o.kind === "Namespace" && o.metadata.name === own)).toBe(true);
    // The system's own objects are not cached: one created now is seen by the next read.
    const quota = refs.find((r) => r.kind === "ResourceQuota" && r.namespace === own)!;
    expect(before.some((o) => o.kind === "ResourceQuota")).toBe(false);
    await kube.apply({ apiVersion: "v1", kind: "ResourceQuota", metadata: { name: quota.name, namespace: own }, spec: { hard: { pods: "1" } } });
    const after = await readEvidenceObjects(kube, cache, input);
    expect(after.some((o) => o.kind === "ResourceQuota" && o.metadata.name === quota.name)).toBe(true);
  });
});
