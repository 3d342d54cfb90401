import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as k8s from "@kubernetes/client-node";
import * as kubernetes from "@pulumi/kubernetes";
import { describe, expect, inject, it } from "vitest";
import { kubernetesProvider } from "./kubernetes.js";
import { createOrSelectStack } from "./stack.js";

/** The production backend: Pulumi state in PostgreSQL, next to the platform's data. */
describe("Pulumi state in PostgreSQL", () => {
  it("keeps a stack's state in the postgres:// backend through up and destroy", async () => {
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      throw new Error("DATABASE_URL is not set: run the tests with `npm test` (scripts/test.sh sets it)");
    }
    const backend = new URL(databaseUrl.replace(/^postgresql:/, "postgres:"));
    backend.searchParams.set("table", "pulumi_state_infra_test");

    const kubeconfig = inject("kubeconfig");
    const suffix = Date.now().toString(36);
    const nsName = `zy-pg-${suffix}`;
    const home = await mkdtemp(join(tmpdir(), "zhengyun-pulumi-pg-"));
    const stack = await createOrSelectStack({
      projectName: "zhengyun-infra-pg-test",
      stackName: `pg-${suffix}`,
      backendUrl: backend.toString(),
      passphrase: "test-passphrase",
      workDir: join(home, "work"),
      pulumiHome: join(home, "home"),
      program: async () => {
        const provider = kubernetesProvider("local", { kubeconfig });
        const ns = new kubernetes.core.v1.Namespace("ns", { metadata: { name: nsName } }, { provider });
        return { namespace: ns.metadata.name };
      },
    });
    try {
      const up = await stack.up();
      expect(up.summary.result).toBe("succeeded");

      // The state lives in the backend: a fresh workspace sees the stack and its resources.
      const state = await stack.exportStack();
      const types = (state.deployment.resources ?? []).map((r: { type: string }) => r.type);
      expect(types).toContain("kubernetes:core/v1:Namespace");
      const stacks = await stack.workspace.listStacks();
      expect(stacks.map((s) => s.name)).toContain(stack.name);

      const kc = new k8s.KubeConfig();
      kc.loadFromFile(kubeconfig);
      const ns = await kc.makeApiClient(k8s.CoreV1Api).readNamespace({ name: nsName });
      expect(ns.status?.phase).toBe("Active");

      const destroy = await stack.destroy();
      expect(destroy.summary.result).toBe("succeeded");
      await stack.workspace.removeStack(stack.name);
      const after = await stack.workspace.listStacks();
      expect(after.map((s) => s.name)).not.toContain(stack.name);
    } catch (err) {
      await stack.destroy().catch(() => undefined);
      await stack.workspace.removeStack(stack.name).catch(() => undefined);
      throw err;
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 300_000);
});
