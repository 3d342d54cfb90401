// Vitest global setup: one local control plane per test run.
//
// Exposes the admin kubeconfig as process.env.KUBECONFIG (inherited by the test
// workers) and as `inject('kubeconfig')`. Projects that share this file share the
// cluster; the last teardown stops it.

import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { type LocalCluster, startLocalCluster } from "./local-cluster.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of the local control plane's admin kubeconfig. */
    kubeconfig: string;
    /** URL of its API server. */
    kubeServer: string;
  }
}

interface Shared {
  starting?: Promise<LocalCluster>;
  users: number;
}

const KEY = Symbol.for("zhengyun.localCluster");
const shared: Shared = ((globalThis as Record<symbol, unknown>)[KEY] as Shared | undefined) ?? { users: 0 };
(globalThis as Record<symbol, unknown>)[KEY] = shared;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

function ensureToolchain(): void {
  const r = spawnSync(process.execPath, [join(repoRoot, "infra", "toolchain", "ensure.mjs"), "--quiet"], {
    stdio: "inherit",
  });
  if (r.status !== 0) throw new Error("building the toolchain failed (see the output above)");
}

export async function setup(project: TestProject): Promise<void> {
  shared.users++;
  if (!shared.starting) {
    ensureToolchain();
    shared.starting = startLocalCluster({
      log: (m) => {
        if (process.env.ZHENGYUN_CLUSTER_VERBOSE) console.log(`[cluster] ${m}`);
      },
    });
  }
  const cluster = await shared.starting;
  process.env.KUBECONFIG = cluster.kubeconfigPath;
  project.provide("kubeconfig", cluster.kubeconfigPath);
  project.provide("kubeServer", cluster.server);
}

export async function teardown(): Promise<void> {
  shared.users--;
  if (shared.users > 0 || !shared.starting) return;
  const starting = shared.starting;
  shared.starting = undefined;
  const cluster = await starting.catch(() => undefined);
  await cluster?.stop();
}

/** @public Vitest's `globalSetup` of the cluster and e2e projects (named by path in vitest.config.ts). */
export default async function globalSetup(project: TestProject): Promise<() => Promise<void>> {
  await setup(project);
  return teardown;
}
