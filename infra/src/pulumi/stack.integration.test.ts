import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as k8s from "@kubernetes/client-node";
import * as kubernetes from "@pulumi/kubernetes";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { toolchainVersions } from "../toolchain.js";
import { kubernetesProvider } from "./kubernetes.js";
import { createOrSelectStack, pulumiCommand } from "./stack.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const suffix = Date.now().toString(36);
const NS = `zy-stack-${suffix}`;
const QUOTA = "compute";
const POLICY = `zy-deny-privileged-${suffix}`;
const BINDING = `${POLICY}-binding`;
const MANAGED_LABEL = "zhengyun.gov.cn/managed";

/** Errors from the API server: HTTP status and the server's message. */
function apiError(err: unknown): { code: number; message: string } {
  if (err instanceof k8s.ApiException) {
    let message = String(err.body);
    try {
      message = JSON.parse(String(err.body)).message ?? message;
    } catch {}
    return { code: err.code, message };
  }
  throw err;
}

function pod(name: string, opts: { privileged?: boolean; cpu?: string } = {}): k8s.V1Pod {
  return {
    metadata: { name },
    spec: {
      containers: [
        {
          name: "app",
          image: "registry.zhengyun.local/app:1.0",
          resources: { limits: { cpu: opts.cpu ?? "100m", memory: "64Mi" } },
          securityContext: opts.privileged ? { privileged: true } : undefined,
        },
      ],
    },
  };
}

/** Retries `fn` until it returns a value (not undefined) or the time is up. */
async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

describe("Pulumi Automation API against the local control plane", () => {
  const kubeconfig = inject("kubeconfig");
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const admission = kc.makeApiClient(k8s.AdmissionregistrationV1Api);

  let stateDir: string;
  let stack: Stack;
  const output: string[] = [];
  const onOutput = (line: string) => output.push(line);

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "zhengyun-pulumi-"));
    stack = await createOrSelectStack({
      projectName: "zhengyun-infra-test",
      stackName: `it-${suffix}`,
      backendUrl: `file://${stateDir}`,
      passphrase: "test-passphrase",
      workDir: join(stateDir, "work"),
      pulumiHome: join(stateDir, "home"),
      program: async () => {
        const provider = kubernetesProvider("local", { kubeconfig });
        const ns = new kubernetes.core.v1.Namespace(
          "ns",
          {
            metadata: {
              name: NS,
              labels: {
                [MANAGED_LABEL]: "true",
                "pod-security.kubernetes.io/warn": "baseline",
              },
            },
          },
          { provider },
        );
        const quota = new kubernetes.core.v1.ResourceQuota(
          "quota",
          {
            metadata: { name: QUOTA, namespace: ns.metadata.name },
            spec: { hard: { pods: "5", "limits.cpu": "1", "limits.memory": "1Gi" } },
          },
          { provider },
        );
        const policy = new kubernetes.admissionregistration.v1.ValidatingAdmissionPolicy(
          "deny-privileged",
          {
            metadata: { name: POLICY },
            spec: {
              failurePolicy: "Fail",
              matchConstraints: {
                resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }],
              },
              validations: [
                {
                  expression:
                    "object.spec.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged) && (!has(object.spec.initContainers) || object.spec.initContainers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged))",
                  message: "privileged containers are not allowed",
                  reason: "Forbidden",
                },
              ],
            },
          },
          { provider },
        );
        const binding = new kubernetes.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
          "deny-privileged",
          {
            metadata: { name: BINDING },
            spec: {
              policyName: policy.metadata.name,
              validationActions: ["Deny"],
              matchResources: { namespaceSelector: { matchLabels: { [MANAGED_LABEL]: "true" } } },
            },
          },
          { provider },
        );
        return { namespace: ns.metadata.name, quota: quota.metadata.name, policy: policy.metadata.name, binding: binding.metadata.name };
      },
    });
  }, 120_000);

  afterAll(async () => {
    if (stack) {
      // Best effort if a test failed before its own destroy.
      await stack.destroy({ onOutput }).catch(() => undefined);
      await stack.workspace.removeStack(stack.name).catch(() => undefined);
    }
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  }, 180_000);

  it("uses the toolchain's pulumi CLI", async () => {
    const cmd = await pulumiCommand();
    expect(cmd.version?.format()).toBe(toolchainVersions.pulumi.replace(/^v/, ""));
  });

  it("creates the namespace, quota and admission policy, which the API server then enforces", async () => {
    const up = await stack.up({ onOutput }).catch((err) => {
      throw new Error(`pulumi up failed: ${err}\n${output.join("")}`);
    });
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.namespace?.value).toBe(NS);

    // Read back with an independent client.
    const ns = await core.readNamespace({ name: NS });
    expect(ns.metadata?.labels?.[MANAGED_LABEL]).toBe("true");
    const quota = await core.readNamespacedResourceQuota({ name: QUOTA, namespace: NS });
    expect(quota.spec?.hard?.["limits.cpu"]).toBe("1");
    const policy = await admission.readValidatingAdmissionPolicy({ name: POLICY });
    expect(policy.spec?.validations?.[0]?.message).toBe("privileged containers are not allowed");
    const binding = await admission.readValidatingAdmissionPolicyBinding({ name: BINDING });
    expect(binding.spec?.policyName).toBe(POLICY);

    // Pods are admitted only once the default service account exists and the
    // quota controller has computed the quota's usage.
    await eventually("the default service account", () => core.readNamespacedServiceAccount({ name: "default", namespace: NS }));
    await eventually("quota status", async () => {
      const q = await core.readNamespacedResourceQuota({ name: QUOTA, namespace: NS });
      return q.status?.hard?.pods ? q : undefined;
    });

    // A privileged pod is refused by the policy (once the API server has loaded it).
    const refusal = await eventually("the policy to refuse a privileged pod", async () => {
      try {
        await core.createNamespacedPod({ namespace: NS, body: pod("privileged", { privileged: true }), dryRun: "All" });
        return undefined; // admitted: the policy is not active yet
      } catch (err) {
        return apiError(err);
      }
    });
    expect(refusal.code).toBe(403);
    expect(refusal.message).toContain(POLICY);
    expect(refusal.message).toContain("privileged containers are not allowed");

    // A compliant pod is admitted (it stays Pending: there is no kubelet).
    const ok = await core.createNamespacedPod({ namespace: NS, body: pod("ok") });
    expect(ok.metadata?.uid).toBeTruthy();

    // A pod over the quota is refused.
    const over = await core.createNamespacedPod({ namespace: NS, body: pod("too-big", { cpu: "2" }) }).then(() => undefined, apiError);
    expect(over?.code).toBe(403);
    expect(over?.message).toContain(`exceeded quota: ${QUOTA}`);
  }, 300_000);

  it("destroys everything, and the namespace is deleted for good", async () => {
    const destroy = await stack.destroy({ onOutput }).catch((err) => {
      throw new Error(`pulumi destroy failed: ${err}\n${output.join("")}`);
    });
    expect(destroy.summary.result).toBe("succeeded");

    const gone = await eventually(
      "the namespace to be deleted",
      async () => {
        try {
          await core.readNamespace({ name: NS });
          return undefined;
        } catch (err) {
          return apiError(err).code === 404 ? true : undefined;
        }
      },
      120_000,
    );
    expect(gone).toBe(true);
    await expect(admission.readValidatingAdmissionPolicy({ name: POLICY })).rejects.toMatchObject({ code: 404 });
    await expect(admission.readValidatingAdmissionPolicyBinding({ name: BINDING })).rejects.toMatchObject({
      code: 404,
    });
  }, 300_000);
});
