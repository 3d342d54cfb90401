import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileBaseline } from "../../compile/baseline.js";
import { compileTenant } from "../../compile/tenant.js";
import { compliantPodSpec, podSpecWith } from "../../fixtures/pod.js";
import { asWorkloads, WORKLOAD_KINDS } from "../../fixtures/workloads.js";
import { applyAll, mapLimit, waitFor, waitForNamespaceReady } from "../../kube/apply.js";
import type { Kube } from "../../kube/client.js";
import { tryCreate } from "../../matrix/outcome.js";
import { LEVELS, type Level } from "../../model/level.js";
import { testKube, uniquePrefix } from "../../testing/cluster.js";
import { PSA_PARAMS } from "./control.js";
import { breaksAt } from "./fixtures.js";

/**
 * Every Pod Security check of each level's profile, for every pod-bearing kind, against the real
 * API server: a template (or pod) failing the check is refused at apply time with the words Pod
 * Security Admission uses for a pod; the compliant one is admitted. The other controls that would
 * also refuse some of these (no-host-access, non-root-readonly) are exempted, so each refusal seen
 * is Pod Security's own.
 */
let kube: Kube;
const prefix = uniquePrefix("zypsa");
const namespaceAt = (level: Level) => `${prefix}-l${level}`;
const now = new Date();
const exempt = (["no-host-access", "non-root-readonly"] as const).map((control) => ({
  control,
  expiresAt: new Date(now.getTime() + 3_600_000),
  grantedBy: "officer",
  reason: "Pod Security seen alone",
}));

beforeAll(async () => {
  kube = testKube();
  await applyAll(kube, compileBaseline());
  for (const level of LEVELS) {
    const tenant = compileTenant({
      system: namespaceAt(level),
      department: "psa",
      level,
      zone: "external",
      quota: { cpu: "8", memory: "16Gi", pods: 50 },
      now,
      exemptions: exempt.filter((e) => level >= 3 || e.control !== "non-root-readonly"),
    });
    await applyAll(kube, tenant.objects);
    await waitForNamespaceReady(kube, namespaceAt(level));
  }
  // Bindings and parameters reach the admission plugin asynchronously.
  for (const level of LEVELS) {
    const [probe] = asWorkloads(
      "psa-probe",
      "probe",
      podSpecWith(level, (s) => {
        s.hostNetwork = true;
      }),
      { kinds: ["Deployment"] },
    );
    await waitFor(`the template policy to be in force at level ${level}`, async () =>
      (await tryCreate(kube, probe!, namespaceAt(level))).admitted ? undefined : true,
    );
  }
}, 240_000);

afterAll(async () => {
  for (const level of LEVELS) await kube.delete({ apiVersion: "v1", kind: "Namespace", name: namespaceAt(level) });
});

describe.each(LEVELS)("level %i", (level) => {
  const profile = PSA_PARAMS[level].enforce;

  it.each(breaksAt(level).map((b) => [b.name, b] as const))(`refuses %s for every pod-bearing kind with Pod Security's message`, async (_name, b) => {
    const fixtures = asWorkloads(b.name, b.description, podSpecWith(level, b.change));
    expect(new Set(fixtures.map((f) => f.object.kind))).toEqual(new Set(WORKLOAD_KINDS));
    const outcomes = await mapLimit(fixtures, 4, (f) => tryCreate(kube, f, namespaceAt(level)));
    for (const o of outcomes) {
      expect(o.admitted, `${o.kind} ${b.name}`).toBe(false);
      expect(o.message, `${o.kind} ${b.name}`).toContain(`violates PodSecurity "${profile}:v1.34": `);
      expect(o.message, `${o.kind} ${b.name}`).toContain(b.check);
    }
  });

  it("admits the compliant spec as every pod-bearing kind", async () => {
    const outcomes = await mapLimit(asWorkloads("psa-ok", "compliant", compliantPodSpec(level)), 4, (f) => tryCreate(kube, f, namespaceAt(level)));
    for (const o of outcomes) expect(o.admitted, `${o.kind}: ${o.message}`).toBe(true);
  });
});
