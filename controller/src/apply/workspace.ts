// Stacks of the Pulumi Automation API: where they live and how they are opened.

import { join } from "node:path";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation/index.js";
import { createOrSelectStack } from "../../../infra/src/pulumi/stack.js";

export interface PulumiHost {
  backendUrl: string;
  passphrase: string;
  /** Holds one work directory per stack and the CLI's home. */
  stateDir: string;
}

export const SYSTEMS_PROJECT = "zhengyun-systems";
export const PLATFORM_PROJECT = "zhengyun-platform";

export function systemStackName(systemId: string): string {
  return `sys-${systemId}`;
}

/** Opens (creating if needed) a stack whose program is given per operation. */
export async function openStack(host: PulumiHost, projectName: string, stackName: string, program: PulumiFn): Promise<Stack> {
  return createOrSelectStack({
    projectName,
    stackName,
    program,
    backendUrl: host.backendUrl,
    passphrase: host.passphrase,
    workDir: join(host.stateDir, "work", projectName, stackName),
    pulumiHome: join(host.stateDir, "pulumi-home"),
    envVars: { PULUMI_CONFIG_PASSPHRASE: host.passphrase },
  });
}
