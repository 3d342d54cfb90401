// Stacks of the Pulumi Automation API: where they live and how they are opened.

import { join } from "node:path";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation/index.js";
import { createOrSelectStack } from "@zhengyun/infra/pulumi/stack";

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

const opened = new Map<string, Promise<Stack>>();

/**
 * Opens (creating if needed) a stack whose program is given per operation. Workspaces are kept for
 * the life of the process: selecting a stack costs a CLI run and a backend round trip, and the
 * lease guarantees one operation per stack at a time.
 */
export function openStack(host: PulumiHost, projectName: string, stackName: string, program: PulumiFn): Promise<Stack> {
  const key = `${host.backendUrl}\u0000${projectName}/${stackName}`;
  let stack = opened.get(key);
  if (!stack) {
    stack = selectStack(host, projectName, stackName, program);
    opened.set(key, stack);
    stack.catch(() => opened.delete(key));
  }
  return stack;
}

/** Forgets an opened stack (after an error, or once the stack is removed). */
export function forgetStack(host: PulumiHost, projectName: string, stackName: string): void {
  opened.delete(`${host.backendUrl}\u0000${projectName}/${stackName}`);
}

function selectStack(host: PulumiHost, projectName: string, stackName: string, program: PulumiFn): Promise<Stack> {
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
