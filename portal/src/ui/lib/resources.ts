/** Resource amounts as the API reports them, and the headroom arithmetic the forms show live. */

export const RESOURCES = ["vcpu", "memory_gib", "storage_standard_gib", "storage_ssd_gib", "storage_encrypted_gib", "segments", "egress_mbps"] as const;
export type Resource = (typeof RESOURCES)[number];
export type Quantities = Partial<Record<Resource, number>>;

export const STORAGE_CLASSES = ["storage_standard_gib", "storage_ssd_gib", "storage_encrypted_gib"] as const;
export type StorageResource = (typeof STORAGE_CLASSES)[number];

export const amountOf = (q: Quantities | undefined, r: Resource): number => q?.[r] ?? 0;

/** What a department may still be granted: ceiling − held, never below zero. */
export function remaining(ceiling: Quantities, held: Quantities): Quantities {
  const out: Quantities = {};
  for (const r of RESOURCES) out[r] = Math.max(0, amountOf(ceiling, r) - amountOf(held, r));
  return out;
}

/** target − current per resource; only growth counts against a ceiling. */
export function growth(target: Quantities, current: Quantities): Quantities {
  const out: Quantities = {};
  for (const r of RESOURCES) out[r] = amountOf(target, r) - amountOf(current, r);
  return out;
}

export interface Overrun {
  resource: Resource;
  growth: number;
  remaining: number;
}

/** Resources whose growth exceeds what is left under the ceiling. */
export function overruns(ceiling: Quantities, held: Quantities, target: Quantities, current: Quantities): Overrun[] {
  const left = remaining(ceiling, held);
  const grow = growth(target, current);
  return RESOURCES.flatMap((r) => {
    const g = amountOf(grow, r);
    return g > 0 && g > amountOf(left, r) ? [{ resource: r, growth: g, remaining: amountOf(left, r) }] : [];
  });
}

/** held and used as a share of the limit, in percent (0 when there is no limit). */
export function percentOf(value: number, limit: number): number {
  if (limit <= 0) return value > 0 ? 100 : 0;
  return Math.round((value / limit) * 1000) / 10;
}

/** Addresses in an IPv4 block of the given prefix length. */
export const addressesIn = (prefix: number): number => 2 ** (32 - prefix);

export const SEGMENT_PREFIXES = [24, 25, 26, 27, 28] as const;
