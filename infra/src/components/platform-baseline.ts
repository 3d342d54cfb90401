// PlatformBaseline: the cluster-wide half of the platform, applied once per cluster.

import * as pulumi from "@pulumi/pulumi";
import { forced, type KubeObject, MANAGED_BY_LABEL, objectKey, PLATFORM_MANAGER } from "./objects.js";
import {
  controllerClusterRole,
  controllerClusterRoleBinding,
  EGRESS_NAMESPACE,
  STORAGE_CLASS_NAMES,
  type StorageClassName,
  storageClassObject,
  tenantClusterRole,
  tenantExecClusterRole,
  tenantGuardBindings,
  tenantGuardPolicy,
} from "./platform-objects.js";
import { renderObject, resourceName } from "./render.js";

export interface PlatformBaselineArgs {
  /**
   * The policy catalog's cluster-wide objects (compileBaseline): platform namespaces, admission
   * policies, their per-level parameter ConfigMaps and bindings, the egress gateway's NetworkPolicy.
   */
  policyObjects: readonly KubeObject[];
  /** Storage classes standard, ssd and encrypted: the provisioner behind them and per-class parameters. */
  storage: {
    provisioner: pulumi.Input<string>;
    parameters?: Partial<Record<StorageClassName, pulumi.Input<Record<string, string>>>>;
  };
  /**
   * The controller's service account, bound to the controller's ClusterRole; absent when whoever
   * deploys the controller owns its RBAC (the Helm chart does).
   */
  controllerServiceAccount?: { namespace: string; name: string } | undefined;
  /**
   * The user the controller authenticates as (`system:serviceaccount:<ns>:<name>`, or a certificate's
   * CN): the tenant guard lets it (and cluster administrators) change isolation objects.
   */
  controllerUser?: string | undefined;
}

/** The user name Kubernetes gives a service account. */
export function serviceAccountUser(account: { namespace: string; name: string }): string {
  return `system:serviceaccount:${account.namespace}:${account.name}`;
}

/** Creation order: namespaces and roles, then what lives in them, then what binds to them. */
function tier(kind: string): 0 | 1 | 2 {
  if (kind === "Namespace" || kind === "StorageClass" || kind === "ClusterRole" || kind === "ValidatingAdmissionPolicy") return 0;
  if (kind.endsWith("Binding")) return 2;
  return 1;
}

/** The objects PlatformBaseline creates (storage classes with their default parameters), in creation order. */
export function baselineObjects(args: {
  policyObjects: readonly KubeObject[];
  provisioner: string;
  controllerServiceAccount?: { namespace: string; name: string } | undefined;
  controllerUser?: string | undefined;
}): KubeObject[] {
  const objects = [...args.policyObjects];
  if (!objects.some((o) => o.kind === "Namespace" && o.metadata.name === EGRESS_NAMESPACE)) {
    objects.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: EGRESS_NAMESPACE, labels: { [MANAGED_BY_LABEL]: PLATFORM_MANAGER } } });
  }
  objects.push(...STORAGE_CLASS_NAMES.map((name) => storageClassObject(name, { provisioner: args.provisioner })));
  // Whoever owns the controller's RBAC owns the tenant roles it binds (the Helm chart does, itself).
  if (args.controllerServiceAccount) {
    objects.push(controllerClusterRole(), controllerClusterRoleBinding(args.controllerServiceAccount), tenantClusterRole(), tenantExecClusterRole());
  }
  const controllerUser = args.controllerUser ?? (args.controllerServiceAccount && serviceAccountUser(args.controllerServiceAccount));
  objects.push(tenantGuardPolicy(controllerUser), ...tenantGuardBindings());
  const seen = new Set<string>();
  for (const object of objects) {
    const key = objectKey(object);
    if (seen.has(key)) throw new Error(`baseline object given twice: ${key}`);
    seen.add(key);
  }
  return objects
    .map((object, index) => ({ object, index }))
    .sort((a, b) => tier(a.object.kind) - tier(b.object.kind) || a.index - b.index)
    .map((x) => forced(x.object));
}

/**
 * Admission policies with their bindings and parameters, the unified egress namespace
 * `zhengyun-egress`, storage classes standard/ssd/encrypted, and the controller's RBAC.
 */
export class PlatformBaseline extends pulumi.ComponentResource {
  static readonly TYPE = "zhengyun:platform:PlatformBaseline";

  /** Names of the ValidatingAdmissionPolicies in force. */
  readonly admissionPolicies: string[];
  readonly storageClasses: string[];
  readonly objectCount: number;

  constructor(name: string, args: PlatformBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PlatformBaseline.TYPE, name, {}, opts);
    const objects = baselineObjects({
      policyObjects: args.policyObjects,
      provisioner: "",
      controllerServiceAccount: args.controllerServiceAccount,
      controllerUser: args.controllerUser,
    });
    const created: pulumi.CustomResource[][] = [[], [], []];
    for (const object of objects) {
      const t = tier(object.kind);
      const dependsOn = t === 0 ? [] : [...(created[0] ?? []), ...(t === 2 ? (created[1] ?? []) : [])];
      let input: Record<string, unknown> & KubeObject = object;
      if (object.kind === "StorageClass") {
        const className = object.metadata.name as StorageClassName;
        input = { ...object, provisioner: args.storage.provisioner, parameters: args.storage.parameters?.[className] };
      }
      created[t]?.push(renderObject(resourceName(name, object), input, { parent: this, dependsOn }));
    }
    this.admissionPolicies = objects.filter((o) => o.kind === "ValidatingAdmissionPolicy").map((o) => o.metadata.name);
    this.storageClasses = [...STORAGE_CLASS_NAMES];
    this.objectCount = objects.length;
    this.registerOutputs({ admissionPolicies: this.admissionPolicies, storageClasses: this.storageClasses, objectCount: this.objectCount });
  }
}
