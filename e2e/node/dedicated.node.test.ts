// Level 4 systems run on dedicated nodes: the node is labelled and tainted as a level 4 node; a level
// 4 system's pod (the platform's admission requires it to tolerate the taint and select such nodes)
// runs there, while a level 2 system's pod (which the platform forbids to tolerate the taint) is
// kept off by the taint and stays Pending. With one node, the taint is set for this test only.

import type * as k8s from "@kubernetes/client-node";
import { eventually, kubeClient, untilActive } from "@zhengyun/controller/testing/fixtures";
import { PLATFORM_PROBE, PROBE_IMAGE } from "@zhengyun/infra/cluster/images";
import { LOCAL_STORAGE_PROVISIONER } from "@zhengyun/infra/cluster/local-cluster";
import { untilRunning } from "@zhengyun/infra/cluster/pods";
import { compliantPodSpec } from "@zhengyun/policies/fixtures/pod";
import { DEDICATED_NODE_VALUE, DEDICATED_TAINT_KEY } from "@zhengyun/policies/model/labels";
import { requestIn } from "@zhengyun/portal/test/harness";
import { afterAll, describe, expect, inject, it } from "vitest";
import { controllerJourney } from "../controller/journey.js";

const kube = kubeClient();

function probePod(level: 2 | 4, digest: string): k8s.V1Pod {
  const spec = structuredClone(compliantPodSpec(level));
  const container = spec.containers[0] as k8s.V1Container;
  container.image = `${PLATFORM_PROBE}@${digest}`;
  container.imagePullPolicy = "IfNotPresent";
  container.args = ["serve", "8080"];
  container.resources = { limits: { cpu: "100m", memory: "64Mi" } };
  return { metadata: { name: "web" }, spec };
}

describe("a dedicated node for level 4", async () => {
  const node = inject("node");
  const probe = node.images.find((i) => i.ref === PROBE_IMAGE.ref);
  const { database, org } = await controllerJourney({ config: { storageProvisioner: LOCAL_STORAGE_PROVISIONER } });

  const setDedicated = async (on: boolean) => {
    const n = await kube.core.readNode({ name: node.name });
    const taints = (n.spec?.taints ?? []).filter((t) => t.key !== DEDICATED_TAINT_KEY);
    const labels = { ...n.metadata?.labels };
    delete labels[DEDICATED_TAINT_KEY];
    if (on) {
      taints.push({ key: DEDICATED_TAINT_KEY, value: DEDICATED_NODE_VALUE, effect: "NoSchedule" });
      labels[DEDICATED_TAINT_KEY] = DEDICATED_NODE_VALUE;
    }
    n.spec = { ...n.spec, taints };
    n.metadata = { ...n.metadata, labels };
    await kube.core.replaceNode({ name: node.name, body: n });
  };

  const created: { namespace: string; name: string }[] = [];
  afterAll(async () => {
    for (const p of created) await kube.core.deleteNamespacedPod({ ...p, gracePeriodSeconds: 0 }).catch(() => {});
    await setDedicated(false).catch(() => {});
  }, 60_000);

  it("runs the level 4 system's pod on the tainted node and keeps a level 2 system's pod off it", async () => {
    const [l4, l2] = await Promise.all([
      requestIn(org, "provisioning", { level: 4, zone: "internal", vcpu: 1 }),
      requestIn(org, "provisioning", { level: 2, vcpu: 1 }),
    ]);
    await untilActive(database, l4.request.id, 240_000);
    await untilActive(database, l2.request.id, 240_000);
    for (const ns of [l4.system.namespace, l2.system.namespace]) {
      await eventually("the default service account", () => kube.core.readNamespacedServiceAccount({ name: "default", namespace: ns }));
    }
    await setDedicated(true);

    const digest = probe?.digest ?? "";
    const l4Pod = probePod(4, digest);
    expect(l4Pod.spec?.tolerations).toContainEqual({ key: DEDICATED_TAINT_KEY, operator: "Exists", effect: "NoSchedule" });
    expect(l4Pod.spec?.nodeSelector).toEqual({ [DEDICATED_TAINT_KEY]: DEDICATED_NODE_VALUE });
    await kube.core.createNamespacedPod({ namespace: l4.system.namespace, body: l4Pod });
    created.push({ namespace: l4.system.namespace, name: "web" });
    await kube.core.createNamespacedPod({ namespace: l2.system.namespace, body: probePod(2, digest) });
    created.push({ namespace: l2.system.namespace, name: "web" });

    const running = await untilRunning(kube.core, l4.system.namespace, "web");
    expect(running.spec?.nodeName).toBe(node.name);
    const kept = await eventually("the scheduler to give up on the level 2 pod", async () => {
      const pod = await kube.core.readNamespacedPod({ namespace: l2.system.namespace, name: "web" });
      const scheduled = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
      return scheduled?.status === "False" && scheduled.reason === "Unschedulable" ? pod : undefined;
    });
    expect(kept.spec?.nodeName).toBeUndefined();
    const reason = kept.status?.conditions?.find((c) => c.type === "PodScheduled")?.message ?? "";
    expect(reason).toContain("untolerated taint");
    // The node's one taint is the dedicated-node taint.
    const taints = (await kube.core.readNode({ name: node.name })).spec?.taints ?? [];
    expect(taints).toEqual([{ key: DEDICATED_TAINT_KEY, value: DEDICATED_NODE_VALUE, effect: "NoSchedule" }]);
    console.log(`[dedicated] level 4 pod on ${running.spec?.nodeName}; level 2 pod Pending: ${reason}`);

    // The level 2 pod may not tolerate the taint to get on the node: the platform's admission refuses it.
    const sneaky = probePod(2, digest);
    sneaky.metadata = { name: "web-tolerating" };
    sneaky.spec!.tolerations = [{ key: DEDICATED_TAINT_KEY, operator: "Exists", effect: "NoSchedule" }];
    const refused = await kube.core.createNamespacedPod({ namespace: l2.system.namespace, body: sneaky }).then(
      () => "admitted",
      (err: { body?: string }) => String(err.body ?? err),
    );
    expect(refused).toContain("dedicated-nodes");
  });
});
