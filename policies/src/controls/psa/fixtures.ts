import { compliantPodSpec, mainContainer, podSpecWith } from "../../fixtures/pod.js";
import { asWorkloads } from "../../fixtures/workloads.js";
import type { AdmissionFixture, AdmissionFixtures } from "../../model/fixture.js";
import { PSA_PARAMS } from "./control.js";

/** Pod Security Admission enforces on Pods (it only warns about workload templates), so bad fixtures are Pods. */
const POD_ONLY = { kinds: ["Pod"] as const };

export const psaFixtures: AdmissionFixtures = {
  kind: "admission",
  good: ({ level }) => asWorkloads("psa-compliant", "meets the level's Pod Security Standard", compliantPodSpec(level)),
  bad: ({ level }) => {
    const fixtures: AdmissionFixture[] = asWorkloads(
      "psa-net-admin",
      "adds the NET_ADMIN capability (baseline forbids it)",
      podSpecWith(level, (spec) => {
        const c = mainContainer(spec);
        c.securityContext = { ...c.securityContext, capabilities: { ...c.securityContext?.capabilities, add: ["NET_ADMIN"] } };
      }),
      POD_ONLY,
    );
    if (PSA_PARAMS[level].enforce === "restricted") {
      fixtures.push(
        ...asWorkloads(
          "psa-no-seccomp",
          "sets no seccomp profile (restricted requires RuntimeDefault)",
          podSpecWith(level, (spec) => {
            const c = mainContainer(spec);
            if (c.securityContext) delete c.securityContext.seccompProfile;
          }),
          POD_ONLY,
        ),
        ...asWorkloads(
          "psa-privilege-escalation",
          "allows privilege escalation (restricted forbids it)",
          podSpecWith(level, (spec) => {
            const c = mainContainer(spec);
            c.securityContext = { ...c.securityContext, allowPrivilegeEscalation: true };
          }),
          POD_ONLY,
        ),
      );
    }
    return fixtures;
  },
};
