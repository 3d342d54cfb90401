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
 * Hash of everything that decides the binaries: each module's go.mod, go.sum and
 * extra sources, this manifest and the build script, and the target platform.
 */
export function toolchainHash() {
  const h = createHash("sha256");
  const add = (label, data) => {
    h.update(`${label}\0`);
    h.update(data);
    h.update("\0");
  };
  add("platform", `${process.platform}-${process.arch}`);
  for (const file of ["manifest.mjs", "ensure.mjs"]) {
    add(file, readFileSync(join(TOOLCHAIN_SRC, file)));
  }
  for (const mod of MODULES) {
    for (const file of ["go.mod", "go.sum", ...(mod.extraInputs ?? [])]) {
      add(`${mod.dir}/${file}`, readFileSync(join(TOOLCHAIN_SRC, mod.dir, file)));
    }
  }
  return h.digest("hex").slice(0, 16);
}

/** Directory of this toolchain build (holds bin/, logs/ and build-times.json). */
export function toolchainDir(env = process.env) {
  return join(toolchainRoot(env), toolchainHash());
}

/** Directory holding the binaries; prepend it to PATH. */
export function toolchainBinDir(env = process.env) {
  return join(toolchainDir(env), "bin");
}
