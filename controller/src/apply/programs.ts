// The inline programs: a system's TenantSystem, the cluster's PlatformBaseline.

import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import { PlatformBaseline, type PlatformBaselineArgs } from "@zhengyun/infra/components/platform-baseline";
import { clusterProvider } from "@zhengyun/infra/components/provider";
import type { TenantSpec } from "@zhengyun/infra/components/tenant-objects";
import { TenantSystem } from "@zhengyun/infra/components/tenant-system";

/** How the programs reach the cluster: the controller's kubeconfig and the cluster's identity. */
export interface ClusterConnection {
  kubeconfig: string | undefined;
  /** Stable across addresses and credentials (the kube-system namespace's uid). */
  identifier: string | undefined;
}

const providerFor = (c: ClusterConnection) => clusterProvider("cluster", c.kubeconfig, undefined, c.identifier);

export function tenantProgram(spec: TenantSpec, connection: ClusterConnection): PulumiFn {
  return async () => {
    const provider = providerFor(connection);
    const system = new TenantSystem("system", { ...spec }, { providers: [provider] });
    return { namespace: system.namespace, objectCount: system.objectCount };
  };
}

/** The provider alone, as the other programs declare it: what a destroy needs to reach the cluster. */
export function providerProgram(connection: ClusterConnection): PulumiFn {
  return async () => {
    providerFor(connection);
  };
}

export function baselineProgram(args: PlatformBaselineArgs, connection: ClusterConnection): PulumiFn {
  return async () => {
    const provider = providerFor(connection);
    const baseline = new PlatformBaseline("baseline", args, { providers: [provider] });
    return { admissionPolicies: baseline.admissionPolicies, storageClasses: baseline.storageClasses, objectCount: baseline.objectCount };
  };
}
