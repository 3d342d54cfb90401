import type { KubeConfig } from "@kubernetes/client-node";
import { mapLimit } from "../kube/apply.js";
import { Kube } from "../kube/client.js";
import type { KubeObject } from "../model/k8s.js";
import type { TenantInput } from "../model/tenant.js";
import { evidenceObjects } from "./report.js";

/**
 * Read from the API server every object the evidence report of `system`
 * compares (the cluster-wide policies, bindings and parameters of its level,
 * and its namespace and namespaced objects). Missing objects are left out.
 */
export async function readLiveObjects(cluster: KubeConfig | Kube, system: TenantInput): Promise<KubeObject[]> {
  const kube = cluster instanceof Kube ? cluster : new Kube(cluster);
  const found = await mapLimit(evidenceObjects(system), 8, (ref) => kube.read(ref));
  return found.filter((o): o is KubeObject => o !== undefined);
}
