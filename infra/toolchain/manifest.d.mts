// Types for manifest.mjs, so TypeScript code can share the cache location logic.

export interface ToolchainBinary {
  name: string;
  pkg: string;
  ldflags?: Record<string, string>;
}

export interface ToolchainModule {
  dir: string;
  generates?: string[];
  extraInputs?: string[];
  binaries: ToolchainBinary[];
}

export declare const TOOLCHAIN_SRC: string;
export declare const VERSIONS: Readonly<{
  kubernetes: string;
  etcd: string;
  pulumi: string;
  pulumiKubernetes: string;
  pulumiKubernetesCommit: string;
  helm: string;
  kubeRouter: string;
  coredns: string;
}>;
export declare const MODULES: readonly ToolchainModule[];
export declare const BINARIES: readonly string[];
export declare const GO_BUILD_FLAGS: readonly string[];
export declare function ldflagsFor(binary: ToolchainBinary): string;
export declare function toolchainRoot(env?: NodeJS.ProcessEnv): string;
export declare const BUILD_RECIPE: number;
export declare function moduleHash(mod: ToolchainModule): string;
export declare function moduleDir(mod: ToolchainModule, env?: NodeJS.ProcessEnv): string;
export declare function toolchainHash(): string;
export declare function toolchainDir(env?: NodeJS.ProcessEnv): string;
export declare function toolchainBinDir(env?: NodeJS.ProcessEnv): string;
export declare const EARLIER_BUILDS: readonly { dir: string; modules: Readonly<Record<string, string>> }[];
