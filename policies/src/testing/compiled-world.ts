import { compileBaseline } from "../compile/baseline.js";
import { compileTenant } from "../compile/tenant.js";
import { allSystems, buildWorld, type World } from "../matrix/world.js";
import type { KubeObject, NetworkPolicyObject } from "../model/k8s.js";
import { namespaceLabels } from "../network/probe.js";

export const TEST_NOW = new Date("2025-06-01T08:00:00Z");

export interface CompiledWorld {
  world: World;
  objects: KubeObject[];
  policies: NetworkPolicyObject[];
  namespaces: ReturnType<typeof namespaceLabels>;
}

/** The matrix world compiled without a cluster: what the API server would be given. */
export function compiledWorld(prefix = "unit"): CompiledWorld {
  const world = buildWorld(prefix, TEST_NOW);
  const objects = [...compileBaseline(), ...allSystems(world).flatMap((s) => compileTenant(s.input).objects)];
  const policies = objects.filter((o): o is NetworkPolicyObject => o.kind === "NetworkPolicy");
  return { world, objects, policies, namespaces: namespaceLabels(objects) };
}
