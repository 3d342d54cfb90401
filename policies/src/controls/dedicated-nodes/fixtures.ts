import { compliantPodSpec, podSpecWith } from "../../fixtures/pod.js";
import { asWorkloads } from "../../fixtures/workloads.js";
import type { AdmissionFixtures } from "../../model/fixture.js";
import { DEDICATED_PARAMS } from "./control.js";

export const dedicatedNodesFixtures: AdmissionFixtures = {
  kind: "admission",
  good: ({ level }) => {
    const params = DEDICATED_PARAMS[level];
    if (params.mode === "required") {
      return asWorkloads("dedicated-pinned", "tolerates the dedicated taint and selects dedicated nodes", compliantPodSpec(level));
    }
    return [
      ...asWorkloads("dedicated-shared", "runs on shared nodes", compliantPodSpec(level)),
      ...asWorkloads(
        "dedicated-other-taint",
        "tolerates an unrelated taint",
        podSpecWith(level, (spec) => {
          spec.tolerations = [{ key: "example.com/gpu", operator: "Exists", effect: "NoSchedule" }];
        }),
      ),
    ];
  },
  bad: ({ level }) => {
    const params = DEDICATED_PARAMS[level];
    if (params.mode === "required") {
      return [
        ...asWorkloads(
          "dedicated-missing",
          "no toleration, no node selector",
          podSpecWith(level, (spec) => {
            delete spec.tolerations;
            delete spec.nodeSelector;
          }),
        ),
        ...asWorkloads(
          "dedicated-unpinned",
          "tolerates the taint but may land on shared nodes",
          podSpecWith(level, (spec) => void delete spec.nodeSelector),
        ),
        ...asWorkloads(
          "dedicated-untolerated",
          "selects dedicated nodes without tolerating their taint",
          podSpecWith(level, (spec) => void delete spec.tolerations),
        ),
      ];
    }
    return [
      ...asWorkloads(
        "dedicated-tolerated",
        "tolerates the dedicated-node taint",
        podSpecWith(level, (spec) => {
          spec.tolerations = [{ key: params.taintKey, operator: "Exists", effect: "NoSchedule" }];
        }),
      ),
      ...asWorkloads(
        "dedicated-wildcard",
        "tolerates every taint",
        podSpecWith(level, (spec) => {
          spec.tolerations = [{ operator: "Exists" }];
        }),
      ),
    ];
  },
};
