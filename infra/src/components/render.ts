// One Pulumi resource per Kubernetes object, with the typed resource class where there is one
// (so the provider knows the schema, e.g. which fields force a replacement) and a generic
// CustomResource otherwise.

import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { KubeObject } from "./objects.js";

/** An object whose fields may be Pulumi inputs (e.g. metadata computed from component args). */
export type KubeObjectInput = { apiVersion: string; kind: string; metadata: pulumi.Input<KubeObject["metadata"]> } & Record<string, unknown>;

type Ctor = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

const TYPED: Record<string, Ctor> = {
  "v1/Namespace": k8s.core.v1.Namespace,
  "v1/ConfigMap": k8s.core.v1.ConfigMap,
  "v1/ServiceAccount": k8s.core.v1.ServiceAccount,
  "v1/ResourceQuota": k8s.core.v1.ResourceQuota,
  "v1/LimitRange": k8s.core.v1.LimitRange,
  "networking.k8s.io/v1/NetworkPolicy": k8s.networking.v1.NetworkPolicy,
  "rbac.authorization.k8s.io/v1/Role": k8s.rbac.v1.Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": k8s.rbac.v1.RoleBinding,
  "rbac.authorization.k8s.io/v1/ClusterRole": k8s.rbac.v1.ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": k8s.rbac.v1.ClusterRoleBinding,
  "storage.k8s.io/v1/StorageClass": k8s.storage.v1.StorageClass,
  "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy": k8s.admissionregistration.v1.ValidatingAdmissionPolicy,
  "admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding": k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding,
};

/** The Pulumi name of an object inside a component: `<component>/<namespace>/<name>` (cluster-scoped: `<component>/<name>`). */
export function resourceName(component: string, object: { metadata: { name: string; namespace?: string } }): string {
  const { name, namespace } = object.metadata;
  return namespace ? `${component}/${namespace}/${name}` : `${component}/${name}`;
}

/** Creates the Pulumi resource for one object. `name` must be unique per kind within the stack. */
export function renderObject(name: string, object: KubeObjectInput, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  const { apiVersion, kind, ...args } = object;
  const ctor = TYPED[`${apiVersion}/${kind}`];
  if (ctor) return new ctor(name, args as never, opts);
  return new k8s.apiextensions.CustomResource(name, { apiVersion, kind, ...args } as k8s.apiextensions.CustomResourceArgs, opts);
}
