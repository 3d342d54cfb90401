import { describe, expect, it } from "vitest";
import { compliantPodSpec } from "../../fixtures/pod.js";
import { fixtureContext } from "../../matrix/world.js";
import { LEVELS } from "../../model/level.js";
import { compiledControl } from "../../testing/compiled-control.js";
import { fixtureHygiene } from "../../testing/fixture-hygiene.js";
import { podSpecOf } from "../../testing/pod-spec.js";
import { dedicatedNodes } from "./control.js";
import { dedicatedNodesFixtures } from "./fixtures.js";

const TAINT = "zhengyun.gov.cn/dedicated";
const tolerates = (spec: ReturnType<typeof podSpecOf>) =>
  (spec.tolerations ?? []).some((t) => t.key === TAINT || ((t.key ?? "") === "" && t.operator === "Exists"));

describe("dedicated-nodes", () => {
  it("forbids the dedicated taint below level 4 and requires it at level 4", () => {
    const { params, bindingLevels } = compiledControl(dedicatedNodes);
    expect(bindingLevels).toEqual([...LEVELS]);
    expect([1, 2, 3, 4].map((l) => params.get(l as 1)?.mode)).toEqual(["forbidden", "forbidden", "forbidden", "required"]);
    expect(params.get(4)).toEqual({ mode: "required", taintKey: TAINT, nodeValue: "level4" });
  });

  it("starts level-4 pods on dedicated nodes and others on shared ones", () => {
    expect(compliantPodSpec(4).tolerations).toEqual([{ key: TAINT, operator: "Exists", effect: "NoSchedule" }]);
    expect(compliantPodSpec(4).nodeSelector).toEqual({ [TAINT]: "level4" });
    expect(compliantPodSpec(3).tolerations).toBeUndefined();
  });

  it("has bad fixtures that tolerate the taint below level 4, and miss it or the node selector at level 4", () => {
    for (const level of [1, 2, 3] as const) {
      for (const f of dedicatedNodesFixtures.bad(fixtureContext(level))) expect(tolerates(podSpecOf(f.object)), f.name).toBe(true);
      for (const f of dedicatedNodesFixtures.good(fixtureContext(level))) expect(tolerates(podSpecOf(f.object)), f.name).toBe(false);
    }
    for (const f of dedicatedNodesFixtures.bad(fixtureContext(4))) {
      const spec = podSpecOf(f.object);
      expect(tolerates(spec) && spec.nodeSelector?.[TAINT] === "level4", f.name).toBe(false);
    }
  });

  fixtureHygiene(dedicatedNodes, dedicatedNodesFixtures, { everyWorkloadKind: true });
});
