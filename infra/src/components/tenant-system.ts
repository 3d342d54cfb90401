// TenantSystem: everything one information system gets on the cluster, in its own namespace.

import * as pulumi from "@pulumi/pulumi";
import { forced, type KubeObject } from "./objects.js";
import { renderObject, resourceName } from "./render.js";
import {
  annotatedNamespace,
  departmentExecBinding,
  departmentGroup,
  departmentRoleBinding,
  execAllowed,
  guardedNamespace,
  objectCountQuota,
  splitTenantObjects,
} from "./tenant-objects.js";

export interface TenantSystemArgs {
  /** The system's namespace (a DNS label). */
  namespace: string;
  /**
   * The policy catalog's objects for the system (compileTenant): its Namespace with level, zone,
   * department, Pod Security and exemption labels first, then ResourceQuotas (cpu, memory, storage
   * per class, services.nodeports/loadbalancers), the LimitRange, NetworkPolicies and ConfigMaps.
   * Plain values: they decide which resources exist.
   */
  policyObjects: readonly KubeObject[];
  /** Code of the owning department: its group `zhengyun:dept:<code>` gets `zhengyun-tenant` in this namespace only (and `zhengyun-tenant-exec` at levels 1–2). */
  departmentCode: pulumi.Input<string>;
  /** Object-count quota (`count/configmaps`, `services`, `persistentvolumeclaims`, …). */
  objectCounts: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Extra namespace annotations (network segments, egress bandwidth, system id). */
  annotations?: pulumi.Input<Record<string, string>>;
  /** Enrol the namespace in the tenant guard (the platform baseline's `zhengyun-tenant-guard`). */
  guarded?: boolean;
  /** The tenant ClusterRole bound (and its `-exec` one); `zhengyun-tenant` by default. */
  tenantRole?: string;
}

/**
 * One information system's namespace and everything enforced in it. Objects outside the namespace
 * are refused: cluster-wide objects belong to PlatformBaseline. Namespaced objects are deleted with
 * their namespace (`deletedWith`), so releasing a system is one namespace deletion.
 */
export class TenantSystem extends pulumi.ComponentResource {
  static readonly TYPE = "zhengyun:platform:TenantSystem";

  /** The namespace name, once created. */
  readonly namespace: pulumi.Output<string>;
  /** Number of Kubernetes objects the component manages. */
  readonly objectCount: number;

  constructor(name: string, args: TenantSystemArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TenantSystem.TYPE, name, {}, opts);
    const { ns, namespaced } = splitTenantObjects(args.namespace, args.policyObjects);
    const enrolled = args.guarded ? guardedNamespace(ns) : ns;

    const metadata = pulumi.output(args.annotations ?? {}).apply((annotations) => forced(annotatedNamespace(enrolled, annotations)).metadata);
    const namespace = renderObject(resourceName(name, ns), { ...ns, metadata }, { parent: this });
    const inside: pulumi.CustomResourceOptions = { parent: this, dependsOn: [namespace], deletedWith: namespace };

    for (const object of namespaced) renderObject(resourceName(name, object), forced(object), inside);

    const quota = forced(objectCountQuota(args.namespace, {}));
    renderObject(resourceName(name, quota), { ...quota, spec: { hard: args.objectCounts } }, inside);

    const bindings = [departmentRoleBinding, ...(execAllowed(ns) ? [departmentExecBinding] : [])];
    for (const make of bindings) {
      const binding = forced(make(args.namespace, "", args.tenantRole));
      const subjects = pulumi.output(args.departmentCode).apply((code) => make(args.namespace, code, args.tenantRole).subjects);
      renderObject(resourceName(name, binding), { ...binding, subjects }, inside);
    }

    this.namespace = (namespace as unknown as { metadata: pulumi.Output<{ name: string }> }).metadata.apply((m) => m.name);
    this.objectCount = namespaced.length + 2 + bindings.length;
    this.registerOutputs({ namespace: this.namespace, objectCount: this.objectCount, group: pulumi.output(args.departmentCode).apply(departmentGroup) });
  }
}
