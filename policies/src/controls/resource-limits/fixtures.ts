import { compliantContainer, compliantPodSpec, mainContainer, podSpecWith } from "../../fixtures/pod.js";
import { asWorkloads } from "../../fixtures/workloads.js";
import type { AdmissionFixtures } from "../../model/fixture.js";
import { quantityValue } from "../../model/quantity.js";
import { RESOURCE_LIMITS_PARAMS } from "./control.js";

export const resourceLimitsFixtures: AdmissionFixtures = {
  kind: "admission",
  good: ({ level }) => [
    ...asWorkloads("limits-declared", "every container declares cpu and memory limits", compliantPodSpec(level)),
    ...asWorkloads(
      "limits-with-init",
      "init container declares limits too",
      podSpecWith(level, (spec) => {
        spec.initContainers = [compliantContainer(level, "init")];
      }),
    ),
  ],
  bad: ({ level }) => [
    ...asWorkloads(
      "limits-none",
      "no resources at all",
      podSpecWith(level, (spec) => void delete mainContainer(spec).resources),
    ),
    ...asWorkloads(
      "limits-cpu-only",
      "cpu limit only, memory unbounded",
      podSpecWith(level, (spec) => {
        mainContainer(spec).resources = { limits: { cpu: "500m" } };
      }),
    ),
    ...asWorkloads(
      "limits-requests-only",
      "requests without limits",
      podSpecWith(level, (spec) => {
        mainContainer(spec).resources = { requests: { cpu: "100m", memory: "128Mi" } };
      }),
    ),
    ...asWorkloads(
      "limits-over-max",
      "memory limit above the per-container maximum",
      podSpecWith(level, (spec) => {
        const twiceTheMaximum = String(2 * quantityValue(RESOURCE_LIMITS_PARAMS[level].maxPerContainer.memory));
        mainContainer(spec).resources = { limits: { cpu: "500m", memory: twiceTheMaximum } };
      }),
    ),
    ...asWorkloads(
      "limits-bad-init",
      "init container without limits",
      podSpecWith(level, (spec) => {
        const init = compliantContainer(level, "init");
        delete init.resources;
        spec.initContainers = [init];
      }),
    ),
  ],
};
