import { CoreV1Api, type V1EphemeralContainer } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registryAllowlistFixtures } from "../controls/registry-allowlist/fixtures.js";
import { compliantImage, compliantSecurityContext } from "../fixtures/pod.js";
import { applyAll, waitFor, waitForNamespaceReady } from "../kube/apply.js";
import { apiErrorMessage, type Kube } from "../kube/client.js";
import { inNamespace, tryCreate } from "../matrix/outcome.js";
import { fixtureContext } from "../matrix/world.js";
import type { TenantInput } from "../model/tenant.js";
import { testKube, uniquePrefix } from "../testing/cluster.js";
import { compileBaseline } from "./baseline.js";
import { compileTenant } from "./tenant.js";

/**
 * Objects that predate a policy (here: admitted under an exemption that has
 * since lapsed) can still have their metadata changed — garbage collection and
 * namespace deletion must never be blocked — but any change to their spec is
 * checked, including debug (ephemeral) containers added to a running pod.
 */
let kube: Kube;
let core: CoreV1Api;
const system = uniquePrefix("zyup");
const granted = new Date();
const expiry = new Date(granted.getTime() + 10 * 60_000);
const input = (now: Date): TenantInput => ({
  system,
  department: "updates",
  level: 3,
  zone: "external",
  quota: { cpu: "4", memory: "8Gi" },
  now,
  exemptions: [{ control: "registry-allowlist", expiresAt: expiry, grantedBy: "officer", reason: "vendor image under review" }],
});
const legacy = registryAllowlistFixtures.bad(fixtureContext(3)).find((f) => f.name === "registry-docker-hub-pod");

function debugContainer(name: string, image: string): V1EphemeralContainer {
  return { name, image, securityContext: compliantSecurityContext(3) };
}

async function addDebugContainer(container: V1EphemeralContainer): Promise<string | undefined> {
  const pod = await core.readNamespacedPod({ name: legacy?.name ?? "", namespace: system });
  pod.spec = { containers: [], ...pod.spec, ephemeralContainers: [...(pod.spec?.ephemeralContainers ?? []), container] };
  try {
    await core.replaceNamespacedPodEphemeralcontainers({ name: legacy?.name ?? "", namespace: system, body: pod });
    return undefined;
  } catch (error) {
    return apiErrorMessage(error);
  }
}

beforeAll(async () => {
  if (!legacy) throw new Error("fixture missing");
  kube = testKube();
  core = kube.config.makeApiClient(CoreV1Api);
  await applyAll(kube, compileBaseline());
  await applyAll(kube, compileTenant(input(granted)).objects);
  await waitForNamespaceReady(kube, system);
  // Created for real while exempted; without a kubelet it simply stays Pending.
  await waitFor("the exempted pod to be created", async () => {
    try {
      return await kube.apply(inNamespace(legacy.object, system));
    } catch {
      return undefined;
    }
  });
  await applyAll(kube, compileTenant(input(new Date(expiry.getTime() + 1000))).objects);
  await waitFor("the registry allow-list to apply again", async () => ((await tryCreate(kube, legacy, system)).admitted ? undefined : true));
});

afterAll(async () => {
  await kube.delete({ apiVersion: "v1", kind: "Namespace", name: system });
});

describe("updates under an admission policy", () => {
  it("let a pre-existing non-compliant pod's metadata change", async () => {
    const pod = await core.readNamespacedPod({ name: legacy?.name ?? "", namespace: system });
    pod.metadata = { ...pod.metadata, labels: { ...pod.metadata?.labels, reviewed: "yes" } };
    const relabelled = await core.replaceNamespacedPod({ name: legacy?.name ?? "", namespace: system, body: pod });
    expect(relabelled.metadata?.labels?.reviewed).toBe("yes");
  });

  it("refuse a debug container from a registry the level does not allow", async () => {
    const refusal = await addDebugContainer(debugContainer("debug", `docker.io/library/busybox@sha256:${"0".repeat(64)}`));
    expect(refusal).toContain("[zhengyun:registry-allowlist]");
  });

  it("judge the whole pod when its spec changes: a compliant debug container is refused while the legacy one is not", async () => {
    const refusal = await addDebugContainer(debugContainer("debug-ok", compliantImage(3, "platform/debug")));
    expect(refusal).toContain("[zhengyun:registry-allowlist]");
    expect(refusal).toContain("docker.io/library/nginx");
    expect(refusal).not.toContain("platform/debug");
  });
});
