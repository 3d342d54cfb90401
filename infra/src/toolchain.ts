// Paths of the Go-built toolchain binaries (see infra/toolchain/). The cache location
// and its hash come from infra/toolchain/manifest.mjs, the same code that
// infra/toolchain/ensure.mjs builds with.

import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { BINARIES, toolchainBinDir, toolchainDir, VERSIONS } from "../toolchain/manifest.mjs";

export type ToolName =
  | "etcd"
  | "kube-apiserver"
  | "kube-controller-manager"
  | "pulumi"
  | "pulumi-resource-kubernetes"
  | "helm"
  | "kubelet"
  | "kube-proxy"
  | "kube-scheduler"
  | "kube-router"
  | "coredns"
  | "zy-fscrypt";

export { VERSIONS as toolchainVersions };

/** Directory of this toolchain, e.g. ~/.cache/zhengyun/toolchain/<hash> (its bin/ links each binary). */
export const toolchainHome: string = toolchainDir();

/** Directory holding the binaries; prepend it to PATH. */
export const binDir: string = toolchainBinDir();

/** Absolute path of one binary. */
export function toolPath(name: ToolName): string {
  return join(binDir, name);
}

export const binaries: Readonly<Record<ToolName, string>> = Object.freeze(
  Object.fromEntries(BINARIES.map((name) => [name, join(binDir, name)])) as Record<ToolName, string>,
);

/** Names of binaries (of `names`, by default all) not built yet. */
export function missingTools(names: readonly ToolName[] = BINARIES as readonly ToolName[]): ToolName[] {
  return names.filter((name) => !existsSync(toolPath(name)));
}

/**
 * Throws with the command to run if any of `names` (by default every binary) is missing. A
 * deployed controller ships only the Pulumi pair, so it asks for just those.
 */
export function assertToolchain(names?: readonly ToolName[]): void {
  const missing = missingTools(names);
  if (missing.length > 0) {
    throw new Error(`toolchain binaries missing in ${binDir}: ${missing.join(", ")}; build them with \`node infra/toolchain/ensure.mjs\``);
  }
}

/** PATH with the toolchain bin directory first. */
export function pathWithToolchain(path: string | undefined = process.env.PATH): string {
  return path ? `${binDir}${delimiter}${path}` : binDir;
}
