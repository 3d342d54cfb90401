// Cluster-wide objects the platform adds to the policy catalog's baseline: storage classes and the
// controller's RBAC. Pure, like tenant-objects.ts.

import { type KubeObject, MANAGED_BY_LABEL, PLATFORM_MANAGER } from "./objects.js";

export const STORAGE_CLASS_NAMES = ["standard", "ssd", "encrypted"] as const;
export type StorageClassName = (typeof STORAGE_CLASS_NAMES)[number];

/** The unified internet egress namespace (统一互联网出口); the catalog's zone-egress control compiles it. */
export const EGRESS_NAMESPACE = "zhengyun-egress";

export const CONTROLLER_ROLE = "zhengyun-controller";

/**
 * The tenant roles: `<name>` (what a department may do in its systems' namespaces, bound there by
 * each system's RoleBinding) and `<name>-exec` (exec, attach, port-forward: bound only where the
 * level allows it). Whoever owns the controller's RBAC names them: the baseline `zhengyun-tenant`,
 * a Helm release `<release>:tenant` (with a colon, like its controller role, so the two never meet).
 */
export const TENANT_ROLE = "zhengyun-tenant";
export const execRoleOf = (tenantRole: string) => `${tenantRole}-exec`;
export const TENANT_EXEC_ROLE = execRoleOf(TENANT_ROLE);
/** Refuses changes to isolation and to the platform's objects by anyone but the platform. */
export const TENANT_GUARD = "zhengyun-tenant-guard";
/** Namespace label enrolling a system's namespace in the tenant guard (set by the platform on every system it applies). */
export const TENANT_GUARD_LABEL = "zhengyun.gov.cn/tenant-guard";
export const TENANT_GUARD_ENFORCED = "enforced";
/** The platform namespaces the guard also covers. */
export const PLATFORM_NAMESPACES = ["zhengyun-system", EGRESS_NAMESPACE] as const;

const labels = { [MANAGED_BY_LABEL]: PLATFORM_MANAGER };

export interface StorageClassOptions {
  /** The CSI driver (or in-tree provisioner) behind the class. */
  provisioner: string;
  parameters?: Record<string, string>;
}

/** One StorageClass per class the quotas count (`<class>.storageclass.storage.k8s.io/requests.storage`). */
export function storageClassObject(name: StorageClassName, options: StorageClassOptions): KubeObject {
  const object: KubeObject = {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name, labels, annotations: { "zhengyun.gov.cn/encrypted": String(name === "encrypted") } },
    provisioner: options.provisioner,
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
  };
  if (options.parameters) object.parameters = { ...options.parameters };
  return object;
}

const verbs = ["get", "list", "watch", "create", "update", "patch", "delete"];
const read = ["get", "list", "watch"];
const write = [...verbs, "deletecollection"];

/**
 * What a department needs to run its workloads, and nothing that changes isolation or policy. No
 * NetworkPolicies, Ingresses or Gateway routes (read-only NetworkPolicies, to see what applies), no
 * ResourceQuota or LimitRange writes, no Roles or RoleBindings, no DaemonSets (per-node agents are
 * the platform's), no ServiceAccount or namespace writes. Services of every type are RBAC-allowed:
 * NodePort and LoadBalancer are refused by the no-nodeport-lb policy and quota (0 unless approved).
 */
export function tenantClusterRole(): KubeObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: TENANT_ROLE, labels },
    rules: [
      { apiGroups: [""], resources: ["pods", "services", "configmaps", "secrets", "persistentvolumeclaims"], verbs: write },
      { apiGroups: [""], resources: ["pods/log", "pods/status", "services/status", "persistentvolumeclaims/status"], verbs: read },
      { apiGroups: [""], resources: ["endpoints", "events", "serviceaccounts", "resourcequotas", "limitranges", "replicationcontrollers"], verbs: read },
      { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "replicasets"], verbs: write },
      { apiGroups: ["apps"], resources: ["deployments/scale", "statefulsets/scale", "replicasets/scale"], verbs: ["get", "update", "patch"] },
      { apiGroups: ["apps"], resources: ["deployments/status", "statefulsets/status", "replicasets/status", "controllerrevisions"], verbs: read },
      { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: write },
      { apiGroups: ["batch"], resources: ["jobs/status", "cronjobs/status"], verbs: read },
      { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: write },
      { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: write },
      { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: read },
      { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: read },
      { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: read },
    ],
  };
}

