// Plain Kubernetes objects as the components receive and create them. The policy catalog
// (policies/) compiles to this shape; the components turn each object into one Pulumi resource.

export { type KubeObject, objectKey } from "@zhengyun/policies";

import type { KubeObject } from "@zhengyun/policies";

/** Label marking objects the platform (not the policy catalog) creates. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const PLATFORM_MANAGER = "zhengyun-controller";

/** Cluster-scoped kinds the components know about; everything else is namespaced. */
const CLUSTER_SCOPED = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "StorageClass",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "PriorityClass",
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/**
 * The platform is the authority over the objects it creates: server-side apply takes fields back
 * from any other field manager (someone's `kubectl edit`) instead of stopping at the conflict.
 */
export const PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";

export function forced<T extends KubeObject>(object: T): T {
  return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, [PATCH_FORCE_ANNOTATION]: "true" } } };
}
