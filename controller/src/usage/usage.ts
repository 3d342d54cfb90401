// Live usage: what a system's pods and claims hold, from its ResourceQuotas' status.used, in the
// portal's units (vCPU and GiB, rounded up: a system using 1.2 vCPU holds 2 of its grant).

import type { DbOrTx } from "@zhengyun/db/client";
import { allocationItems, type Resource } from "@zhengyun/db/schema";
import { parseQuantity } from "@zhengyun/policies";
import { and, eq, ne } from "drizzle-orm";

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

/** Writes usage into allocation_items.used (only rows whose value changed). Returns the resources updated. */
export async function writeUsage(db: DbOrTx, systemId: string, usage: Partial<Record<Resource, number>>): Promise<Resource[]> {
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
