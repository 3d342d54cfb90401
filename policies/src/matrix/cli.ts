/**
 * Prints the control × level matrix from a live API server: for each control
 * at each level, whether the bad fixtures are refused (naming the control),
 * the good ones admitted, exemptions honoured and the compiled objects live.
 * Uses $KUBECONFIG, or starts a local control plane when it is unset.
 * Exits non-zero unless every cell is as expected.
 *
 *   npm run policies:matrix -w policies [-- --keep]
 */
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Kube, loadKubeConfig } from "../kube/client.js";
import { runMatrix } from "./run.js";
import { renderFailures, renderTable } from "./table.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

async function localControlPlane(): Promise<{ kubeconfig: string; stop: () => Promise<void> }> {
  const built = spawnSync(process.execPath, [join(repoRoot, "infra", "toolchain", "ensure.mjs"), "--quiet"], { stdio: "inherit" });
  if (built.status !== 0) throw new Error("building the control-plane binaries failed");
  const { startLocalCluster } = await import("@zhengyun/infra/cluster/local-cluster");
  const cluster = await startLocalCluster({ log: (m) => console.error(`[cluster] ${m}`) });
  return { kubeconfig: cluster.kubeconfigPath, stop: () => cluster.stop() };
}

async function main(): Promise<number> {
  const keep = process.argv.includes("--keep");
  const local = process.env.KUBECONFIG ? undefined : await localControlPlane();
  try {
    const kube = new Kube(loadKubeConfig(local?.kubeconfig ?? process.env.KUBECONFIG));
    console.error(`API server: ${kube.config.getCurrentCluster()?.server ?? "(unknown)"}`);
    const result = await runMatrix(kube, { keep, log: (m) => console.error(`[matrix] ${m}`) });
    console.log(renderTable(result));
    const failures = renderFailures(result);
    if (failures) console.log(`\nunexpected:\n${failures}`);
    console.log(
      `\n${result.ok ? "every cell as expected" : "SOME CELLS UNEXPECTED"} (${(result.durationMs / 1000).toFixed(1)} s, namespaces ${result.prefix}-*${keep ? " kept" : " removed"})`,
    );
    return result.ok ? 0 : 1;
  } finally {
    await local?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
