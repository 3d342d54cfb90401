// What the toolchain is made of and where its binaries live.
//
// Plain Node ESM with no dependencies: ensure.mjs (run before anything is installed)
// and src/toolchain.ts both use it, so they always agree on the cache location.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Directory holding the toolchain Go modules (infra/toolchain). */
export const TOOLCHAIN_SRC = dirname(fileURLToPath(import.meta.url));

export const VERSIONS = Object.freeze({
  kubernetes: "v1.34.4",
  // The etcd release that k8s.io/kubernetes v1.34.4's go.mod pairs with.
  etcd: "v3.6.4",
  pulumi: "v3.274.1",
  // Version reported by pulumi-resource-kubernetes; must equal the pinned
  // @pulumi/kubernetes npm version. See README.md for how the commit maps to it.
  pulumiKubernetes: "4.25.0",
  pulumiKubernetesCommit: "f47bc2d6f199",
  helm: "v3.19.5",
  // The only version the Go module proxy serves; security advisories are reported against it, so
  // it runs only as the local test cluster's NetworkPolicy firewall and is never shipped.
  kubeRouter: "v2.1.0",
  coredns: "v1.15.0",
});

const [kubeMajor, kubeMinor] = VERSIONS.kubernetes.slice(1).split(".");

/** -X flags that `kubectl version` and API discovery read from the server. */
function kubeVersionFlags() {
  const values = {
    gitVersion: VERSIONS.kubernetes,
    gitMajor: kubeMajor,
    gitMinor: kubeMinor,
    gitTreeState: "clean",
    gitCommit: "",
    // Release time of the k8s.io/kubernetes module, so builds are reproducible.
    buildDate: "2026-02-10T12:53:36Z",
  };
  const flags = {};
  for (const [key, value] of Object.entries(values)) {
    flags[`k8s.io/component-base/version.${key}`] = value;
    flags[`k8s.io/client-go/pkg/version.${key}`] = value;
  }
  return flags;
}

/**
 * Go modules under infra/toolchain and the binaries built from each. A binary's
 * `pkg` is a package path resolved inside its module's directory.
 */
export const MODULES = Object.freeze([
  {
    dir: "controlplane",
    binaries: [
      {
        name: "etcd",
        pkg: "go.etcd.io/etcd/server/v3",
        ldflags: { "go.etcd.io/etcd/api/v3/version.GitSHA": `module-${VERSIONS.etcd}` },
      },
      {
        name: "kube-apiserver",
        pkg: "k8s.io/kubernetes/cmd/kube-apiserver",
        ldflags: kubeVersionFlags(),
      },
      {
        name: "kube-controller-manager",
        pkg: "k8s.io/kubernetes/cmd/kube-controller-manager",
        ldflags: kubeVersionFlags(),
      },
    ],
  },
  {
    dir: "pulumi",
    binaries: [
      {
        name: "pulumi",
        pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
        // The Automation API refuses a CLI that reports no version.
        ldflags: { "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version": VERSIONS.pulumi },
      },
    ],
  },
  {
    dir: "kubernetes-provider",
    // Files that the build generates before compiling (see ensure.mjs).
    generates: ["schema.embed", "terraform-mapping.embed"],
    extraInputs: ["main.go"],
    binaries: [
      {
        name: "pulumi-resource-kubernetes",
        pkg: ".",
        ldflags: {
          "github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version": VERSIONS.pulumiKubernetes,
        },
      },
    ],
  },
  {
    dir: "helm",
    binaries: [
      {
        name: "helm",
        pkg: "helm.sh/helm/v3/cmd/helm",
        ldflags: {
          "helm.sh/helm/v3/internal/version.version": VERSIONS.helm,
          "helm.sh/helm/v3/internal/version.gitTreeState": "clean",
          // Helm's default Kubernetes version for templates and lint (from client-go v0.34).
          "helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor": "1",
          "helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor": "34",
          "helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor": "1",
          "helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor": "34",
        },
      },
    ],
  },
  {
    // A node for the local cluster (`cluster:up --node` and the node tests); the scheduler
    // lives here because only a cluster with a node needs one.
    dir: "node",
    binaries: ["kubelet", "kube-proxy", "kube-scheduler"].map((name) => ({
      name,
      pkg: `k8s.io/kubernetes/cmd/${name}`,
      ldflags: kubeVersionFlags(),
    })),
  },
  {
    // The node's NetworkPolicy data plane (firewall only: iptables + ipset, no routing, no proxy).
    dir: "kube-router",
    binaries: [
      {
        name: "kube-router",
        pkg: "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router",
        ldflags: { "github.com/cloudnativelabs/kube-router/v2/pkg/version.Version": VERSIONS.kubeRouter },
      },
    ],
  },
  {
    // The node's cluster DNS: CoreDNS with only the plugins its Corefile uses (main.go), so that
    // Service names resolve in pods; it has no forwarder, so no query leaves the machine.
    dir: "coredns",
    extraInputs: ["main.go"],
    binaries: [
      {
        name: "coredns",
        pkg: ".",
        ldflags: { "github.com/coredns/coredns/coremain.GitCommit": `module-${VERSIONS.coredns}` },
      },
    ],
  },
  {
    // The fscrypt ioctls behind the node's `encrypted` storage class (main.go; x/sys only).
    dir: "fscrypt",
    extraInputs: ["main.go"],
    binaries: [{ name: "zy-fscrypt", pkg: "." }],
  },
]);

