import type { KubeObject } from "../model/k8s.js";
import type { Kube } from "./client.js";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Apply objects in the given (apply) order; returns what the server stored. */
export async function applyAll(kube: Kube, objects: readonly KubeObject[]): Promise<KubeObject[]> {
  const applied: KubeObject[] = [];
  for (const object of objects) applied.push(await kube.apply(object));
  return applied;
}

/** Poll `check` until it returns a value, or fail after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
}

/**
 * A namespace is ready for admission checks once its default ServiceAccount
 * exists (the ServiceAccount admission plugin needs it) and the quota
 * controller has computed every ResourceQuota (quota admission refuses with
 * "status unknown" before that).
 */
export async function waitForNamespaceReady(kube: Kube, namespace: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `service account default in ${namespace}`,
    () => kube.read({ apiVersion: "v1", kind: "ServiceAccount", name: "default", namespace }),
    timeoutMs,
  );
  await waitFor(
    `resource quotas of ${namespace}`,
    async () => {
      const quotas = await kube.list("v1", "ResourceQuota", { namespace });
      const computed = quotas.every((q) => {
        const hard = (q.spec as { hard?: Record<string, string> } | undefined)?.hard ?? {};
        const status = (q.status as { hard?: Record<string, string> } | undefined)?.hard ?? {};
        return Object.keys(hard).every((key) => key in status);
      });
      return computed ? true : undefined;
    },
    timeoutMs,
  );
}

/** Run `work` over `items` with at most `limit` in flight, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}
