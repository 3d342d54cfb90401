import { describe, expect, it } from "vitest";
import { compileTenant } from "../../compile/tenant.js";
import { fixtureContext } from "../../matrix/world.js";
import { LEVELS } from "../../model/level.js";
import { TEST_NOW } from "../../testing/compiled-world.js";
import { fixtureHygiene } from "../../testing/fixture-hygiene.js";
import { psa } from "./control.js";
import { psaFixtures } from "./fixtures.js";

const labelsAt = (level: 1 | 2 | 3 | 4, exempt = false) =>
  compileTenant({
    system: "s",
    department: "d",
    level,
    zone: "internal",
    quota: { cpu: "1", memory: "1Gi" },
    now: TEST_NOW,
    exemptions: exempt ? [{ control: "psa", expiresAt: new Date(TEST_NOW.getTime() + 60_000), grantedBy: "officer", reason: "r" }] : [],
  }).objects[0]?.metadata.labels ?? {};

const psaOf = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).filter(([k]) => k.startsWith("pod-security.kubernetes.io/")));

describe("psa", () => {
  it("is enforced by namespace labels at every level", () => {
    expect(psa.levels).toEqual([...LEVELS]);
    expect(psa.mechanisms).toEqual(["pod-security-admission"]);
    expect(psa.compileCluster()).toEqual([]);
  });

  it("labels L1 baseline, L2 baseline warned against restricted, L3/L4 restricted, all pinned to v1.34", () => {
    const pinned = (enforce: string, audit: string, warn: string) => ({
      "pod-security.kubernetes.io/enforce": enforce,
      "pod-security.kubernetes.io/enforce-version": "v1.34",
      "pod-security.kubernetes.io/audit": audit,
      "pod-security.kubernetes.io/audit-version": "v1.34",
      "pod-security.kubernetes.io/warn": warn,
      "pod-security.kubernetes.io/warn-version": "v1.34",
    });
    expect(psaOf(labelsAt(1))).toEqual(pinned("baseline", "baseline", "baseline"));
    expect(psaOf(labelsAt(2))).toEqual(pinned("baseline", "restricted", "restricted"));
    expect(psaOf(labelsAt(3))).toEqual(pinned("restricted", "restricted", "restricted"));
    expect(psaOf(labelsAt(4))).toEqual(pinned("restricted", "restricted", "restricted"));
  });

  it("under an exemption stops enforcing but keeps auditing and warning", () => {
    const labels = labelsAt(3, true);
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(labels["pod-security.kubernetes.io/warn"]).toBe("restricted");
    expect(labels["pod-security.kubernetes.io/audit"]).toBe("restricted");
    expect(labels["exempt.zhengyun.gov.cn/psa"]).toBe(String((TEST_NOW.getTime() + 60_000) / 1000));
  });

  it("attributes refusals to the enforced Pod Security level", () => {
    expect(psa.refusals(1)).toEqual(['violates PodSecurity "baseline:v1.34"']);
    expect(psa.refusals(3)).toEqual(['violates PodSecurity "restricted:v1.34"']);
  });

  it("refuses with Pods only: Pod Security Admission only warns on workload templates", () => {
    for (const level of LEVELS) expect(new Set(psaFixtures.bad(fixtureContext(level)).map((f) => f.object.kind))).toEqual(new Set(["Pod"]));
  });

  it("has restricted-only bad fixtures exactly where restricted is enforced", () => {
    const names = (level: 1 | 2 | 3 | 4) => psaFixtures.bad(fixtureContext(level)).map((f) => f.name);
    expect(names(2)).toEqual(["psa-net-admin-pod"]);
    expect(names(3)).toEqual(["psa-net-admin-pod", "psa-no-seccomp-pod", "psa-privilege-escalation-pod"]);
  });

  it("warns at apply time about workload templates, and at level 2 about what restricted would refuse", () => {
    const warned = (level: 1 | 2 | 3 | 4) => psaFixtures.warned?.(fixtureContext(level)) ?? [];
    expect(new Set(warned(1).map((f) => f.object.kind))).toEqual(new Set(["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"]));
    expect(new Set(warned(1).map((f) => f.warning))).toEqual(new Set(['would violate PodSecurity "baseline:v1.34"']));
    expect(
      warned(2)
        .filter((f) => f.object.kind === "Pod")
        .map((f) => f.name),
    ).toEqual(["psa-above-enforced-pod"]);
    expect(new Set(warned(2).map((f) => f.warning))).toEqual(new Set(['would violate PodSecurity "restricted:v1.34"']));
    expect(warned(3).some((f) => f.object.kind === "Pod")).toBe(false);
  });

  fixtureHygiene(psa, psaFixtures);
});
