import { defineConfig } from "vitest/config";

const clusterSetup = "infra/src/cluster/global-setup.ts";

/**
 * One run, four projects. Portal tests need PostgreSQL (DATABASE_URL, set by scripts/test.sh);
 * infra, policies and controller tests share one local Kubernetes control plane per run.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "portal",
          include: ["portal/src/**/*.test.ts", "portal/test/**/*.test.ts", "cli/src/**/*.test.ts"],
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
            "infra/src/**/*.test.ts",
            "policies/src/**/*.test.ts",
            "controller/src/**/*.test.ts",
            "portal/test/e2e/**/*.test.ts",
            "cli/src/**/*.e2e.test.ts",
          ],
          globalSetup: [clusterSetup],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
