import { amountOf, type Quantities, RESOURCES, type Resource } from "./resources.js";

export interface ImpactLine {
  resource: Resource;
  growth: number;
  held: number;
  after: number;
  ceiling: number;
  over: boolean;
}

/** What approving would do to the department: held → held + growth, against the ceiling. */
export function impactLines(target: Quantities, current: Quantities, department: { ceiling: Quantities; held: Quantities }): ImpactLine[] {
  return RESOURCES.flatMap((r) => {
    const growth = amountOf(target, r) - amountOf(current, r);
    if (growth === 0) return [];
    const held = amountOf(department.held, r);
    const ceiling = amountOf(department.ceiling, r);
    const after = held + growth;
    return [{ resource: r, growth, held, after, ceiling, over: growth > 0 && after > ceiling }];
  });
}
