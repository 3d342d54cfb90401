// The objects a TenantSystem adds to the policy catalog's compiled namespace: the department's
// access, object-count limits and platform annotations. Pure, so the controller computes the very
// same objects when it compares the cluster with what it applied.

import { forced, type KubeObject, MANAGED_BY_LABEL, PLATFORM_MANAGER } from "./objects.js";
import { execRoleOf, TENANT_GUARD_ENFORCED, TENANT_GUARD_LABEL, TENANT_ROLE } from "./platform-objects.js";

/** The Kubernetes group a department's people belong to (set by the identity provider). */
export function departmentGroup(departmentCode: string): string {
  return `zhengyun:dept:${departmentCode}`;
}

export const DEPARTMENT_ROLE_BINDING = "zhengyun-department";
export const DEPARTMENT_EXEC_BINDING = "zhengyun-department-exec";
export const OBJECT_COUNT_QUOTA = "zhengyun-object-counts";
const LEVEL_LABEL = "zhengyun.gov.cn/level";

/** Levels at which a department may exec into, attach to and port-forward to its pods (1–2); at 3–4 nobody may. */
export const EXEC_LEVELS: readonly string[] = ["1", "2"];

function roleBinding(name: string, namespace: string, role: string, departmentCode: string): KubeObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name, namespace, labels: { [MANAGED_BY_LABEL]: PLATFORM_MANAGER } },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: departmentGroup(departmentCode) }],
  };
}

/** The department's group may run workloads in this namespace only (the tenant ClusterRole). */
export function departmentRoleBinding(namespace: string, departmentCode: string, tenantRole: string = TENANT_ROLE): KubeObject {
  return roleBinding(DEPARTMENT_ROLE_BINDING, namespace, tenantRole, departmentCode);
}

/** exec/attach/port-forward for the department's group (the tenant role's `-exec` ClusterRole), at levels 1–2 only. */
export function departmentExecBinding(namespace: string, departmentCode: string, tenantRole: string = TENANT_ROLE): KubeObject {
  return roleBinding(DEPARTMENT_EXEC_BINDING, namespace, execRoleOf(tenantRole), departmentCode);
}

/** Whether the system's level (its namespace's level label) lets the department exec into its pods. */
export function execAllowed(namespaceObject: KubeObject): boolean {
  return EXEC_LEVELS.includes(namespaceObject.metadata.labels?.[LEVEL_LABEL] ?? "");
}

/** The namespace enrolled in the tenant guard (only the platform may change its isolation objects). */
export function guardedNamespace(namespaceObject: KubeObject): KubeObject {
  return {
    ...namespaceObject,
    metadata: { ...namespaceObject.metadata, labels: { ...namespaceObject.metadata.labels, [TENANT_GUARD_LABEL]: TENANT_GUARD_ENFORCED } },
  };
}

/** Limits on how many objects of each kind the namespace may hold (`count/<resource>` and the classic names). */
export function objectCountQuota(namespace: string, counts: Record<string, string>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: OBJECT_COUNT_QUOTA, namespace, labels: { [MANAGED_BY_LABEL]: PLATFORM_MANAGER } },
    spec: { hard: { ...counts } },
  };
}

/** The namespace object with the platform's annotations added to the catalog's. */
export function annotatedNamespace(namespaceObject: KubeObject, annotations: Record<string, string>): KubeObject {
  return {
    ...namespaceObject,
    metadata: { ...namespaceObject.metadata, annotations: { ...namespaceObject.metadata.annotations, ...annotations } },
  };
}

export interface TenantSpec {
  /** The system's namespace. */
  namespace: string;
  /** The catalog's objects for this system: its Namespace first, then namespaced objects. */
  policyObjects: readonly KubeObject[];
  /** Code of the owning department; its group gets `zhengyun-tenant` in the namespace (and `zhengyun-tenant-exec` at levels 1–2). */
  departmentCode: string;
  /** Object-count quota (`count/configmaps`, `services`, …). */
  objectCounts: Record<string, string>;
  /** Extra namespace annotations (segments, egress bandwidth, system id). */
  annotations: Record<string, string>;
  /** Enrol the namespace in the tenant guard (the controller does for every system; the baseline holds the guard). */
  guarded?: boolean | undefined;
  /** The tenant ClusterRole bound (and its `-exec` one); `zhengyun-tenant` unless the deployment names its own. */
  tenantRole?: string | undefined;
}

/** Checks that a system's objects stay inside its namespace; returns the Namespace and the rest. */
export function splitTenantObjects(namespace: string, objects: readonly KubeObject[]): { ns: KubeObject; namespaced: KubeObject[] } {
  const [ns, ...namespaced] = objects;
  if (ns?.kind !== "Namespace" || ns.apiVersion !== "v1" || ns.metadata.name !== namespace) {
    throw new Error(`the first object of system ${namespace} must be its Namespace`);
  }
  for (const object of namespaced) {
    if (object.metadata.namespace !== namespace) {
      throw new Error(`${object.kind} ${object.metadata.name} lies outside namespace ${namespace}: a system owns only its own namespace`);
    }
  }
  return { ns, namespaced };
}

/** Every object a TenantSystem creates, Namespace first, in the order it creates them. */
export function tenantObjects(spec: TenantSpec): KubeObject[] {
  const { ns, namespaced } = splitTenantObjects(spec.namespace, spec.policyObjects);
  const namespace = annotatedNamespace(spec.guarded ? guardedNamespace(ns) : ns, spec.annotations);
  return [
    namespace,
    ...namespaced,
    objectCountQuota(spec.namespace, spec.objectCounts),
    departmentRoleBinding(spec.namespace, spec.departmentCode, spec.tenantRole),
    ...(execAllowed(ns) ? [departmentExecBinding(spec.namespace, spec.departmentCode, spec.tenantRole)] : []),
  ].map(forced);
}
