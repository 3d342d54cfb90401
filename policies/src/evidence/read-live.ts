import type { KubeConfig } from "@kubernetes/client-node";
import { mapLimit } from "../kube/apply.js";
import { apiErrorCode, Kube } from "../kube/client.js";
import type { KubeObject } from "../model/k8s.js";
import { type TenantInput, tenantInputSchema } from "../model/tenant.js";
import { WIDENING_KINDS } from "./foreign.js";
import { evidenceObjects } from "./report.js";

/**
 * Every object of the kinds that can weaken a control (NetworkPolicies, Services, Ingresses,
 * RoleBindings) in `namespace`, whoever created it. A kind the API server does not serve is none.
 */
export async function readNamespaceCandidates(kube: Pick<Kube, "list">, namespace: string): Promise<KubeObject[]> {
  const lists = await Promise.all(
    WIDENING_KINDS.map((k) =>
      kube.list(k.apiVersion, k.kind, { namespace }).catch((error: unknown) => {
        if (apiErrorCode(error) === 404) return [];
        throw error;
      }),
    ),
  );
  return lists.flat();
}

/**
 * Read from the API server every object the evidence report of `system`
 * compares (the cluster-wide policies, bindings and parameters of its level,
 * and its namespace and namespaced objects), and every object in its
 * namespace that could weaken a control. Missing objects are left out.
 */
export async function readLiveObjects(cluster: KubeConfig | Kube, system: TenantInput): Promise<KubeObject[]> {
  const kube = cluster instanceof Kube ? cluster : new Kube(cluster);
  const input = tenantInputSchema.parse(system);
  const found = await mapLimit(evidenceObjects(system), 8, (ref) => kube.read(ref));
  const own = found.filter((o): o is KubeObject => o !== undefined);
  return withCandidates(own, await readNamespaceCandidates(kube, input.namespace ?? input.system));
}

/** The compared objects and the namespace's candidates, each object once. */
export function withCandidates(compared: readonly KubeObject[], candidates: readonly KubeObject[]): KubeObject[] {
  const key = (o: KubeObject) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
  const seen = new Set(compared.map(key));
  return [...compared, ...candidates.filter((o) => !seen.has(key(o)))];
}
