// Observing a system on the local control plane: its own namespace fresh every time and listed
// once per kind, cluster-wide objects shared for a while. Real API server, no fakes.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evidenceSpec } from "../evidence/read-live.js";
import { evidenceObjects } from "../evidence/report.js";
import type { Kube } from "../kube/client.js";
import type { TenantInput } from "../model/tenant.js";
import { testKube } from "../testing/cluster.js";
import { WIDENING_KINDS } from "./foreign.js";
import { observe, ownObject, SharedObjects } from "./observe.js";

const kube = testKube();
const suffix = randomBytes(4).toString("hex");
const shared = `zy-evidence-shared-${suffix}`;
const own = `zy-evidence-own-${suffix}`;

const system = (namespace: string): TenantInput => ({
  system: namespace,
  namespace,
  department: "test",
  level: 3,
  zone: "internal",
  quota: { cpu: "1", memory: "1Gi", storage: { encrypted: "1Gi" } },
  exemptions: [],
  egressAllowList: [],
  now: new Date(),
});

/** The client, counting the list and read requests sent through it. */
function counting(inner: Kube) {
  const sent = {
    lists: 0,
    reads: 0,
    kube: {
      list: (...args: Parameters<Kube["list"]>) => {
        sent.lists += 1;
        return inner.list(...args);
      },
      read: (...args: Parameters<Kube["read"]>) => {
        sent.reads += 1;
        return inner.read(...args);
      },
    },
  };
  return sent;
}

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

describe("observing a system", () => {
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
    const input = system(own);
    const refs = evidenceObjects(input);
    const mine = refs.filter((r) => ownObject(r, own));
    expect(mine.map((r) => r.kind)).toContain("Namespace");
    expect(mine.length).toBeLessThan(refs.length);
    expect(refs.filter((r) => !ownObject(r, own)).every((r) => r.namespace !== own)).toBe(true);

    const cache = new SharedObjects(kube, 60_000);
    const before = (await observe(kube, evidenceSpec(input), cache)).objects();
    expect(before.some((o) => o.kind === "Namespace" && o.metadata.name === own)).toBe(true);
    // The system's own objects are not cached: one created now is seen by the next read.
    const quota = refs.find((r) => r.kind === "ResourceQuota" && r.namespace === own)!;
    expect(before.some((o) => o.kind === "ResourceQuota")).toBe(false);
    await kube.apply({ apiVersion: "v1", kind: "ResourceQuota", metadata: { name: quota.name, namespace: own }, spec: { hard: { pods: "1" } } });
    const after = (await observe(kube, evidenceSpec(input), cache)).objects();
    expect(after.some((o) => o.kind === "ResourceQuota" && o.metadata.name === quota.name)).toBe(true);
  });

  it("reads the namespace once per kind, however many objects it compares, and the shared objects once per time-to-live", async () => {
    const input: TenantInput = { ...system(own), quota: { cpu: "1", memory: "1Gi", storage: { encrypted: "1Gi", ssd: "1Gi" } } };
    const spec = evidenceSpec(input);
    const sent = counting(kube);
    const cache = new SharedObjects(sent.kube, 60_000);
    const first = await observe(sent.kube, spec, cache);
    const namespaced = spec.objects.filter((r) => r.namespace === own);
    const kinds = new Set([...namespaced.map((r) => `${r.apiVersion}/${r.kind}`), ...WIDENING_KINDS.map((k) => `${k.apiVersion}/${k.kind}`)]);
    const elsewhere = spec.objects.length - namespaced.length;
    expect(namespaced.length).toBeGreaterThan(kinds.size - WIDENING_KINDS.length);
    expect(sent.lists).toBe(kinds.size);
    expect(sent.reads).toBe(elsewhere + (spec.shared ?? []).length);
    expect(first.requests).toEqual({ own: kinds.size + elsewhere, shared: (spec.shared ?? []).length });

    // A second check within the time-to-live reads only the namespace again.
    const second = await observe(sent.kube, spec, cache);
    expect(second.requests).toEqual({ own: kinds.size + elsewhere, shared: 0 });
    expect(second.objects().map((o) => o.metadata.name)).toEqual(first.objects().map((o) => o.metadata.name));
  });
});
