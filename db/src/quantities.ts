import { RESOURCES, type Resource } from "./schema/enums.js";

/** An amount per resource; a missing key means zero. */
export type Quantities = Partial<Record<Resource, number>>;

export function amount(q: Quantities, r: Resource): number {
  return q[r] ?? 0;
}

export function add(...qs: Quantities[]): Quantities {
  const out: Quantities = {};
  for (const r of RESOURCES) {
    const sum = qs.reduce((s, q) => s + amount(q, r), 0);
    if (sum !== 0) out[r] = sum;
  }
  return out;
}

/** target − current, per resource (negative when a change shrinks). */
export function delta(target: Quantities, current: Quantities): Quantities {
  const out: Quantities = {};
  for (const r of RESOURCES) {
    const d = amount(target, r) - amount(current, r);
    if (d !== 0) out[r] = d;
  }
  return out;
}

export interface Shortfall {
  resource: Resource;
  limit: number;
  wouldHold: number;
}

/**
 * Which resources would exceed `limit` if `growth` were added to `held`. Only growth is checked:
 * a change that shrinks a resource is always allowed, even by a department already over its ceiling.
 */
export function shortfalls(limit: Quantities, held: Quantities, growth: Quantities): Shortfall[] {
  const out: Shortfall[] = [];
  for (const r of RESOURCES) {
    const g = amount(growth, r);
    if (g <= 0) continue;
    const wouldHold = amount(held, r) + g;
    if (wouldHold > amount(limit, r)) out.push({ resource: r, limit: amount(limit, r), wouldHold });
  }
  return out;
}

export function fromRows(rows: { resource: Resource; amount: number }[]): Quantities {
  const out: Quantities = {};
  for (const row of rows) {
    const sum = (out[row.resource] ?? 0) + Number(row.amount);
    if (sum === 0) delete out[row.resource];
    else out[row.resource] = sum;
  }
  return out;
}
