import { describe, expect, it } from "vitest";
import { fixtureContext } from "../../matrix/world.js";
import type { LimitRangeObject, ResourceQuotaObject } from "../../model/k8s.js";
import { LEVELS } from "../../model/level.js";
import { compiledControl, find, tenantObjects } from "../../testing/compiled-control.js";
import { fixtureHygiene } from "../../testing/fixture-hygiene.js";
import { podSpecOf } from "../../testing/pod-spec.js";
import { resourceLimits } from "./control.js";
import { resourceLimitsFixtures } from "./fixtures.js";

describe("resource-limits", () => {
  it("requires cpu and memory limits at every level, with per-container maxima as parameters", () => {
    const { bindingLevels, params } = compiledControl(resourceLimits);
    expect(bindingLevels).toEqual([...LEVELS]);
    for (const level of LEVELS) expect(params.get(level)).toEqual({ required: "cpu,memory", "max.cpu": "4", "max.memory": "8Gi" });
  });

  it("gives default requests but never default limits, so a missing limit is refused, not filled in", () => {
    const limitRange = find<LimitRangeObject>(tenantObjects(2), "LimitRange", "zhengyun-resource-limits");
    expect(limitRange?.spec.limits).toEqual([{ type: "Container", defaultRequest: { cpu: "100m", memory: "128Mi" } }]);
  });

  it("fills in limits under an exemption, so the exempted system still fits its quota", () => {
    const limitRange = find<LimitRangeObject>(tenantObjects(2, { exempt: ["resource-limits"] }), "LimitRange", "zhengyun-resource-limits");
    expect(limitRange?.spec.limits[0]?.default).toEqual({ cpu: "100m", memory: "128Mi" });
  });

  it("turns the approved compute into a quota in canonical quantities", () => {
    const quota = find<ResourceQuotaObject>(
      tenantObjects(3, { quota: { cpu: "4000m", memory: "8192Mi", pods: 20 } }),
      "ResourceQuota",
      "zhengyun-resource-limits",
    );
    expect(quota?.spec.hard).toEqual({ "requests.cpu": "4", "limits.cpu": "4", "requests.memory": "8Gi", "limits.memory": "8Gi", pods: "20" });
  });

  it("has bad fixtures each with a container lacking a limit or exceeding the maximum", () => {
    for (const level of LEVELS) {
      for (const f of resourceLimitsFixtures.bad(fixtureContext(level))) {
        const pod = podSpecOf(f.object);
        const containers = [...pod.containers, ...(pod.initContainers ?? [])];
        const broken = containers.some((c) => !c.resources?.limits?.cpu || !c.resources.limits.memory || c.resources.limits.memory.length > 8);
        expect(broken, f.name).toBe(true);
      }
    }
  });

  fixtureHygiene(resourceLimits, resourceLimitsFixtures, { everyWorkloadKind: true });
});
