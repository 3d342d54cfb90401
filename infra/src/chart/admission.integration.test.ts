// Every CI scenario of the chart, applied with server-side dry run into the namespace of a level 3
// information system: Pod Security "restricted" enforced, and the catalog's level 3 admission
// policies (registry allow-list, digest pinning, resource limits, non-root and read-only root, no
// host access, no dedicated-node toleration, no NodePort/LoadBalancer) in force. The pods the
// workloads would create are dry-run too, since Pod Security judges pods, not their templates.
// Each policy is first seen refusing a copy of the chart's Deployment that breaks only that policy,
// so the chart passing means it complies, not that nothing was checked.

import type { KubeObject } from "@zhengyun/policies";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { isWorkload, type Manifest, podTemplate, render, scenarios } from "./helm.js";
import { DEVIATIONS, deviate, type Level3, level3System, podOf, refusalOf, waitUntilEnforced } from "./level3.js";
import { kubectl, uniqueId } from "./run.js";

const kubeconfig = inject("kubeconfig");
const id = uniqueId();
let system: Level3;

beforeAll(async () => {
  system = await level3System(kubeconfig, id);
  const reference = await render({ namespace: system.namespace, valuesFiles: [scenarios()[0]!.file] });
  await waitUntilEnforced(system.kube, reference, system.namespace);
}, 300_000);

afterAll(async () => {
  await system?.cleanup();
});

/** The objects as one v1 List, which kubectl takes on stdin. */
function list(objects: readonly Manifest[]): string {
  return JSON.stringify({ apiVersion: "v1", kind: "List", items: objects });
}

describe("the level 3 policies are in force in the test namespace", () => {
  it.each(DEVIATIONS)("$control refuses the portal Deployment changed to break it", async (deviation) => {
    const objects = await render({ namespace: system.namespace, valuesFiles: [scenarios()[0]!.file] });
    const message = await refusalOf(system.kube, deviate(objects, deviation) as KubeObject);
    const expected = [deviation.refusal, ...(deviation.alsoRefusal ? [deviation.alsoRefusal] : [])];
    expect(
      expected.some((e) => message?.includes(e)),
      `${message} names one of ${expected.join(" | ")}`,
    ).toBe(true);
  });

  it("Pod Security restricted refuses a portal pod that may escalate privileges, and such a Deployment at apply time", async () => {
    const objects = await render({ namespace: system.namespace, valuesFiles: [scenarios()[0]!.file] });
    const deployment = deviate(objects, {
      control: "psa",
      refusal: "",
      change: (spec) => {
        spec.containers[0]!.securityContext = { ...spec.containers[0]!.securityContext, allowPrivilegeEscalation: true };
      },
    });
    const pod = podOf(deployment, system.namespace);
    (pod.spec as { serviceAccountName?: string }).serviceAccountName = undefined;
    expect(await refusalOf(system.kube, pod)).toContain('violates PodSecurity "restricted:v1.34"');
    const applied = await kubectl(
      kubeconfig,
      ["apply", "--server-side", "--dry-run=server", "--field-manager=zhengyun-chart-test", "-f", "-"],
      list([deployment]),
    );
    // The template is judged like the pod: refused with Pod Security's own words, not merely warned.
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toContain('violates PodSecurity "restricted:v1.34"');
    expect(applied.stderr).toContain("allowPrivilegeEscalation");
  });
});

describe.each(scenarios())("scenario $name in a level 3 namespace", ({ file }) => {
  let objects: Manifest[] = [];

  beforeAll(async () => {
    objects = await render({ namespace: system.namespace, valuesFiles: [file] });
    // Pods name their service accounts, which admission looks up: create those for real.
    for (const sa of objects.filter((o) => o.kind === "ServiceAccount")) await system.kube.apply(sa as KubeObject);
    // A dry run creates nothing, so objects in a namespace the chart itself creates (the egress
    // gateway's, whose Role lives there) need it to exist, as after the platform baseline ran there.
    // Where another test's platform baseline made it already, the chart's `lookup` would leave it
    // out on a real install; so does this dry run (it would otherwise contend for the baseline's labels).
    const existing = new Set<string>();
    for (const ns of new Set(objects.filter((o) => o.kind === "Namespace").map((o) => o.metadata.name))) {
      const created = await kubectl(kubeconfig, ["create", "namespace", ns]);
      if (created.code === 0) continue;
      if (!created.stderr.includes("AlreadyExists")) throw new Error(`creating namespace ${ns}: ${created.stderr}`);
      existing.add(ns);
    }
    objects = objects.filter((o) => !(o.kind === "Namespace" && existing.has(o.metadata.name)));
  });

  it("is accepted by server-side dry-run apply, without a single warning", async () => {
    const applied = await kubectl(kubeconfig, ["apply", "--server-side", "--dry-run=server", "--field-manager=zhengyun-chart-test", "-f", "-"], list(objects));
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    const lines = applied.stdout.trim().split("\n");
    expect(lines).toHaveLength(objects.length);
    for (const line of lines) expect(line).toMatch(/ serverside-applied \(server dry run\)$/);
  });

  it("every workload's pods are admitted under Pod Security restricted and the level 3 policies", async () => {
    const workloads = objects.filter(isWorkload);
    expect(workloads.length).toBeGreaterThanOrEqual(2);
    for (const workload of workloads) {
      expect(podTemplate(workload).spec.containers.length).toBeGreaterThan(0);
      const refusal = await refusalOf(system.kube, podOf(workload, system.namespace));
      expect(refusal, `${workload.kind} ${workload.metadata.name}`).toBeUndefined();
    }
  });
});
