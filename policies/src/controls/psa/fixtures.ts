import type { V1PodSpec } from "@kubernetes/client-node";
import { compliantPodSpec, mainContainer, podSpecWith } from "../../fixtures/pod.js";
import { asWorkloads, WORKLOAD_KINDS } from "../../fixtures/workloads.js";
import type { AdmissionFixture, AdmissionFixtures } from "../../model/fixture.js";
import { PSA_VERSION } from "../../model/labels.js";
import type { Level } from "../../model/level.js";
import { PSA_PARAMS } from "./control.js";

interface Break {
  name: string;
  description: string;
  spec: V1PodSpec;
}

/** Pod specs the level's enforced Pod Security Standard forbids. */
function breaks(level: Level): Break[] {
  const list: Break[] = [
    {
      name: "psa-net-admin",
      description: "adds the NET_ADMIN capability (baseline forbids it)",
      spec: podSpecWith(level, (spec) => {
        const c = mainContainer(spec);
        c.securityContext = { ...c.securityContext, capabilities: { ...c.securityContext?.capabilities, add: ["NET_ADMIN"] } };
      }),
    },
  ];
  if (PSA_PARAMS[level].enforce === "restricted") {
    list.push(
      {
        name: "psa-no-seccomp",
        description: "sets no seccomp profile (restricted requires RuntimeDefault)",
        spec: podSpecWith(level, (spec) => {
          const c = mainContainer(spec);
          if (c.securityContext) delete c.securityContext.seccompProfile;
        }),
      },
      {
        name: "psa-privilege-escalation",
        description: "allows privilege escalation (restricted forbids it)",
        spec: podSpecWith(level, (spec) => {
          const c = mainContainer(spec);
          c.securityContext = { ...c.securityContext, allowPrivilegeEscalation: true };
        }),
      },
    );
  }
  return list;
}

const TEMPLATE_KINDS = WORKLOAD_KINDS.filter((k) => k !== "Pod");

function warnedAs(level: Level, fixtures: AdmissionFixture[]): AdmissionFixture[] {
  const warning = `would violate PodSecurity "${PSA_PARAMS[level].warn}:${PSA_VERSION}"`;
  return fixtures.map((f) => ({ ...f, warning }));
}

/**
 * Pod Security Admission refuses Pods; for workload templates it warns at
 * apply time (the `warn` label), and at level 2 it warns about what
 * restricted would refuse while enforcing baseline.
 */
export const psaFixtures: AdmissionFixtures = {
  kind: "admission",
  good: ({ level }) => asWorkloads("psa-compliant", "meets the level's Pod Security Standard", compliantPodSpec(level)),
  bad: ({ level }) => breaks(level).flatMap((b) => asWorkloads(b.name, b.description, b.spec, { kinds: ["Pod"] })),
  warned: ({ level }) => {
    const fixtures = breaks(level).flatMap((b) => asWorkloads(`${b.name}-tpl`, `${b.description}, in a workload template`, b.spec, { kinds: TEMPLATE_KINDS }));
    const params = PSA_PARAMS[level];
    if (params.warn !== params.enforce) {
      fixtures.push(...asWorkloads("psa-above-enforced", `meets ${params.enforce} but not ${params.warn}`, compliantPodSpec(level), { kinds: ["Pod"] }));
    }
    return warnedAs(level, fixtures);
  },
};
