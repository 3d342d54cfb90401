import { defineConfig } from "vitest/config";

const clusterSetup = "infra/src/cluster/global-setup.ts";
const nodeSetup = "infra/src/cluster/node-global-setup.ts";
/** Tests of pure code: no database, no cluster, no global setup (`npm run test:unit`). */
const unitTests = ["*/src/**/*.test.ts"];
const notUnit = ["**/*.integration.test.ts", "**/*.e2e.test.ts", "**/*.node.test.ts"];

/**
 * One run, four projects. `unit` needs nothing running. `portal` needs PostgreSQL (DATABASE_URL,
 * set by scripts/test.sh); `cluster` (infra, policies, controller and the browser journeys) shares
 * one local Kubernetes control plane per run, started by its global setup. `node` (`*.node.test.ts`)
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
        },
      },
      {
        test: {
          name: "portal",
          // The egress gateway's tests need PostgreSQL and Squid on loopback, no cluster.
          include: [
            "portal/src/**/*.integration.test.ts",
            "portal/test/**/*.test.ts",
            "cli/src/**/*.integration.test.ts",
            "controller/src/egress/**/*.integration.test.ts",
          ],
          // The browser journey ends with the controller applying on the cluster: it runs there.
          exclude: ["portal/test/e2e/**", "cli/src/**/*.e2e.test.ts", "**/node_modules/**"],
          globalSetup: ["portal/test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "cluster",
          include: [
            "infra/src/**/*.integration.test.ts",
            "policies/src/**/*.integration.test.ts",
            "controller/src/**/*.integration.test.ts",
            "portal/test/e2e/**/*.test.ts",
            "cli/src/**/*.e2e.test.ts",
          ],
          exclude: ["controller/src/egress/**", "**/node_modules/**"],
          globalSetup: [clusterSetup],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: "node",
          include: ["*/src/**/*.node.test.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: [nodeSetup],
          // One node: its tests share pods' addresses and the firewall, so files run one at a time.
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
