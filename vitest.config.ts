import { defineConfig } from "vitest/config";

const clusterSetup = "infra/src/cluster/global-setup.ts";
const nodeSetup = "infra/src/cluster/node-global-setup.ts";
/** Each worker of a cluster project talks to its own project's cluster. */
const useKubeconfig = ["infra/src/cluster/use-kubeconfig.ts"];
/** Tests of pure code: no database, no cluster, no global setup (`npm run test:unit`). */
const unitTests = ["*/src/**/*.test.ts", "e2e/bench/**/*.test.ts"];
const notUnit = ["**/*.integration.test.ts", "**/*.e2e.test.ts", "**/*.node.test.ts"];

/**
 * One run, five tiers. `unit` needs nothing running. `db` needs PostgreSQL (DATABASE_URL, set by
 * scripts/test.sh) and, for the egress gateway, Squid on loopback. `cluster` (infra, policies,
 * controller) and `e2e` (journeys through portal, controller, browser and CLI) share one local
 * Kubernetes control plane per run, started by their common global setup. `node` (`*.node.test.ts`)
 * runs pods: its setup starts a second cluster with a real node (root, Debian's containerd, runc
 * and CNI plugins; see infra/src/cluster/node.ts).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: unitTests,
          exclude: [...notUnit, "**/node_modules/**"],
          // Pure code shares nothing mutable between files, so one module graph serves them all: the
          // catalog, the schema and the clients are imported once per worker instead of once per file.
          pool: "threads",
          isolate: false,
          // The property and golden tests take seconds of CPU; on a shared, loaded machine the
          // 5 s default failed them for want of a CPU, not for a wrong answer.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: "db",
          include: [
            "db/src/**/*.integration.test.ts",
            "portal/src/**/*.integration.test.ts",
            "portal/test/**/*.test.ts",
            "cli/src/**/*.integration.test.ts",
            "controller/src/egress/**/*.integration.test.ts",
            "e2e/egress/**/*.integration.test.ts",
          ],
          exclude: ["**/node_modules/**"],
          globalSetup: ["portal/test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "cluster",
          include: ["infra/src/**/*.integration.test.ts", "policies/src/**/*.integration.test.ts", "controller/src/**/*.integration.test.ts"],
          exclude: ["controller/src/egress/**", "**/node_modules/**"],
          globalSetup: [clusterSetup],
          setupFiles: useKubeconfig,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          exclude: ["e2e/egress/**", "e2e/bench/**", "**/*.node.test.ts", "**/node_modules/**"],
          globalSetup: [clusterSetup],
          setupFiles: useKubeconfig,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: "node",
          include: ["*/src/**/*.node.test.ts", "e2e/**/*.node.test.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: [nodeSetup],
          setupFiles: useKubeconfig,
          // One node: its tests share pods' addresses and the firewall, so files run one at a time.
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
