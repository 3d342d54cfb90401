import type { KubeConfig } from "@kubernetes/client-node";
import { Kube } from "../kube/client.js";
import type { KubeObject } from "../model/k8s.js";
import { type TenantInput, tenantInputSchema } from "../model/tenant.js";
import { type Observation, type ObserveSpec, observe, ownObject, type SharedObjects } from "../observe/observe.js";
import { evidenceObjects } from "./report.js";

/**
 * What an evidence report of `system` reads: its namespace and the objects in it (fresh), and the
 * cluster-wide policies, bindings and parameters of its level (shared between systems when a cache
 * is used). The namespace's objects that could weaken a control are listed with it.
 */
export function evidenceSpec(system: TenantInput): ObserveSpec {
  const input = tenantInputSchema.parse(system);
  const namespace = input.namespace ?? input.system;
  const refs = evidenceObjects(system);
  return { namespace, objects: refs.filter((r) => ownObject(r, namespace)), shared: refs.filter((r) => !ownObject(r, namespace)) };
}

/** Observes everything the evidence report of `system` compares. */
export async function observeEvidence(cluster: KubeConfig | Kube, system: TenantInput, cache?: SharedObjects): Promise<Observation> {
  const kube = cluster instanceof Kube ? cluster : new Kube(cluster);
  return observe(kube, evidenceSpec(system), cache);
}

/** The live objects the evidence report of `system` compares (missing ones left out), for `evidenceReport`. */
export async function readLiveObjects(cluster: KubeConfig | Kube, system: TenantInput): Promise<KubeObject[]> {
  return (await observeEvidence(cluster, system)).objects();
}
