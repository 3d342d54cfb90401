// Cluster-wide objects the platform adds to the policy catalog's baseline: storage classes and the
// controller's RBAC. Pure, like tenant-objects.ts.

import { type KubeObject, MANAGED_BY_LABEL, PLATFORM_MANAGER } from "./objects.js";

export const STORAGE_CLASS_NAMES = ["standard", "ssd", "encrypted"] as const;
export type StorageClassName = (typeof STORAGE_CLASS_NAMES)[number];

/** The unified internet egress namespace (统一互联网出口); the catalog's zone-egress control compiles it. */
export const EGRESS_NAMESPACE = "zhengyun-egress";

export const CONTROLLER_ROLE = "zhengyun-controller";

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

/**
 * What the controller needs: the objects of tenant namespaces and of the baseline. It may bind the
 * built-in `edit` ClusterRole (department access) without holding every permission `edit` grants.
 */
export function controllerClusterRole(): KubeObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: CONTROLLER_ROLE, labels },
    rules: [
      { apiGroups: [""], resources: ["namespaces", "resourcequotas", "limitranges", "configmaps", "serviceaccounts"], verbs },
      { apiGroups: [""], resources: ["resourcequotas/status"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs },
      { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings", "clusterroles", "clusterrolebindings"], verbs },
      { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], resourceNames: ["edit"], verbs: ["bind"] },
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
