import { describe, expect, it } from "vitest";
import { compliantPodSpec } from "../../fixtures/pod.js";
import { compiledControl } from "../../testing/compiled-control.js";
import { fixtureHygiene } from "../../testing/fixture-hygiene.js";
import { nonRootReadonly } from "./control.js";
import { nonRootReadonlyFixtures } from "./fixtures.js";

describe("non-root-readonly", () => {
  it("applies at levels 3 and 4 only", () => {
    expect(nonRootReadonly.levels).toEqual([3, 4]);
    expect(compiledControl(nonRootReadonly).bindingLevels).toEqual([3, 4]);
  });

  it("falls back to the pod security context the way the kubelet does", () => {
    const [nonRoot] = compiledControl(nonRootReadonly).policy?.spec.validations ?? [];
    expect(nonRoot?.expression).toContain("c.?securityContext.?runAsNonRoot.orValue(variables.podSpec.?securityContext.?runAsNonRoot.orValue(false))");
    expect(nonRoot?.expression).toContain("runAsUser.orValue(-1)) == 0");
  });

  it("checks every container, init and ephemeral ones included", () => {
    for (const v of compiledControl(nonRootReadonly).policy?.spec.validations ?? []) expect(v.expression.startsWith("variables.allContainers.all(")).toBe(true);
  });

  it("starts from a compliant pod that is non-root with a read-only root filesystem at levels 3 and 4 only", () => {
    expect(compliantPodSpec(3).containers[0]?.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(compliantPodSpec(1).containers[0]?.securityContext).toBeUndefined();
  });

  fixtureHygiene(nonRootReadonly, nonRootReadonlyFixtures, { everyWorkloadKind: true });
});
