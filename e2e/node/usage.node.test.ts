// Real usage: a system provisioned by the controller runs a workload on the local node; the
// ResourceQuota's status counts it, the controller's check writes it into the allocation, and
// the portal's used-vs-granted numbers (the system, its department, the platform) show it.

import { requestCheck } from "@zhengyun/controller/claims/claims";
import { eventually } from "@zhengyun/controller/testing/fixtures";
import { allocationItems } from "@zhengyun/db/schema";
import { httpGetAnswered, untilRunning } from "@zhengyun/infra/cluster/pods";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { onTheNode } from "./provisioned.js";

describe("usage of a workload running on the node", async () => {
  const { node, kube, database, org, provision, probePod } = await onTheNode(3);

  it("counts a running level 3 pod in the quota, the allocation and the portal's used numbers", async () => {
    const { system } = await provision(2);

    // The platform's own level 3 policies admit it: platform registry, pinned by digest, restricted.
    const { spec, container } = probePod(["serve", "8080"]);
    container.imagePullPolicy = "IfNotPresent";
    container.resources = { limits: { cpu: "1100m", memory: "256Mi" } };
    await kube.core.createNamespacedPod({ namespace: system.namespace, body: { metadata: { name: "workload" }, spec } });
    const pod = await untilRunning(kube.core, system.namespace, "workload");
    expect(pod.spec?.nodeName).toBe(node.name);
    expect(await httpGetAnswered(`http://${pod.status?.podIP}:8080/`)).toEqual({ status: 200, body: "ok workload\n" });

    const used = await eventually("the quota to count the running pod", async () => {
      const q = await kube.core.readNamespacedResourceQuota({ namespace: system.namespace, name: "zhengyun-resource-limits" });
      return q.status?.used?.["limits.cpu"] === "1100m" ? q.status.used : undefined;
    });
    expect(used).toMatchObject({ "limits.cpu": "1100m", "limits.memory": "256Mi", pods: "1" });

    await requestCheck(database.pool!, system.id);
    await eventually("usage in allocation_items", async () => {
      const rows = await database.db.select().from(allocationItems).where(eq(allocationItems.systemId, system.id));
      return rows.find((r) => r.resource === "vcpu")?.used === 2 ? rows : undefined;
    });

    // Portal: the system page, the department overview and the platform capacity.
    const detail = await org.as("applicant").systems.get({ id: system.id });
    expect(detail.granted).toMatchObject({ vcpu: 2, memory_gib: 4 });
    expect(detail.used).toMatchObject({ vcpu: 2, memory_gib: 1 });
    const overview = await org.as("deptAdmin").departments.overview({ id: org.dept.id });
    expect(overview.used).toMatchObject({ vcpu: 2, memory_gib: 1 });
    const capacity = await org.as("ops").platform.capacity();
    expect(capacity.used).toMatchObject({ vcpu: 2, memory_gib: 1 });
    console.log(
      `[usage] ${system.namespace}: quota used ${JSON.stringify(used)}; portal system used ${JSON.stringify(detail.used)} of granted ${JSON.stringify(detail.granted)}`,
    );

    await kube.core.deleteNamespacedPod({ namespace: system.namespace, name: "workload", gracePeriodSeconds: 0 });
  });
});
