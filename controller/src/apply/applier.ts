// What brings the cluster to a desired state. The engine (Pulumi) stays behind this small
// interface, which owns the stack lifecycle: a system's stack is created or selected when it is
// applied, updated, destroyed on release and then forgotten, so a system released and provisioned
// again starts from a new stack. Observing and comparing the cluster is not the applier's business
// (`@zhengyun/policies/observe`).

import type { PlatformBaselineArgs } from "@zhengyun/infra/components/platform-baseline";
import type { TenantSpec } from "@zhengyun/infra/components/tenant-objects";
import { destroyStack, type RunOptions, type RunResult, upStack } from "./operations.js";
import { baselineProgram, type ClusterConnection, providerProgram, tenantProgram } from "./programs.js";
import { PLATFORM_PROJECT, type PulumiHost, SYSTEMS_PROJECT, systemStackName } from "./workspace.js";

export interface Applier {
  /** Brings one system's objects to `spec`, creating its stack the first time. */
  applySystem(systemId: string, spec: TenantSpec, options?: RunOptions): Promise<RunResult>;
  /** Removes everything of one system and its stack; a later apply starts anew. */
  releaseSystem(systemId: string, options?: RunOptions): Promise<RunResult>;
  /** Brings the cluster-wide baseline of `cluster` to `args`. */
  applyBaseline(cluster: string, args: PlatformBaselineArgs, options?: RunOptions): Promise<RunResult>;
}

/** The Pulumi Automation API as the applier: one stack per system, one per cluster's baseline. */
export function pulumiApplier(host: PulumiHost, connection: () => Promise<ClusterConnection>): Applier {
  return {
    async applySystem(systemId, spec, options) {
      return upStack(host, SYSTEMS_PROJECT, systemStackName(systemId), tenantProgram(spec, await connection()), options);
    },
    async releaseSystem(systemId, options) {
      // destroyStack removes the stack from the backend and forgets the opened workspace.
      return destroyStack(host, SYSTEMS_PROJECT, systemStackName(systemId), providerProgram(await connection()), options);
    },
    async applyBaseline(cluster, args, options) {
      return upStack(host, PLATFORM_PROJECT, `baseline-${cluster}`, baselineProgram(args, await connection()), options);
    },
  };
}