/** exec, attach and port-forward into the department's pods. */
export function tenantExecClusterRole(): KubeObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: TENANT_EXEC_ROLE, labels },
    rules: [{ apiGroups: [""], resources: ["pods/exec", "pods/attach", "pods/portforward"], verbs: ["get", "create"] }],
  };
}

/** Who may change what the guard protects: cluster administrators, the cluster's own controllers, and the platform's controller. */
export function guardExemption(controllerUser: string | undefined): string {
  const users = ["system:kube-controller-manager", ...(controllerUser ? [controllerUser] : [])];
  return (
    "!('system:masters' in request.userInfo.groups) && " +
    `!(request.userInfo.username in [${users.map((u) => `'${u.replaceAll("'", "\\'")}'`).join(", ")}]) && ` +
    "!request.userInfo.username.startsWith('system:serviceaccount:kube-system:')"
  );
}

const MANAGERS = [PLATFORM_MANAGER, "zhengyun-policies"];
const platformLabelled = (o: string) =>
  `${o} != null && ${o}.?metadata.?labels[?'${MANAGED_BY_LABEL}'].orValue('') in [${MANAGERS.map((m) => `'${m}'`).join(", ")}]`;

/** Objects that decide a namespace's isolation and policy: only the platform writes them in a system's namespace. */
export const ISOLATION_RESOURCES: ReadonlyArray<{ group: string; resources: string[] }> = [
  { group: "networking.k8s.io", resources: ["networkpolicies", "ingresses"] },
  { group: "gateway.networking.k8s.io", resources: ["gateways", "httproutes", "grpcroutes", "tlsroutes", "tcproutes", "udproutes"] },
  { group: "rbac.authorization.k8s.io", resources: ["roles", "rolebindings"] },
  { group: "", resources: ["resourcequotas", "limitranges"] },
];

/** Kinds the platform labels as its own (cluster-wide and in namespaces). */
const PLATFORM_RESOURCES: ReadonlyArray<{ group: string; resources: string[] }> = [
  { group: "", resources: ["namespaces", "configmaps"] },
  { group: "rbac.authorization.k8s.io", resources: ["clusterroles", "clusterrolebindings"] },
  { group: "admissionregistration.k8s.io", resources: ["validatingadmissionpolicies", "validatingadmissionpolicybindings"] },
  { group: "storage.k8s.io", resources: ["storageclasses"] },
];

/**
 * The guard behind the tenant role, so that a later RBAC change cannot reopen the hole: for every
 * requester but cluster administrators, the cluster's controllers and the platform's controller
 * (`controllerUser`), it refuses (1) any write to an object labelled as the platform's, and (2) any
 * write of a NetworkPolicy, Ingress, Gateway route, Role, RoleBinding, ResourceQuota or LimitRange in
 * a guarded namespace (the systems' and the platform's).
 */