/** Every binary name, in build order. */
export const BINARIES = Object.freeze(MODULES.flatMap((m) => m.binaries.map((b) => b.name)));

/** Flags passed to every `go build`. */
export const GO_BUILD_FLAGS = Object.freeze(["-trimpath"]);

/** The -ldflags value for one binary. */
export function ldflagsFor(binary) {
  const xs = Object.entries(binary.ldflags ?? {}).map(([k, v]) => `-X '${k}=${v}'`);
  return ["-s", "-w", ...xs].join(" ");
}

/** Root of the binary cache, outside the repository. */
export function toolchainRoot(env = process.env) {
  if (env.ZHENGYUN_TOOLCHAIN_DIR) return env.ZHENGYUN_TOOLCHAIN_DIR;
  const cache = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(cache, "zhengyun", "toolchain");
}

/**
 * Version of the build recipe in ensure.mjs. Bump it when a change to the script changes
 * what it builds (flags, environment, generated files), so every module is rebuilt.
 */
export const BUILD_RECIPE = 1;

const sha = (parts) => {
  const h = createHash("sha256");
  for (const [label, data] of parts) {
    h.update(`${label}\0`);
    h.update(data);
    h.update("\0");
  }
  return h.digest("hex").slice(0, 16);
};

/**
 * Hash of everything that decides one module's binaries: its go.mod, go.sum and extra
 * sources, its entry in this manifest (packages, -X flags), the go build flags, the build
 * recipe and the target platform. Each module is cached under its own hash, so adding or
 * changing one module leaves the others' binaries valid.
 */
export function moduleHash(mod) {
  const parts = [
    ["platform", `${process.platform}-${process.arch}`],
    ["recipe", String(BUILD_RECIPE)],
    ["flags", JSON.stringify(GO_BUILD_FLAGS)],
    ["module", JSON.stringify({ ...mod, binaries: mod.binaries.map((b) => ({ ...b, ldflags: ldflagsFor(b) })) })],
  ];
  for (const file of ["go.mod", "go.sum", ...(mod.extraInputs ?? [])]) {
    parts.push([`${mod.dir}/${file}`, readFileSync(join(TOOLCHAIN_SRC, mod.dir, file))]);
  }
  return sha(parts);
}

/** Directory of one module's build (holds bin/, logs/ and build-times.json). */
export function moduleDir(mod, env = process.env) {
  return join(toolchainRoot(env), "modules", `${mod.dir}-${moduleHash(mod)}`);
}

/** Hash of the whole toolchain: of every module's hash. */
export function toolchainHash() {
  return sha(MODULES.map((mod) => [mod.dir, moduleHash(mod)]));
}

/**
 * Directory of this toolchain (its bin/ links each binary of the modules' builds). Its
 * name changes whenever any module changes; the module builds themselves are shared.
 */
export function toolchainDir(env = process.env) {
  return join(toolchainRoot(env), toolchainHash());
}

/** Directory holding (links to) the binaries; prepend it to PATH. */
export function toolchainBinDir(env = process.env) {
  return join(toolchainDir(env), "bin");
}

/**
 * Builds made before modules were cached one by one: a whole-toolchain directory and the
 * module hashes its binaries were built from. ensure.mjs links those binaries into the
 * module builds instead of compiling them again.
 */
export const EARLIER_BUILDS = Object.freeze([
  {
    dir: "436469df6a369d71",
    modules: { controlplane: "4bef4cb3c7d0d2d5", pulumi: "528f141454eda8b4", "kubernetes-provider": "75b04d24444e74ad", helm: "5b594dfab79e3921" },
  },
]);
