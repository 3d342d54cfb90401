// Live usage: what a system's pods and claims hold, from its ResourceQuotas' status.used, in the
// portal's units (vCPU and GiB, rounded up: a system using 1.2 vCPU holds 2 of its grant).

import type * as k8s from "@kubernetes/client-node";
import type { Db } from "@zhengyun/portal/db/client";
import { allocationItems, type Resource } from "@zhengyun/portal/db/schema";
import { and, eq, ne } from "drizzle-orm";

const SUFFIX: Record<string, number> = {
  "": 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Any Kubernetes quantity as a number ("1500m" → 1.5, "1536Mi" → 1610612736), undefined if malformed. */
export function parseQuantity(value: string): number | undefined {
  const match = /^([+-]?[0-9]*\.?[0-9]+)(?:([eE][+-]?[0-9]+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?)$/.exec(value.trim());
  if (!match) return undefined;
  const base = Number(match[1]);
  if (match[2]) return base * 10 ** Number(match[2].slice(1));
  return base * (SUFFIX[match[3] ?? ""] ?? 1);
}

const GIB = 2 ** 30;
const STORAGE: Record<string, Resource> = {
  "standard.storageclass.storage.k8s.io/requests.storage": "storage_standard_gib",
  "ssd.storageclass.storage.k8s.io/requests.storage": "storage_ssd_gib",
  "encrypted.storageclass.storage.k8s.io/requests.storage": "storage_encrypted_gib",
};

/** Usage per portal resource from the `used` maps of a namespace's quotas. Pure. */
export function usageFromQuotas(used: readonly Record<string, string>[]): Partial<Record<Resource, number>> {
  const out: Partial<Record<Resource, number>> = {};
  const take = (resource: Resource, quantity: string | undefined, unit: number) => {
    if (quantity === undefined) return;
    const value = parseQuantity(quantity);
    if (value === undefined) return;
    out[resource] = Math.max(out[resource] ?? 0, Math.ceil(value / unit - 1e-9));
  };
  for (const map of used) {
    take("vcpu", map["limits.cpu"] ?? map["requests.cpu"], 1);
    take("memory_gib", map["limits.memory"] ?? map["requests.memory"], GIB);
    for (const [key, resource] of Object.entries(STORAGE)) take(resource, map[key], GIB);
  }
  return out;
}

/** The `used` maps of the platform's quotas in a namespace. */
export async function readQuotaUsage(core: k8s.CoreV1Api, namespace: string): Promise<Record<string, string>[]> {
  const list = await core.listNamespacedResourceQuota({ namespace });
  return list.items.map((q) => q.status?.used ?? {});
}

/** Writes usage into allocation_items.used (only rows whose value changed). Returns the resources updated. */
export async function writeUsage(db: Db, systemId: string, usage: Partial<Record<Resource, number>>): Promise<Resource[]> {
  const changed: Resource[] = [];
  for (const [resource, used] of Object.entries(usage) as [Resource, number][]) {
    const rows = await db
      .update(allocationItems)
      .set({ used })
      .where(and(eq(allocationItems.systemId, systemId), eq(allocationItems.resource, resource), ne(allocationItems.used, used)))
      .returning({ resource: allocationItems.resource });
    if (rows.length > 0) changed.push(resource);
  }
  return changed;
}
