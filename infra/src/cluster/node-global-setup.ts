// Vitest global setup of the `node` project: one local cluster with a real node per run
// (control plane, kube-scheduler, containerd, kubelet, kube-proxy), so pods run.
//
// Exposes the admin kubeconfig as process.env.KUBECONFIG and `inject('kubeconfig')`, like
// the cluster project's setup, and the node's facts as `inject('node')`. Teardown stops
// every process and removes the node's containers, mounts, bridge and firewall rules.

import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { type LocalCluster, startLocalCluster } from "./local-cluster.js";
import type { NodeState } from "./node.js";
// The `node` entry of vitest's ProvidedContext is declared there, beside the tests' helpers.
import "./pods.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** @public Vitest's `globalSetup` of the node project (named by path in vitest.config.ts). */
export default async function nodeGlobalSetup(project: TestProject): Promise<() => Promise<void>> {
  const r = spawnSync(process.execPath, [join(repoRoot, "infra", "toolchain", "ensure.mjs"), "--quiet"], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("building the toolchain failed (see the output above)");
  const started = Date.now();
  const cluster: LocalCluster = await startLocalCluster({
    node: true,
    timeoutMs: 180_000,
    log: (m) => {
      if (process.env.ZHENGYUN_CLUSTER_VERBOSE) console.log(`[node cluster] ${m}`);
    },
  });
  const node = cluster.node as NodeState;
  console.log(
    `[node cluster] control plane + node ${node.name} up in ${((Date.now() - started) / 1000).toFixed(1)}s (node Ready ${(node.startMs / 1000).toFixed(1)}s after containerd started); images: ${node.images.map((i) => `${i.ref} ${i.buildSeconds ? `built in ${i.buildSeconds}s` : "cached"}`).join(", ")}`,
  );
  process.env.KUBECONFIG = cluster.kubeconfigPath;
  project.provide("kubeconfig", cluster.kubeconfigPath);
  project.provide("kubeServer", cluster.server);
  project.provide("node", node);
  return () => cluster.stop();
}
