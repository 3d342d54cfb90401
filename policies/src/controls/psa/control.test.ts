import { describe, expect, it } from "vitest";
import { compileTenant } from "../../compile/tenant.js";
import { WORKLOAD_KINDS } from "../../fixtures/workloads.js";
import { fixtureContext } from "../../matrix/world.js";
import { LEVELS } from "../../model/level.js";
import { compiledControl } from "../../testing/compiled-control.js";
import { TEST_NOW } from "../../testing/compiled-world.js";
import { fixtureHygiene } from "../../testing/fixture-hygiene.js";
import { PSA_PARAMS, psa } from "./control.js";
import { breaksAt, psaFixtures } from "./fixtures.js";
import { CHECKS, podSecurityMessage, templatePolicy } from "./templates.js";

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
  it("is enforced by namespace labels on pods and by a policy on workload templates, at every level", () => {
    expect(psa.levels).toEqual([...LEVELS]);
    expect(psa.mechanisms).toEqual(["pod-security-admission", "validating-admission-policy"]);
    const compiled = compiledControl(psa);
    expect(compiled.bindingLevels).toEqual([...LEVELS]);
    const profiles = psa
      .compileCluster()
      .filter((o) => o.kind === "ConfigMap")
      .map((o) => [o.metadata.name, (o as { data?: Record<string, string> }).data?.profile]);
    expect(profiles).toEqual([
      ["zhengyun-psa-l1", "baseline"],
      ["zhengyun-psa-l2", "baseline"],
      ["zhengyun-psa-l3", "restricted"],
      ["zhengyun-psa-l4", "restricted"],
    ]);
  });

  it("judges every pod-bearing kind but Pod (Pod Security Admission judges pods) with Pod Security's own words", () => {
    const policy = templatePolicy();
    const resources = policy.spec.matchConstraints.resourceRules.flatMap((r) => r.resources);
    expect(new Set(resources)).toEqual(new Set(["deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "cronjobs"]));
    for (const v of policy.spec.validations) expect(v.messageExpression).toMatch(/^'violates PodSecurity "' \+ params\.data\.profile \+ ':v1\.34": /);
    expect(podSecurityMessage("baseline", "host namespaces", "hostNetwork=true")).toBe(
      'violates PodSecurity "baseline:v1.34": host namespaces (hostNetwork=true)',
    );
  });

  it("has a bad fixture for every check of the enforced profile, for every pod-bearing kind", () => {
    for (const level of LEVELS) {
      const profile = PSA_PARAMS[level].enforce;
      const checks = new Set(breaksAt(level).map((b) => b.check));
      const expected = CHECKS.filter((c) => profile === "restricted" || !c.restrictedOnly)
        .map((c) => c.title)
        .filter((t) => t !== "hostProcess");
      for (const title of expected)
        expect(
          [...checks].some((c) => title.includes(c)),
          `${title} at level ${level}`,
        ).toBe(true);
      const kinds = new Set(psaFixtures.bad(fixtureContext(level)).map((f) => f.object.kind));
      expect(kinds).toEqual(new Set(WORKLOAD_KINDS));
    }
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

  it("has restricted-only bad fixtures exactly where restricted is enforced", () => {
    const names = (level: 1 | 2 | 3 | 4) => new Set(psaFixtures.bad(fixtureContext(level)).map((f) => f.name));
    expect(names(2).has("psa-net-admin-deploy")).toBe(true);
    expect(names(2).has("psa-no-seccomp-deploy")).toBe(false);
    expect(names(3).has("psa-no-seccomp-cron")).toBe(true);
    expect(names(3).has("psa-privilege-escalation-pod")).toBe(true);
  });

  it("warns at level 2 about what restricted would refuse, and nowhere else", () => {
    const warned = (level: 1 | 2 | 3 | 4) => psaFixtures.warned?.(fixtureContext(level)) ?? [];
    expect(warned(2).map((f) => f.name)).toEqual(["psa-above-enforced-pod"]);
    expect(new Set(warned(2).map((f) => f.warning))).toEqual(new Set(['would violate PodSecurity "restricted:v1.34"']));
    for (const level of [1, 3, 4] as const) expect(warned(level)).toEqual([]);
  });

  fixtureHygiene(psa, psaFixtures, { everyWorkloadKind: true });
});
