// Pulumi Automation API wiring: stacks with inline programs, run by the pulumi CLI
// and pulumi-resource-kubernetes built in infra/toolchain (never downloaded).

import { mkdir } from "node:fs/promises";
import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation/index.js";
import { assertToolchain, pathWithToolchain, toolchainHome } from "../toolchain.js";

export interface StackOptions {
  projectName: string;
  stackName: string;
  program: PulumiFn;
  /**
   * State backend: `postgres://user:pass@host:port/db` (production) or `file:///dir`
   * (local use and tests). Defaults to $PULUMI_BACKEND_URL.
   */
  backendUrl?: string;
  /** Passphrase of the passphrase secrets provider. Defaults to $PULUMI_CONFIG_PASSPHRASE. */
  passphrase?: string;
  /** Working directory of the workspace (Pulumi.yaml etc.); a temp dir if unset. */
  workDir?: string;
  /** PULUMI_HOME for the CLI (plugins, credentials); the CLI's default if unset. */
  pulumiHome?: string;
  /** Extra environment for the CLI. */
  envVars?: Record<string, string>;
}

/** Environment for every pulumi CLI invocation. */
export function pulumiEnv(backendUrl: string, passphrase: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...extra,
    PATH: pathWithToolchain(extra.PATH ?? process.env.PATH),
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    // Plugins come only from the toolchain on PATH; nothing is downloaded.
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
}

function required(value: string | undefined, what: string, envName: string): string {
  if (!value) throw new Error(`${what} is required: pass it or set ${envName}`);
  return value;
}

/** A backend URL is postgres:// or file:// (other backends are not used here). */
export function checkBackendUrl(url: string): string {
  if (!/^(postgres|postgresql|file):\/\//.test(url)) {
    throw new Error(`unsupported Pulumi backend URL ${url.replace(/\/\/[^@/]*@/, "//***@")}: use postgres:// or file://`);
  }
  return url.replace(/^postgresql:\/\//, "postgres://");
}

let command: Promise<PulumiCommand> | undefined;

/** The toolchain's pulumi CLI (its version is checked against the SDK's minimum). */
export function pulumiCommand(): Promise<PulumiCommand> {
  if (!command) {
    assertToolchain(["pulumi", "pulumi-resource-kubernetes"]);
    command = PulumiCommand.get({ root: toolchainHome });
  }
  return command;
}

/** Creates the stack, or selects it if it exists, with an inline program. */
export async function createOrSelectStack(options: StackOptions): Promise<Stack> {
  const backendUrl = checkBackendUrl(required(options.backendUrl ?? process.env.PULUMI_BACKEND_URL, "a Pulumi backend URL", "PULUMI_BACKEND_URL"));
  const passphrase = required(options.passphrase ?? process.env.PULUMI_CONFIG_PASSPHRASE, "a secrets passphrase", "PULUMI_CONFIG_PASSPHRASE");
  if (options.workDir) await mkdir(options.workDir, { recursive: true });
  return LocalWorkspace.createOrSelectStack(
    { projectName: options.projectName, stackName: options.stackName, program: options.program },
    {
      workDir: options.workDir,
      pulumiHome: options.pulumiHome,
      pulumiCommand: await pulumiCommand(),
      secretsProvider: "passphrase",
      envVars: pulumiEnv(backendUrl, passphrase, options.envVars),
      projectSettings: {
        name: options.projectName,
        runtime: "nodejs",
        backend: { url: backendUrl },
      },
    },
  );
}
