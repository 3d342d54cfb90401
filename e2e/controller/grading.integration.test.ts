import { allocation, eventually, kubeClient, namespaceGone, untilActive } from "@zhengyun/controller/testing/fixtures";
import { describe, expect, it } from "vitest";
import { controllerJourney } from "./journey.js";

const kube = kubeClient();

async function namespaceLabels(name: string): Promise<Record<string, string> | undefined> {
  if (await namespaceGone(kube.core, name)) return undefined;
  return (await kube.core.readNamespace({ name })).metadata?.labels ?? {};
}

describe("grading decides the controls on the cluster", async () => {
  const { database, org } = await controllerJourney({ databasePrefix: "zy_grading" });

  it("proposed level 1, graded 3: held before grading, then provisioned with level 3 controls; lowered to 2, re-applied", async () => {
    const system = await org.newSystem(1, "internal", { graded: false });
    const req = await org
      .as("applicant")
      .requests.create({ systemId: system.id, kind: "new", resources: { vcpu: 1, memory_gib: 2 }, justification: "业务系统上云", submit: true });
    await org.as("deptAdmin").requests.approve({ id: req.id });
    expect(await org.as("ops").requests.approve({ id: req.id })).toMatchObject({ state: "ops_approved", awaitingGrading: true });

    // Nothing reaches the controller before grading: no allocation, no namespace.
    expect(await allocation(database, system.id)).toBeUndefined();
    expect(await namespaceLabels(system.namespace)).toBeUndefined();

    await org.as("security").systems.grade({ id: system.id, level: 3, filingNumber: "32100043003-26101" });
    // Level 3 still needs the security approval, by someone other than the ops approver.
    await org.as("security").requests.approve({ id: req.id });
    await untilActive(database, req.id);

    expect(await namespaceLabels(system.namespace)).toMatchObject({
      "zhengyun.gov.cn/level": "3",
      "zhengyun.gov.cn/zone": "internal",
      "pod-security.kubernetes.io/enforce": "restricted",
    });

    // Lowering the level is the security officer's decision; the controller re-applies level 2's controls.
    const before = (await allocation(database, system.id))!.generation;
    await org.as("security").systems.grade({ id: system.id, level: 2, filingNumber: "32100043003-26101", reason: "复核后降为二级" });
    expect((await allocation(database, system.id))!.generation).toBe(before + 1);
    const lowered = await eventually("the namespace to carry level 2's controls", async () => {
      const labels = await namespaceLabels(system.namespace);
      return labels?.["zhengyun.gov.cn/level"] === "2" ? labels : undefined;
    });
    expect(lowered).toMatchObject({ "zhengyun.gov.cn/level": "2", "pod-security.kubernetes.io/enforce": "baseline" });
  });
});
