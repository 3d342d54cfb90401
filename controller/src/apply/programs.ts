// The inline programs: a system's TenantSystem, the cluster's PlatformBaseline.

import type { PulumiFn } from "@pulumi/pulumi/automation/index.js";
import { PlatformBaseline, type PlatformBaselineArgs } from "../../../infra/src/components/platform-baseline.js";
import { clusterProvider } from "../../../infra/src/components/provider.js";
import type { TenantSpec } from "../../../infra/src/components/tenant-objects.js";
import { TenantSystem } from "../../../infra/src/components/tenant-system.js";

export function tenantProgram(spec: TenantSpec, kubeconfig: string | undefined): PulumiFn {
  return async () => {
    const provider = clusterProvider("cluster", kubeconfig);
    const system = new TenantSystem("system", { ...spec }, { providers: [provider] });
    return { namespace: system.namespace, objectCount: system.objectCount };
  };
}

/** The provider alone, as the other programs declare it: what a destroy needs to reach the cluster. */
export function providerProgram(kubeconfig: string | undefined): PulumiFn {
  return async () => {
    clusterProvider("cluster", kubeconfig);
  };
}

export function baselineProgram(args: PlatformBaselineArgs, kubeconfig: string | undefined): PulumiFn {
  return async () => {
    const provider = clusterProvider("cluster", kubeconfig);
    const baseline = new PlatformBaseline("baseline", args, { providers: [provider] });
    return { admissionPolicies: baseline.admissionPolicies, storageClasses: baseline.storageClasses, objectCount: baseline.objectCount };
  };
}
