// Starts and stops a local control plane for development.
//
//   npm run cluster:up -w infra      start (or report the running one)
//   npm run cluster:up -w infra -- --node
//                                    also start a scheduler and one real node, so pods run
//                                    (needs root and Debian's containerd, runc,
//                                    containernetworking-plugins, iptables, ipset, conntrack)
//   npm run cluster:down -w infra    stop and remove its state (and the node's containers,
//                                    mounts, bridge and firewall rules)
//   npm run cluster:status -w infra
//
// State (certificates, etcd data, logs, kubeconfig, cluster.pid) lives in
// .data/cluster/ at the repository root, or in $ZHENGYUN_CLUSTER_DIR.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type ClusterState, clusterRunning, readClusterState, startLocalCluster, stopClusterFromState } from "./local-cluster.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const clusterDir = process.env.ZHENGYUN_CLUSTER_DIR ?? join(repoRoot, ".data", "cluster");
const pidFile = join(clusterDir, "cluster.pid");

function describe(state: ClusterState): string {
  return [
    `server:     ${state.server}`,
    `kubeconfig: ${state.kubeconfigPath}`,
    `logs:       ${join(state.dir, "logs")}`,
    `processes:  ${state.processes.map((p) => `${p.name}=${p.pid}`).join(" ")}`,
    ...(state.node
      ? [`node:       ${state.node.name} (${state.node.ip}, pods ${state.node.podCidr}), Ready in ${(state.node.startMs / 1000).toFixed(1)}s`]
      : []),
    "",
    `export KUBECONFIG=${state.kubeconfigPath}`,
  ].join("\n");
}

function ensureToolchain(): void {
  const script = join(repoRoot, "infra", "toolchain", "ensure.mjs");
  const r = spawnSync(process.execPath, [script, "--quiet"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

async function up(args: string[]): Promise<void> {
  const node = args.includes("--node");
  const existing = await readClusterState(clusterDir);
  if (existing && clusterRunning(existing)) {
    console.log(`local control plane already running\n${describe(existing)}`);
    return;
  }
  if (existing) {
    await stopClusterFromState(existing);
  }
  if (existsSync(clusterDir)) await rm(clusterDir, { recursive: true, force: true });
  ensureToolchain();
  await mkdir(clusterDir, { recursive: true });
  const cluster = await startLocalCluster({
    dir: clusterDir,
    detached: true,
    removeDirOnStop: false,
    node,
    log: (m) => console.log(`[cluster] ${m}`),
  });
  await writeFile(pidFile, `${cluster.processes.map((p) => p.pid).join("\n")}\n`);
  console.log(`local control plane started\n${describe(cluster)}`);
}

async function down(): Promise<void> {
  const state = await readClusterState(clusterDir);
  if (!state) {
    console.log(`no local control plane state in ${clusterDir}`);
    return;
  }
  const stopped = await stopClusterFromState(state);
  await rm(clusterDir, { recursive: true, force: true });
  console.log(stopped.length ? `stopped ${stopped.join(", ")}` : "nothing was running; state removed");
}

async function status(): Promise<void> {
  const state = await readClusterState(clusterDir);
  if (state && clusterRunning(state)) {
    console.log(`running\n${describe(state)}`);
  } else {
    console.log(state ? "stopped (stale state; run cluster:down or cluster:up)" : "not running");
    process.exitCode = 3;
  }
}

const commands: Record<string, (args: string[]) => Promise<void>> = { up, down, status };
const command = commands[process.argv[2] ?? ""];
if (!command) {
  console.error("usage: cli.ts up [--node] | down | status");
  process.exit(2);
}
command(process.argv.slice(3)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