export function tenantGuardPolicy(controllerUser: string | undefined): KubeObject {
  const rules = [...ISOLATION_RESOURCES, ...PLATFORM_RESOURCES].map(({ group, resources }) => ({
    apiGroups: [group],
    apiVersions: ["*"],
    operations: ["CREATE", "UPDATE", "DELETE"],
    resources,
    scope: "*",
  }));
  const isolation = ISOLATION_RESOURCES.map(
    ({ group, resources }) => `(request.resource.group == '${group}' && request.resource.resource in [${resources.map((r) => `'${r}'`).join(", ")}])`,
  ).join(" || ");
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: { name: TENANT_GUARD, labels },
    spec: {
      failurePolicy: "Fail",
      matchConstraints: { matchPolicy: "Equivalent", namespaceSelector: {}, objectSelector: {}, resourceRules: rules },
      matchConditions: [{ name: "not-the-platform", expression: guardExemption(controllerUser) }],
      variables: [
        { name: "platformObject", expression: `(${platformLabelled("oldObject")}) || (${platformLabelled("object")})` },
        { name: "isolationObject", expression: `request.namespace != '' && (${isolation})` },
        { name: "what", expression: "request.resource.resource + ' ' + (request.namespace != '' ? request.namespace + '/' : '') + request.name" },
      ],
      validations: [
        {
          expression: "!variables.platformObject",
          messageExpression:
            "'[zhengyun:tenant-guard] 平台管理的对象只能由平台修改 / objects labelled as the platform\\'s are changed only by the platform: ' + variables.what",
          reason: "Forbidden",
        },
        {
          expression: "!variables.isolationObject",
          messageExpression:
            "'[zhengyun:tenant-guard] 系统命名空间的隔离与策略对象（网络策略、Ingress、网关路由、角色绑定、配额）只能由平台管理 / isolation and policy objects (NetworkPolicy, Ingress, Gateway routes, Roles, RoleBindings, ResourceQuota, LimitRange) in system namespaces are managed only by the platform: ' + variables.what",
          reason: "Forbidden",
        },
      ],
    },
  };
}

/** Two bindings: systems' namespaces enrolled by the platform, and the platform's own namespaces. */
export function tenantGuardBindings(): KubeObject[] {
  const binding = (name: string, namespaceSelector: Record<string, unknown>): KubeObject => ({
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name, labels },
    spec: { policyName: TENANT_GUARD, validationActions: ["Deny"], matchResources: { matchPolicy: "Equivalent", objectSelector: {}, namespaceSelector } },
  });
  return [
    binding(`${TENANT_GUARD}-systems`, { matchLabels: { [TENANT_GUARD_LABEL]: TENANT_GUARD_ENFORCED } }),
    binding(`${TENANT_GUARD}-platform`, {
      matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...PLATFORM_NAMESPACES] }],
    }),
  ];
}

/**
 * What the controller needs: the objects it reconciles per system (Namespace, ResourceQuota and
 * its status, LimitRange, ConfigMaps, NetworkPolicies, the RoleBindings to the tenant roles) and
 * in the baseline (admission policies and bindings, storage classes). It may bind the tenant roles
 * (department access) without holding the permissions they grant. It applies no Roles and no
 * ServiceAccounts, and it may not write ClusterRoles or ClusterRoleBindings: that would let it
 * grant itself more. Where the baseline carries the controller's RBAC, whoever applies it must
 * already be allowed to grant RBAC (the administrator's credentials); the Helm chart owns it
 * instead, rule for rule this role (the chart tests compare them).
 */
export function controllerClusterRole(): KubeObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: CONTROLLER_ROLE, labels },
    rules: [
      { apiGroups: [""], resources: ["namespaces", "resourcequotas", "limitranges", "configmaps"], verbs },
      { apiGroups: [""], resources: ["resourcequotas/status"], verbs: ["get", "list", "watch"] },
      // Read only: Services and Ingresses in a system's namespace are foreign objects the drift check reports.
      { apiGroups: [""], resources: ["services"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs },
      { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs },
      { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], resourceNames: [TENANT_ROLE, TENANT_EXEC_ROLE], verbs: ["bind"] },
      {
        apiGroups: ["admissionregistration.k8s.io"],
        resources: ["validatingadmissionpolicies", "validatingadmissionpolicybindings"],
        verbs,
      },
      { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"], verbs },
    ],
  };
}

/** Binds the controller's ClusterRole to its service account (created by whoever deploys the controller). */
export function controllerClusterRoleBinding(serviceAccount: { namespace: string; name: string }): KubeObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: CONTROLLER_ROLE, labels },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: CONTROLLER_ROLE },
    subjects: [{ kind: "ServiceAccount", namespace: serviceAccount.namespace, name: serviceAccount.name }],
  };
}
