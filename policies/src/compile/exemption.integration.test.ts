import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registryAllowlistFixtures } from "../controls/registry-allowlist/fixtures.js";
import { applyAll, waitFor, waitForNamespaceReady } from "../kube/apply.js";
import type { Kube } from "../kube/client.js";
import { tryCreate } from "../matrix/outcome.js";
import { fixtureContext } from "../matrix/world.js";
import type { TenantInput } from "../model/tenant.js";
import { testKube, uniquePrefix } from "../testing/cluster.js";
import { compileBaseline } from "./baseline.js";
import { compileTenant } from "./tenant.js";

/**
 * An exemption is time-bound: while it lasts the control's binding skips the
 * system; compiled again after it lapsed, the label goes and the API server
 * refuses again.
 */
let kube: Kube;
const system = uniquePrefix("zyex");
const granted = new Date();
const expiry = new Date(granted.getTime() + 10 * 60_000);
const input = (now: Date): TenantInput => ({
  system,
  department: "exemption",
  level: 3,
  zone: "external",
  quota: { cpu: "4", memory: "8Gi" },
  now,
  exemptions: [{ control: "registry-allowlist", expiresAt: expiry, grantedBy: "officer", reason: "vendor image under review" }],
});
const dockerHub = registryAllowlistFixtures.bad(fixtureContext(3)).find((f) => f.name === "registry-docker-hub-pod");

beforeAll(async () => {
  kube = testKube();
  await applyAll(kube, compileBaseline());
});

afterAll(async () => {
  await kube.delete({ apiVersion: "v1", kind: "Namespace", name: system });
});

describe("a time-bound exemption", () => {
  it("admits what the control refuses while it lasts, and is withdrawn once it lapsed", async () => {
    if (!dockerHub) throw new Error("fixture missing");
    const during = compileTenant(input(granted));
    expect(during.requeueAt).toEqual(expiry);
    await applyAll(kube, during.objects);
    await waitForNamespaceReady(kube, system);
    const admitted = await waitFor("the exempted pod to be admitted", async () => ((await tryCreate(kube, dockerHub, system)).admitted ? true : undefined));
    expect(admitted).toBe(true);

    const after = compileTenant(input(new Date(expiry.getTime() + 1000)));
    expect(after.requeueAt).toBeUndefined();
    await applyAll(kube, after.objects);
    const namespace = await kube.read({ apiVersion: "v1", kind: "Namespace", name: system });
    expect(namespace?.metadata.labels?.["exempt.zhengyun.gov.cn/registry-allowlist"]).toBeUndefined();
    const refused = await waitFor("the pod to be refused again", async () => {
      const outcome = await tryCreate(kube, dockerHub, system);
      return outcome.admitted ? undefined : outcome;
    });
    expect(refused.message).toContain("[zhengyun:registry-allowlist]");
  });
});
