import { compliantContainer, compliantPodSpec, mainContainer, podSpecWith } from "../../fixtures/pod.js";
import { asWorkloads } from "../../fixtures/workloads.js";
import type { AdmissionFixtures } from "../../model/fixture.js";

/** Restricted Pod Security also refuses root, so on Pods it may refuse first. */
const ALSO_PSA = { alsoViolates: ["psa"] as const };

export const nonRootReadonlyFixtures: AdmissionFixtures = {
  kind: "admission",
  good: ({ level }) => [
    ...asWorkloads("nonroot-container-level", "non-root and read-only set on the container", compliantPodSpec(level)),
    ...asWorkloads(
      "nonroot-pod-level",
      "runAsNonRoot and runAsUser inherited from the pod security context",
      podSpecWith(level, (spec) => {
        spec.securityContext = { runAsNonRoot: true, runAsUser: 10001 };
        const sc = mainContainer(spec).securityContext;
        if (sc) {
          delete sc.runAsNonRoot;
          delete sc.runAsUser;
        }
      }),
    ),
  ],
  bad: ({ level }) => [
    ...asWorkloads(
      "nonroot-writable-root",
      "root filesystem left writable",
      podSpecWith(level, (spec) => {
        const sc = mainContainer(spec).securityContext;
        if (sc) sc.readOnlyRootFilesystem = false;
      }),
    ),
    ...asWorkloads(
      "nonroot-readonly-unset",
      "readOnlyRootFilesystem not set",
      podSpecWith(level, (spec) => {
        const sc = mainContainer(spec).securityContext;
        if (sc) delete sc.readOnlyRootFilesystem;
      }),
    ),
    ...asWorkloads(
      "nonroot-runs-as-root",
      "runs as root (runAsNonRoot false, UID 0)",
      podSpecWith(level, (spec) => {
        const sc = mainContainer(spec).securityContext;
        if (sc) Object.assign(sc, { runAsNonRoot: false, runAsUser: 0 });
      }),
      ALSO_PSA,
    ),
    ...asWorkloads(
      "nonroot-uid-zero",
      "claims non-root but sets UID 0",
      podSpecWith(level, (spec) => {
        const sc = mainContainer(spec).securityContext;
        if (sc) sc.runAsUser = 0;
      }),
      ALSO_PSA,
    ),
    ...asWorkloads(
      "nonroot-bad-init",
      "init container with a writable root filesystem",
      podSpecWith(level, (spec) => {
        const init = compliantContainer(level, "init");
        if (init.securityContext) init.securityContext.readOnlyRootFilesystem = false;
        spec.initContainers = [init];
      }),
    ),
  ],
};
