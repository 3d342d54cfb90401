// Helpers for tests that run pods on the local node (the `node` test project).

import { execFile } from "node:child_process";
import { request } from "node:http";
import { promisify } from "node:util";
import type * as k8s from "@kubernetes/client-node";
import type { Level } from "@zhengyun/policies";
import { compliantPodSpec } from "@zhengyun/policies/fixtures/pod";
import { PLATFORM_PROBE, PROBE_IMAGE } from "./images.js";
import type { NodeState } from "./node.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The node of the `node` test project's cluster (see node-global-setup.ts). */
    node: NodeState;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const run = promisify(execFile);

/**
 * A pod spec a system of `level` admits (platform registry, pinned by digest, its level's hardening),
 * its one container running the probe image the node imported with `args`.
 */
export function probePodSpec(node: NodeState, level: Level, args: string[]): { spec: k8s.V1PodSpec; container: k8s.V1Container } {
  const probe = node.images.find((i) => i.ref === PROBE_IMAGE.ref);
  if (!probe) throw new Error(`the node has no ${PROBE_IMAGE.ref}`);
  const spec = structuredClone(compliantPodSpec(level));
  const container = spec.containers[0] as k8s.V1Container;
  container.image = `${PLATFORM_PROBE}@${probe.digest}`;
  container.args = args;
  return { spec, container };
}

/** Waits until a pod leaves Pending and returns it (Running, or why it is not, in the error). */
export async function untilRunning(core: k8s.CoreV1Api, namespace: string, name: string, timeoutMs = 120_000): Promise<k8s.V1Pod> {
  const deadline = Date.now() + timeoutMs;
  let pod = await core.readNamespacedPod({ namespace, name });
  while (pod.status?.phase !== "Running" && Date.now() < deadline) {
    if (pod.status?.phase === "Failed" || pod.status?.phase === "Succeeded") break;
    await sleep(250);
    pod = await core.readNamespacedPod({ namespace, name });
  }
  if (pod.status?.phase !== "Running") {
    const waiting = pod.status?.containerStatuses?.map((c) => c.state?.waiting?.message ?? c.state?.waiting?.reason).filter(Boolean);
    throw new Error(`pod ${namespace}/${name} is ${pod.status?.phase}: ${JSON.stringify(waiting ?? pod.status?.conditions)}`);
  }
  return pod;
}

/**
 * Waits until the NetworkPolicy data plane (kube-router) has put a pod behind its firewall: the
 * filter table jumps traffic from and to the pod's address into the pod's own chain. Until then,
 * a moment after the pod starts (longer when the node holds many pods and policies), the pod's
 * NetworkPolicies are not enforced yet. kube-router writes the jumps, the pod's chain and the
 * policies' chains in one iptables-restore, so once the jumps are there the whole set is.
 */
export async function untilFirewalled(pod: { namespace: string; name: string; ip: string }, timeoutMs = 120_000): Promise<void> {
  const who = `POD name:${pod.name} namespace: ${pod.namespace} to chain KUBE-POD-FW-`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rules = (await run("iptables-save", ["-t", "filter"], { maxBuffer: 64 << 20 })).stdout.split("\n").filter((l) => l.includes(who));
    const from = rules.some((l) => l.includes(`traffic from ${who}`) && l.includes(` -s ${pod.ip}/32 `));
    const to = rules.some((l) => l.includes(`traffic destined to ${who}`) && l.includes(` -d ${pod.ip}/32 `));
    if (from && to) return;
    if (Date.now() > deadline) throw new Error(`pod ${pod.namespace}/${pod.name} (${pod.ip}) is not behind the node's firewall after ${timeoutMs} ms`);
    await sleep(250);
  }
}

/** GET over HTTP; resolves status 0 with the error's message when no connection is made. */
export function httpGet(url: string, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (err) => resolve({ status: 0, body: err.message }));
    req.end();
  });
}

/** GETs until the server answers (a container may still be binding its port when it is Running). */
export async function httpGetAnswered(url: string, timeoutMs = 30_000): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  let answer = await httpGet(url);
  while (answer.status === 0 && Date.now() < deadline) {
    await sleep(200);
    answer = await httpGet(url);
  }
  return answer;
}

/** Waits until the cluster DNS (CoreDNS in kube-system, see dns.ts) has a ready pod. */
export async function untilDnsReady(apps: k8s.AppsV1Api, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ready = 0;
  while (Date.now() < deadline) {
    ready = (await apps.readNamespacedDeployment({ namespace: "kube-system", name: "coredns" })).status?.readyReplicas ?? 0;
    if (ready >= 1) return;
    await sleep(500);
  }
  throw new Error(`CoreDNS had no ready pod after ${Math.round(timeoutMs / 1000)}s`);
}
