// How granted amounts become Kubernetes quota. One place, so the portal's units (vCPU, GiB) and
// the cluster's quantities never disagree.

import type { Resource } from "@zhengyun/db/schema";
import { canonicalQuantity } from "@zhengyun/policies";

type Granted = Partial<Record<Resource, number>>;

const amount = (granted: Granted, resource: Resource) => Math.max(0, Math.floor(granted[resource] ?? 0));
/** GiB as the API server stores them ("1024Gi" is "1Ti"). */
const gib = (n: number) => canonicalQuantity(`${n}Gi`);

/** Pods allowed per granted vCPU, with a floor so a small system can still roll out an update. */
export const PODS_PER_VCPU = 10;
export const MIN_PODS = 10;

/** The tenant quota of the policy catalog (compileTenant's `quota`). */
export function tenantQuota(granted: Granted) {
  const vcpu = amount(granted, "vcpu");
  const storage: { standard?: string; ssd?: string; encrypted?: string } = {};
  for (const [cls, resource] of [
    ["standard", "storage_standard_gib"],
    ["ssd", "storage_ssd_gib"],
    ["encrypted", "storage_encrypted_gib"],
  ] as const) {
    const n = amount(granted, resource);
    if (n > 0) storage[cls] = gib(n);
  }
  return {
    cpu: String(vcpu),
    memory: gib(amount(granted, "memory_gib")),
    pods: Math.max(MIN_PODS, vcpu * PODS_PER_VCPU),
    storage,
    // NodePort/LoadBalancer services are not part of a grant yet: none.
    nodePorts: 0,
    loadBalancers: 0,
  };
}

/** Object counts: enough for ordinary workloads, bounded so one system cannot flood the API server. */
export function objectCounts(granted: Granted): Record<string, string> {
  const vcpu = amount(granted, "vcpu");
  const scale = Math.max(1, Math.ceil(vcpu / 4));
  return {
    "count/configmaps": String(50 * scale),
    "count/secrets": String(50 * scale),
    services: String(20 * scale),
    persistentvolumeclaims: String(20 * scale),
    "count/jobs.batch": String(20 * scale),
    "count/cronjobs.batch": String(10 * scale),
  };
}

/** True when nothing is granted any more: the system is being released. */
export function nothingGranted(granted: Granted): boolean {
  return Object.values(granted).every((n) => (n ?? 0) <= 0);
}
